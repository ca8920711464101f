# Rewritten from Node v20 test/sequential/test-net-better-error-messages-port.js
"""A refused TCP connect has ``code == 'ECONNREFUSED'``, ``port`` and ``address``."""

from __future__ import annotations

import re
from typing import Any

import anyio
import pytest
from tests.helpers import closed_port

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-better-error-messages-port.js"), pytest.mark.anyio]

# common.PORT becomes a port that nothing listens on. The host is left to its default,
# 'localhost', as in Node.


async def test_refused_connect_fields(must_call: Any) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            c = net.create_connection(port)
            c.on("connect", must_call(None, 0))

            def on_error(error: Any) -> None:
                # Several addresses tried: Node may wrap the attempts; here the last one wins.
                failed_attempt = error.errors[0] if hasattr(error, "errors") else error
                assert failed_attempt.code == "ECONNREFUSED"
                assert failed_attempt.port == port
                assert re.match(r"^(127\.0\.0\.1|::1)$", failed_attempt.address)

            c.on("error", must_call(on_error))
