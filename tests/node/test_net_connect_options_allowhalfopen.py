# Rewritten from Node v20 test/parallel/test-net-connect-options-allowhalfopen.js
"""With ``allowHalfOpen``, a client stays writable (not readable) after the server's FIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-connect-options-allowhalfopen.js"),
    pytest.mark.anyio,
]

CLIENT_VARIANTS = 6


async def test_half_open_clients_write_after_the_servers_fin(must_call: Any) -> None:
    host = "127.0.0.1"
    counts = {
        "client_received_fin": 0,
        "server_connections": 0,
        "client_sent_fin": 0,
        "server_received_fin": 0,
    }
    client_ids: dict[int, str] = {}
    with anyio.fail_after(15):
        async with net.open_runtime():
            server = net.create_server({"allowHalfOpen": True})

            def server_on_connection(sock: net.Socket) -> None:
                counts["server_connections"] += 1
                sock.resume()

                def on_data(data: bytes) -> None:
                    client_ids[id(sock)] = data.decode()

                async def on_end() -> None:
                    # 'end' on each socket must not be emitted twice
                    counts["server_received_fin"] += 1
                    if counts["server_received_fin"] < CLIENT_VARIANTS:
                        return
                    await anyio.sleep(0.05)
                    server.close()

                sock.on("data", must_call(on_data))
                sock.on("end", must_call(on_end))
                sock.end()

            def client_on_connect(index: int, cell: list[net.Socket]) -> Any:
                def on_connect() -> None:
                    client = cell[0]
                    client.resume()

                    async def on_end() -> None:
                        await anyio.sleep(0.05)
                        # When allowHalfOpen is true, the client must still be writable
                        # after the server closed its side, but not readable.
                        assert not client.readable
                        assert client.writable
                        assert client.write(str(index))
                        client.end()
                        counts["client_sent_fin"] += 1

                    def on_close(_had_error: bool) -> None:
                        counts["client_received_fin"] += 1

                    client.on("end", must_call(on_end))
                    client.on("close", must_call(on_close))

                return must_call(on_connect)

            def variant(index: int, make: Callable[[Callable[[], None]], net.Socket]) -> None:
                cell: list[net.Socket] = []
                cell.append(make(client_on_connect(index, cell)))

            def server_on_listen() -> None:
                port = server.address()["port"]  # type: ignore[index]
                opts = {"allowHalfOpen": True, "host": host, "port": port}
                # 6 variations == CLIENT_VARIANTS
                variant(1, lambda cb: net.connect(opts, cb))
                variant(2, lambda cb: net.connect(opts).on("connect", cb))
                variant(3, lambda cb: net.create_connection(opts, cb))
                variant(4, lambda cb: net.create_connection(opts).on("connect", cb))
                variant(5, lambda cb: net.Socket(opts).connect(opts, cb))
                variant(6, lambda cb: net.Socket(opts).connect(opts).on("connect", cb))

            server.on("connection", must_call(server_on_connection, CLIENT_VARIANTS))
            server.on("close", must_call())
            server.listen(0, host, must_call(server_on_listen))
    assert counts == {
        "client_received_fin": CLIENT_VARIANTS,
        "server_connections": CLIENT_VARIANTS,
        "client_sent_fin": CLIENT_VARIANTS,
        "server_received_fin": CLIENT_VARIANTS,
    }
    assert sorted(client_ids.values()) == [str(i) for i in range(1, CLIENT_VARIANTS + 1)]
