# Rewritten from Node v20 test/parallel/test-net-keepalive.js
"""``setKeepAlive(true, ms)`` on an accepted socket keeps both ends open."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-keepalive.js"), pytest.mark.anyio]


async def test_keep_alive_on_accepted_socket(must_call: Any) -> None:
    client_connection: list[net.Socket] = []
    with anyio.fail_after(10):
        async with net.open_runtime():

            async def on_connection(connection: net.Socket) -> None:
                connection.set_timeout(0)
                assert connection.set_keep_alive is not None
                # Send a keepalive packet after 50 ms
                connection.set_keep_alive(True, 50)
                connection.on("end", lambda: connection.end())
                raw = connection._transport.raw  # type: ignore[union-attr]
                assert raw is not None
                assert raw.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
                await anyio.sleep(0.1)  # Node's setTimeout(fn, 100)
                # Make sure both connections are still open
                assert connection.ready_state == "open"
                assert client_connection[0].ready_state == "open"
                connection.end()
                client_connection[0].end()
                echo_server.close()

            echo_server = net.create_server(must_call(on_connection))
            # Node listens on the wildcard address; loopback here.
            echo_server.listen(0, "127.0.0.1")

            def on_listening() -> None:
                client = net.create_connection(echo_server.address()["port"])  # type: ignore[index]
                client_connection.append(client)
                client.set_timeout(0)

            echo_server.on("listening", must_call(on_listening))
