# Rewritten from Node v20 test/parallel/test-net-socket-local-address.js
"""Across two connects of one Socket, its local port is what the server sees as remote."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-local-address.js"), pytest.mark.anyio]


async def test_client_local_port_matches_server_remote_port(must_call: Any) -> None:
    state = {"conns": 0}
    client_local_ports: list[int | None] = []
    server_remote_ports: list[int | None] = []
    with anyio.fail_after(10):
        async with net.open_runtime():
            client = net.Socket()

            def on_connection(sock: net.Socket) -> None:
                server_remote_ports.append(sock.remote_port)
                sock.end()

            server = net.create_server(on_connection)

            def on_close() -> None:
                # Client and server should agree on the ports used
                assert server_remote_ports == client_local_ports
                assert state["conns"] == 2

            server.on("close", must_call(on_close))

            def connect(*_args: Any) -> None:
                if state["conns"] == 2:
                    server.close()
                    return
                state["conns"] += 1
                client.once("close", connect)
                port = server.address()["port"]  # type: ignore[index]
                returned = client.connect(
                    port, "127.0.0.1", lambda: client_local_ports.append(client.local_port)
                )
                assert returned is client

            server.listen(0, "127.0.0.1", connect)
    assert len(client_local_ports) == 2
