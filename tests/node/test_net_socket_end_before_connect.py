# Rewritten from Node v20 test/parallel/test-net-socket-end-before-connect.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-end-before-connect.js"), pytest.mark.anyio]


async def test_end_while_connecting_still_leads_to_close(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_listening() -> None:
                socket = net.create_connection(port_of(server), LOCALHOST)
                socket.on("close", must_call(lambda had_error: server.close()))
                socket.end()

            server.listen(0, LOCALHOST, must_call(on_listening))
