# Rewritten from Node v20 test/parallel/test-net-better-error-messages-listen.js
"""A listen error carries ``address``, ``port`` and ``syscall == 'listen'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-better-error-messages-listen.js"), pytest.mark.anyio]


async def test_listen_error_fields(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_call(None, 0))
            server.listen(1, "1.1.1.1", must_call(None, 0))

            def on_error(e: Any) -> None:
                assert e.address == "1.1.1.1"
                assert e.port == 1
                assert e.syscall == "listen"

            server.on("error", must_call(on_error))
