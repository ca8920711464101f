# Rewritten from Node v20 test/parallel/test-net-socket-constructor.js
"""``readable``/``writable`` of sockets made in every way; bad ``fd`` options throw."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-constructor.js"), pytest.mark.anyio]

# Left out: the ``{handle: socket._handle}`` cases (libuv handles are JS internals).
# Node's cluster worker opens sockets on inherited stdio pipes (fds 4, 5, 6); here the fds
# are stream sockets from socketpair(), in the same process.


@pytest.fixture
def pair_fds() -> Iterator[list[int]]:
    """Three fds of connected stream sockets (owned by the Socket made on them)."""
    pairs = [socket.socketpair() for _ in range(3)]
    yield [a.detach() for a, _ in pairs]
    for _, b in pairs:
        b.close()


def check(sock: Any, readable: bool, writable: bool) -> None:
    if isinstance(sock, net.Socket):
        s = sock
    else:
        s = net.Socket(sock)
        s.unref()
    assert s.readable is readable
    assert s.writable is writable


async def test_bad_fd_options_throw() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            with pytest.raises(ValueError) as info:
                net.Socket({"fd": -1})
            assert info.value.code == "ERR_OUT_OF_RANGE"  # type: ignore[attr-defined]
            with pytest.raises(TypeError) as info2:
                net.Socket({"fd": "foo"})
            assert info2.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]


async def test_readable_and_writable(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            check(None, True, True)
            server: net.Server

            def on_connection(sock: net.Socket) -> None:
                sock.unref()
                check(sock, True, True)
                server.close()

            def on_listening() -> None:
                port = server.address()["port"]  # type: ignore[index]

                def on_connect() -> None:
                    check(client, True, True)
                    client.end()

                client = net.connect(port, must_call(on_connect))
                check(client, True, True)

            server = net.create_server(must_call(on_connection))
            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))


async def test_readable_and_writable_from_fd(pair_fds: list[int]) -> None:
    # Node's worker: test(4), test({fd: 5}), test({fd: 6, readable: true, writable: true}).
    with anyio.fail_after(5):
        async with net.open_runtime():
            check(pair_fds[0], True, True)
            check({"fd": pair_fds[1]}, True, True)
            check({"fd": pair_fds[2], "readable": True, "writable": True}, True, True)
