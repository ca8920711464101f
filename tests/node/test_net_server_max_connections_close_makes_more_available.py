# Rewritten from Node v20 test/parallel/test-net-server-max-connections-close-makes-more-available.js  # noqa: E501
"""With ``max_connections = 1``, closing the accepted connection frees the slot."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import Waiter

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-server-max-connections-close-makes-more-available.js"),
    pytest.mark.anyio,
]

# Node chains promises; here an async main awaits each step in turn.


async def test_closing_frees_a_slot() -> None:
    connections: dict[int, net.Socket] = {}
    received: list[str] = []
    sent: list[str] = []
    with anyio.fail_after(20):
        async with net.open_runtime():

            def on_connection(socket: net.Socket) -> None:
                def on_data(data: bytes) -> None:
                    received.append(data.decode())
                    socket.write("acknowledged")

                socket.on("data", on_data)

            server = net.create_server(on_connection)
            server.max_connections = 1

            async def create_connection(index: int) -> None:
                done = anyio.Event()

                def on_connect() -> None:
                    msg = str(index)
                    connection.write(msg)
                    sent.append(msg)

                def on_error(err: Any) -> None:
                    assert err.code == "ECONNRESET"
                    done.set()

                connection = net.create_connection(
                    server.address()["port"],  # type: ignore[index]
                    "127.0.0.1",
                    on_connect,
                )
                connection.on("error", on_error)
                connection.on("data", lambda data: done.set())
                connection.on("end", done.set)
                connections[index] = connection
                await done.wait()

            async def close_connection(index: int) -> None:
                done = anyio.Event()
                connections[index].on("end", done.set)
                connections[index].end()
                await done.wait()

            listening = Waiter(server, "listening")
            server.listen(0, "127.0.0.1")
            await listening.wait()
            await create_connection(0)
            await create_connection(1)
            await close_connection(0)
            await create_connection(2)
            await create_connection(3)
            server.close()
            await close_connection(2)
    # Every connection tried to send data...
    assert sent == ["0", "1", "2", "3"]
    # ...but only connections 0 and 2 got through.
    assert received == ["0", "2"]
