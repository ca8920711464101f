# Rewritten from Node v23.9.0 test/parallel/test-net-reuseport.js
# (the file is not in v20.11.1; reusePort is part of anyio-net's listen options)
"""With ``reusePort`` two servers listen on the same host and port."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest
from tests.helpers import has_ipv6

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-reuseport.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="the OS has no SO_REUSEPORT"),
]

OPTIONS = {"port": 0, "reusePort": True}

# Node's second host is '::'; the loopback ::1 shows the same thing without a wildcard bind.
HOSTS = [
    "127.0.0.1",
    pytest.param("::1", marks=pytest.mark.skipif(not has_ipv6(), reason="no IPv6 support")),
]


@pytest.mark.parametrize("host", HOSTS)
async def test_two_servers_share_a_port(host: str, must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server1 = net.create_server()
            server2 = net.create_server()

            def on_listening1() -> None:
                port = server1.address()["port"]  # type: ignore[index]

                def on_listening2() -> None:
                    assert server2.address()["port"] == port  # type: ignore[index]
                    server1.close()
                    server2.close()

                server2.listen({**OPTIONS, "host": host, "port": port}, must_call(on_listening2))

            server1.listen({**OPTIONS, "host": host}, must_call(on_listening1))
