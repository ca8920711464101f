# Rewritten from Node v20 test/parallel/test-net-socket-setnodelay.js
"""``setNoDelay()`` defaults to true, follows truthiness and returns the socket."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-setnodelay.js"), pytest.mark.anyio]

# Node builds sockets over fake handles and counts calls of their setNoDelay; here the
# sockets are connected for real and TCP_NODELAY is read back after each call. ``{}`` and
# ``[]`` are truthy in JS but falsy in Python (see docs/differences.md).
TRUTHY_VALUES: list[Any] = [True, 1, "true", {"a": 1}, [0]]
FALSY_VALUES: list[Any] = [False, 0, "", {}, []]


def no_delay_of(sock: net.Socket) -> bool:
    raw = sock._transport.raw  # type: ignore[union-attr]
    assert raw is not None
    return bool(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


async def connected(port: int | str) -> net.Socket:
    sock = net.connect(port) if isinstance(port, str) else net.connect(port, "127.0.0.1")
    await net.once(sock, "connect")
    return sock


async def test_set_no_delay(tmp_path: Path) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda s: s.resume())
            server.listen(0, "127.0.0.1")
            port = server.address()["port"]  # type: ignore[index]

            # setNoDelay should default to true
            sock = await connected(port)
            assert not no_delay_of(sock)
            assert sock.set_no_delay() is sock
            assert no_delay_of(sock)
            sock.destroy()

            sock = await connected(port)
            for value in TRUTHY_VALUES:
                sock.set_no_delay(value)
                assert no_delay_of(sock)
            sock.destroy()

            sock = await connected(port)
            for value in FALSY_VALUES:
                sock.set_no_delay(value)
                assert not no_delay_of(sock)
            sock.destroy()

            sock = await connected(port)
            for value in TRUTHY_VALUES + FALSY_VALUES + TRUTHY_VALUES:
                sock.set_no_delay(value)
                assert no_delay_of(sock) is bool(value)
            sock.destroy()
            server.close()

            # A socket whose handle has no Nagle option (Node: a handle without
            # setNoDelay): the call is a no-op that still returns the socket.
            path = str(tmp_path / "nodelay.sock")
            unix_server = net.create_server(lambda s: s.resume())
            unix_server.listen(path)
            sock = await connected(path)
            returned = sock.set_no_delay(True)
            assert isinstance(returned, net.Socket)
            assert returned is sock
            sock.destroy()
            unix_server.close()
