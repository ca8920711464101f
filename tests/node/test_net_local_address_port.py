# Rewritten from Node v20 test/parallel/test-net-local-address-port.js
"""An accepted socket's local address, port and family are the server's."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-local-address-port.js"), pytest.mark.anyio]


async def test_accepted_socket_local_end(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(sock: net.Socket) -> None:
                address = server.address()
                assert isinstance(address, dict)
                assert sock.local_address == "127.0.0.1"
                assert sock.local_port == address["port"]
                assert sock.local_family == address["family"]
                sock.on("end", lambda: server.close())
                sock.resume()

            def on_listening() -> None:
                client = net.create_connection(server.address()["port"], "127.0.0.1")  # type: ignore[index]
                client.on("connect", lambda: client.end())

            server = net.create_server(must_call(on_connection))
            server.listen(0, "127.0.0.1", on_listening)
