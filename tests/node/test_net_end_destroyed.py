# Rewritten from Node v20 test/parallel/test-net-end-destroyed.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-end-destroyed.js"), pytest.mark.anyio]


async def test_socket_is_not_destroyed_when_end_is_emitted(
    must_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.on("connection", must_call())

            def on_listening() -> None:
                socket = net.create_connection({"port": port_of(server), "host": LOCALHOST})

                def on_connect() -> None:
                    def on_end() -> None:
                        # Our own end() went first, yet the peer's FIN must not destroy
                        # the socket before 'end' has been emitted.
                        assert socket.destroyed is False
                        server.close()

                    socket.on("end", must_call(on_end))
                    socket.end()

                socket.on("connect", must_call(on_connect))

            server.listen(0, LOCALHOST, must_call(on_listening))
