# Rewritten from Node v20 test/parallel/test-net-server-nodelay.js
"""``create_server({noDelay: True})`` sets ``TCP_NODELAY`` on accepted sockets."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-nodelay.js"), pytest.mark.anyio]

# Node wraps the libuv handles' setNoDelay with spies; here TCP_NODELAY is read back from
# the descriptor with getsockopt.


def no_delay_of(sock: net.Socket) -> int:
    with socket.fromfd(sock.fileno(), socket.AF_INET, socket.SOCK_STREAM) as dup:
        return dup.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


async def test_no_delay_on_accepted_sockets(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                assert no_delay_of(sock) != 0
                sock.set_no_delay(True)
                assert no_delay_of(sock) != 0
                sock.destroy()
                server.close()

            server = net.create_server({"noDelay": True}, must_call(on_connection))

            def on_listening() -> None:
                net.connect(server.address()["port"], "127.0.0.1")  # type: ignore[index]

            server.listen(0, "127.0.0.1", must_call(on_listening))


async def test_no_delay_is_off_by_default(must_call: Any) -> None:
    # The control: without the option the accepted socket keeps Nagle on.
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                assert no_delay_of(sock) == 0
                sock.destroy()
                server.close()

            server = net.create_server(must_call(on_connection))

            def on_listening() -> None:
                net.connect(server.address()["port"], "127.0.0.1")  # type: ignore[index]

            server.listen(0, "127.0.0.1", must_call(on_listening))
