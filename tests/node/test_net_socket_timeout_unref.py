# Rewritten from Node v20 test/parallel/test-net-socket-timeout-unref.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-timeout-unref.js"), pytest.mark.anyio]

DELAYS = [8, 5, 3, 6, 2, 4]  # seconds


async def test_timeouts_on_unrefd_sockets_do_not_keep_the_runtime_alive(
    must_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(c: net.Socket) -> None:
                c.write("hello")
                c.unref()

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            server.unref()

            connections = [0]
            sockets: list[tuple[net.Socket, int]] = []

            def arm(socket: net.Socket, timeout_ms: int) -> None:
                def on_timeout() -> None:
                    socket.destroy()
                    raise AssertionError("socket timed out unexpectedly")

                socket.set_timeout(timeout_ms, on_timeout)
                socket.unref()

            def on_connect() -> None:
                connections[0] += 1
                if connections[0] == len(DELAYS):
                    for socket, timeout_ms in sockets:
                        arm(socket, timeout_ms)

            for t in DELAYS:
                socket = net.create_connection(port_of(server), LOCALHOST)
                socket.on("connect", must_call(on_connect))
                sockets.append((socket, t * 1000))
