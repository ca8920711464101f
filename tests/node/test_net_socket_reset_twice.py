# Rewritten from Node v20 test/parallel/test-net-socket-reset-twice.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-reset-twice.js"), pytest.mark.anyio]


async def test_reset_from_the_error_listener_of_a_refused_connect(
    must_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, LOCALHOST)
            port = port_of(server)
            conn = net.create_connection(port, LOCALHOST)
            conn.on("error", must_call(lambda err: conn.reset_and_destroy()))
            conn.on("close", must_call())
            server.close()
