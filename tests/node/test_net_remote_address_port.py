# Rewritten from Node v20 test/parallel/test-net-remote-address-port.js
"""Both ends report the peer's address, family and port, still readable in ``'close'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-remote-address-port.js"), pytest.mark.anyio]

REMOTE_ADDR_CANDIDATES = ["127.0.0.1", "::1", "::ffff:127.0.0.1"]
REMOTE_FAMILY_CANDIDATES = ["IPv4", "IPv6"]


def check_peer(sock: net.Socket) -> None:
    assert sock.remote_address in REMOTE_ADDR_CANDIDATES, sock.remote_address
    assert sock.remote_family in REMOTE_FAMILY_CANDIDATES, sock.remote_family


async def test_remote_address_family_and_port(must_call: Any) -> None:
    conns = {"closed": 0}
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(sock: net.Socket) -> None:
                check_peer(sock)
                assert sock.remote_port
                assert sock.remote_port != server.address()["port"]  # type: ignore[index]

                def on_end() -> None:
                    conns["closed"] += 1
                    if conns["closed"] == 2:
                        server.close()

                sock.on("end", on_end)
                sock.on("close", must_call(lambda _had_error: check_peer(sock)))
                sock.resume()

            def on_listening() -> None:
                port = server.address()["port"]  # type: ignore[index]
                client = net.create_connection(port, "127.0.0.1")
                client2 = net.create_connection(port)
                for c in (client, client2):
                    assert c.remote_address is None
                    assert c.remote_family is None
                    assert c.remote_port is None

                def watch(c: net.Socket) -> None:
                    def on_connect() -> None:
                        check_peer(c)
                        assert c.remote_port == port
                        c.end()

                    c.on("connect", must_call(on_connect))
                    c.on("close", must_call(lambda _had_error: check_peer(c)))

                watch(client)
                watch(client2)

            server = net.create_server(must_call(on_connection, 2))
            # Node's test listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", on_listening)
