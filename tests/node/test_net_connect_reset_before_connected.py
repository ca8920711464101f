# Rewritten from Node v20 test/parallel/test-net-connect-reset-before-connected.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-connect-reset-before-connected.js"),
    pytest.mark.anyio,
]


async def test_reset_while_connecting_emits_neither_connect_nor_error(
    must_not_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, LOCALHOST)
            port = port_of(server)
            socket = net.connect(port, LOCALHOST, must_not_call())
            socket.on("error", must_not_call())
            server.close()
            # The reset waits for the connection, so destroy() is what ends it here.
            socket.reset_and_destroy()
            socket.destroy()
