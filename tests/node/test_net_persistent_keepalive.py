# Rewritten from Node v20 test/parallel/test-net-persistent-keepalive.js
"""``setKeepAlive(true, 400)`` before ``connect()`` persists and returns the socket."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-persistent-keepalive.js"), pytest.mark.anyio]


async def test_set_keep_alive_before_connect_persists(must_call: Any) -> None:
    client_connection: list[net.Socket] = []
    with anyio.fail_after(10):
        async with net.open_runtime():

            async def on_connection(connection: net.Socket) -> None:
                connection.set_timeout(0)
                assert callable(connection.set_keep_alive)
                connection.on("end", lambda: connection.end())
                await anyio.sleep(0.6)  # Node's setTimeout(fn, 600)
                # Make sure both connections are still open
                client = client_connection[0]
                assert connection.ready_state == "open"
                assert client.ready_state == "open"
                # The option set before connect() reached the socket.
                raw = client._transport.raw  # type: ignore[union-attr]
                assert raw is not None
                assert raw.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
                connection.end()
                client.end()
                echo_server.close()

            echo_server = net.create_server(must_call(on_connection))
            # Node listens on the wildcard address; loopback here.
            echo_server.listen(0, "127.0.0.1")

            def on_listening() -> None:
                client = net.Socket()
                client_connection.append(client)
                # Send a keepalive packet after 400 ms and make sure it persists
                s = client.set_keep_alive(True, 400)
                assert isinstance(s, net.Socket)
                client.connect(echo_server.address()["port"])  # type: ignore[index]
                client.set_timeout(0)

            echo_server.on("listening", must_call(on_listening))
