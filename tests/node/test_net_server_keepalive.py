# Rewritten from Node v20 test/parallel/test-net-server-keepalive.js
"""``create_server({keepAlive, keepAliveInitialDelay})`` turns keep-alive on, with that
delay, on every accepted socket; ``set_keep_alive`` changes the delay afterwards."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-server-keepalive.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(not hasattr(socket, "TCP_KEEPIDLE"), reason="no TCP_KEEPIDLE here"),
]

# Node wraps the libuv handles' setKeepAlive with spies; here the options are read back
# from the descriptor with getsockopt (the delay is whole seconds, as libuv passes it).


def sockopt(sock: net.Socket, level: int, name: int) -> int:
    with socket.fromfd(sock.fileno(), socket.AF_INET, socket.SOCK_STREAM) as dup:
        return dup.getsockopt(level, name)


async def test_keep_alive_on_accepted_sockets(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                assert sockopt(sock, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                assert sockopt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 1
                for delay_ms in (1000, 2000, 3000):
                    sock.set_keep_alive(True, delay_ms)
                    assert sockopt(sock, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                    assert (
                        sockopt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == delay_ms // 1000
                    )
                sock.destroy()
                server.close()

            server = net.create_server(
                {"keepAlive": True, "keepAliveInitialDelay": 1000}, must_call(on_connection)
            )

            def on_listening() -> None:
                net.connect(server.address()["port"], "127.0.0.1")  # type: ignore[index]

            server.listen(0, "127.0.0.1", must_call(on_listening))
