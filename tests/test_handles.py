"""Existing descriptors: listen(handle), listen({"fd": n}) and Socket({"fd": n}).

Node v20's behaviour, checked with ``node`` here: ``listen({fd})`` on something that is not
a stream socket fails with ``listen EINVAL`` (and leaves the descriptor alone); on a stream
socket it takes the descriptor over and closes it on failure or on ``close()``; a Unix socket
opened that way has no ``address()`` and its file is not removed. ``listen(server)`` moves the
other server's handle. ``Socket({fd})`` is readable and writable unless ``readable`` /
``writable`` is False, and refuses non-sockets with ``ERR_INVALID_FD_TYPE``.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, Waiter, collect, port_of, wait_for

import anyio_net as net

pytestmark = pytest.mark.anyio


@pytest.fixture
def sock_dir() -> Iterator[Path]:
    path = tempfile.mkdtemp(prefix="anet-", dir="/tmp")
    try:
        yield Path(path)
    finally:
        shutil.rmtree(path, ignore_errors=True)


def fd_is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError as exc:
        if exc.errno != errno.EBADF:
            raise
        return False
    return True


def exists(path: str | Path) -> bool:
    return os.path.exists(path)


async def round_trip(address: Any) -> bytes:
    """Connect (port or path), send 'ping', end; return what came back before the close."""
    client = net.connect(address, LOCALHOST) if isinstance(address, int) else net.connect(address)
    chunks = collect(client)
    closed = Waiter(client, "close")
    await net.once(client, "connect")
    client.end(b"ping")
    assert await closed.wait() == (False,)
    return b"".join(chunks)


def answer(tag: bytes) -> Callable[[net.Socket], None]:
    def on_connection(conn: net.Socket) -> None:
        conn.on("data", lambda data: conn.write(tag + data))

    return on_connection


# -- listen({"fd": n}) ------------------------------------------------------------------------


@pytest.mark.parametrize("already_listening", [False, True], ids=["bound", "listening"])
@pytest.mark.parametrize(
    "form",
    [
        lambda server, fd, cb: server.listen({"fd": fd}, cb),
        lambda server, fd, cb: server.listen({"handle": {"fd": fd}}, cb),
        lambda server, fd, cb: server.listen(fd=fd, callback=cb),
    ],
    ids=["{fd}", "{handle: {fd}}", "fd="],
)
async def test_listen_on_a_tcp_descriptor_takes_it_over(
    must_call: Any, already_listening: bool, form: Callable[..., Any]
) -> None:
    raw = socket.socket()
    raw.bind((LOCALHOST, 0))
    if already_listening:
        raw.listen()
    fd = raw.detach()
    port = 0
    try:
        with anyio.fail_after(10):
            async with net.open_runtime():
                server = net.create_server(must_call(answer(b"fd:")))
                form(server, fd, must_call())
                assert server.listening
                port = port_of(server)
                assert server.address() == {"address": LOCALHOST, "family": "IPv4", "port": port}
                await net.once(server, "listening")
                assert await round_trip(port) == b"fd:ping"
                server.close()
                # The server owned the descriptor: close() closed it.
                assert not fd_is_open(fd)
                await net.once(server, "close")
    finally:
        if fd_is_open(fd):
            os.close(fd)


async def test_listen_on_a_unix_descriptor_has_no_address_and_keeps_the_file(
    sock_dir: Path,
) -> None:
    path = str(sock_dir / "bound.sock")
    raw = socket.socket(socket.AF_UNIX)
    raw.bind(path)
    fd = raw.detach()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(answer(b"unix:")).listen({"fd": fd})
            await net.once(server, "listening")
            # Node: a pipe handle opened from an fd has no name to report.
            assert server.listening
            assert server.address() is None
            assert await round_trip(path) == b"unix:ping"
            server.close()
            await net.once(server, "close")
    assert not fd_is_open(fd)
    # It did not bind the path, so it does not unlink it (as libuv).
    assert exists(path)


def _regular_file(tmp: Path) -> int:
    return os.open(tmp / "file.txt", os.O_RDWR | os.O_CREAT)


def _udp_socket(tmp: Path) -> int:
    return socket.socket(socket.AF_INET, socket.SOCK_DGRAM).detach()


def _os_pipe(tmp: Path) -> int:
    read_end, write_end = os.pipe()
    os.close(write_end)
    return read_end


def _closed_fd(tmp: Path) -> int:
    fd = os.open(tmp / "gone.txt", os.O_RDWR | os.O_CREAT)
    os.close(fd)
    return fd


@pytest.mark.parametrize(
    "make_fd",
    [_regular_file, _udp_socket, _os_pipe, _closed_fd],
    ids=["file", "udp", "pipe", "closed"],
)
async def test_listen_on_a_descriptor_that_is_not_a_stream_socket_is_einval(
    sock_dir: Path, must_call: Any, make_fd: Callable[[Path], int]
) -> None:
    fd = make_fd(sock_dir)
    was_open = fd_is_open(fd)
    try:
        with anyio.fail_after(10):
            async with net.open_runtime():
                server = net.create_server()
                events: list[str] = []
                server.on("listening", lambda: events.append("listening"))
                failed = Waiter(server, "error")
                server.listen({"fd": fd})
                (err,) = await failed.wait()
                assert (err.code, err.errno, err.syscall) == ("EINVAL", errno.EINVAL, "listen")
                assert (err.address, err.port) == (None, None)
                assert str(err) == "listen EINVAL: invalid argument"
                assert not server.listening
                assert events == []
                # Node leaves a descriptor it cannot open as a handle alone.
                assert fd_is_open(fd) == was_open
                # The server can listen again.
                server.listen(0, LOCALHOST, must_call())
                await net.once(server, "listening")
                server.close()
    finally:
        if was_open:
            os.close(fd)


async def test_listen_on_a_connected_stream_socket_fails_and_closes_it() -> None:
    left, right = socket.socketpair()
    fd = left.detach()
    try:
        with anyio.fail_after(10):
            async with net.open_runtime():
                server = net.create_server()
                (err,) = await wait_for(server.listen({"fd": fd}), "error")
                assert (err.code, err.syscall) == ("EINVAL", "listen")
                assert not server.listening
        # Node had opened a handle over it, and closes that handle on the failed listen.
        assert not fd_is_open(fd)
    finally:
        right.close()
        if fd_is_open(fd):
            os.close(fd)


# -- listen(handle) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        lambda server, handle, cb: server.listen(handle, cb),
        lambda server, handle, cb: server.listen({"handle": handle}, cb),
        lambda server, handle, cb: server.listen({"_handle": handle}, cb),
    ],
    ids=["handle", "{handle}", "{_handle}"],
)
async def test_listen_on_another_server_moves_its_connections_here(
    must_call: Any, form: Callable[..., Any]
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            first = net.create_server(answer(b"first:"))
            first.listen(0, LOCALHOST)
            await net.once(first, "listening")
            port = port_of(first)
            assert await round_trip(port) == b"first:ping"
            second = net.create_server(answer(b"second:"))
            form(second, first, must_call())
            assert port_of(second) == port
            await net.once(second, "listening")
            # Every new connection goes to the new server, as Node moves the handle.
            for _ in range(4):
                assert await round_trip(port) == b"second:ping"
            # The old one still reads as listening, with its address (Node keeps its handle).
            assert first.listening
            assert port_of(first) == port
            with pytest.raises(RuntimeError) as info:
                first.listen(0)
            assert getattr(info.value, "code", None) == "ERR_SERVER_ALREADY_LISTEN"
            first.close(must_call(lambda err=None: None))
            await net.once(first, "close")
            assert (first.listening, first.address()) == (False, None)
            # Closing the old server did not stop the new one.
            assert await round_trip(port) == b"second:ping"
            second.close()
            await net.once(second, "close")


async def test_listen_on_a_unix_server_moves_the_file_too(sock_dir: Path) -> None:
    path = str(sock_dir / "moved.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            first = net.create_server(answer(b"first:")).listen(path)
            second = net.create_server(answer(b"second:")).listen(first)
            await net.once(second, "listening")
            assert first.address() == path  # Node keeps the old server's pipe name
            assert second.address() is None  # ...and the new one has none
            assert await round_trip(path) == b"second:ping"
            first.close()
            await net.once(first, "close")
            assert exists(path)
            assert await round_trip(path) == b"second:ping"
            # The handle, and so the file, now belong to the new server.
            second.close()
            assert not exists(path)
            await net.once(second, "close")


async def test_listen_on_a_connected_socket_is_einval(sock_dir: Path) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server().listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            other = net.create_server()
            (err,) = await wait_for(other.listen(client), "error")
            assert (err.code, err.syscall) == ("EINVAL", "listen")
            assert not other.listening
            # The socket itself is untouched.
            assert client.ready_state == "open"
            client.destroy()
            server.close()


async def test_listen_on_a_server_that_is_not_listening_raises() -> None:
    async with net.open_runtime():
        idle = net.create_server()
        with pytest.raises(TypeError) as info:
            net.create_server().listen(idle)
    assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_VALUE"


# -- Socket({"fd": n}) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"readable": True, "writable": True},
        {},  # Node v20 opens both sides unless told otherwise
    ],
    ids=["readable+writable", "defaults"],
)
async def test_socket_over_a_connected_descriptor_reads_and_writes(
    options: dict[str, Any], recorder: Any
) -> None:
    ours, peer = socket.socketpair()
    peer.sendall(b"before")
    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.Socket({"fd": ours.detach(), **options})
            recorder.watch(sock, "connect", "ready", "end", "finish", "close")
            chunks = collect(sock)
            assert (sock.connecting, sock.pending, sock.ready_state) == (False, False, "open")
            assert (sock.readable, sock.writable) == (True, True)
            assert sock.remote_address is None
            assert sock.address() == {}
            closed = Waiter(sock, "close")
            sock.write(b"hello")
            await anyio.wait_readable(peer)
            assert peer.recv(100) == b"hello"
            peer.sendall(b" after")
            peer.shutdown(socket.SHUT_WR)
            await closed.wait()
            assert b"".join(chunks) == b"before after"
    # No 'connect' or 'ready' for a socket that was never connecting.
    assert recorder.names == ["end", "finish", "close"]
    assert recorder.events[-1] == ("close", (False,))
    assert peer.recv(100) == b""  # our side ended too (allowHalfOpen false)
    peer.close()


async def test_socket_over_a_tcp_descriptor_knows_its_addresses() -> None:
    with socket.socket() as listener:
        listener.bind((LOCALHOST, 0))
        listener.listen()
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.Socket({"fd": client.detach(), "readable": True, "writable": True})
            assert sock.remote_address == LOCALHOST
            assert sock.remote_port == accepted.getsockname()[1]
            assert sock.remote_family == "IPv4"
            assert sock.local_port == accepted.getpeername()[1]
            assert sock.address() == {
                "address": LOCALHOST,
                "family": "IPv4",
                "port": accepted.getpeername()[1],
            }
            sock.destroy()
            await net.once(sock, "close")
    assert accepted.recv(10) == b""
    accepted.close()


async def test_readable_false_reads_nothing_and_closes_after_end(recorder: Any) -> None:
    ours, peer = socket.socketpair()
    peer.sendall(b"never read")
    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.Socket({"fd": ours.detach(), "readable": False})
            recorder.watch(sock, "data", "end", "finish", "close")
            assert (sock.readable, sock.writable) == (False, True)
            assert sock.readable_ended
            assert sock.ready_state == "writeOnly"
            closed = Waiter(sock, "close")
            sock.end(b"only writes")
            await closed.wait()
    assert recorder.names == ["finish", "close"]
    assert recorder.events[-1] == ("close", (False,))
    assert peer.recv(100) == b"only writes"
    peer.close()


async def test_writable_false_refuses_writes(recorder: Any) -> None:
    ours, peer = socket.socketpair()
    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.Socket({"fd": ours.detach(), "writable": False})
            recorder.watch(sock, "error", "close")
            assert (sock.readable, sock.writable) == (True, False)
            assert (sock.writable_ended, sock.writable_finished) == (True, True)
            assert sock.ready_state == "readOnly"
            results: list[Any] = []
            closed = Waiter(sock, "close")
            assert sock.write(b"x", lambda err=None: results.append(err)) is False
            await closed.wait()
    (err,) = results
    assert err.code == "ERR_STREAM_WRITE_AFTER_END"
    assert recorder.names == ["error", "close"]
    assert recorder.events[-1] == ("close", (True,))
    peer.close()


async def test_writable_false_still_reads_to_the_end(recorder: Any) -> None:
    ours, peer = socket.socketpair()
    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.Socket({"fd": ours.detach(), "writable": False})
            recorder.watch(sock, "end", "finish", "close")
            chunks = collect(sock)
            closed = Waiter(sock, "close")
            peer.sendall(b"one way")
            peer.shutdown(socket.SHUT_WR)
            await closed.wait()
    assert b"".join(chunks) == b"one way"
    # No 'finish': the writable side was never open.
    assert recorder.names == ["end", "close"]
    assert recorder.events[-1] == ("close", (False,))
    peer.close()


@pytest.mark.parametrize(
    ("make_fd", "kind"),
    [(_regular_file, "FILE"), (_udp_socket, "UDP"), (_closed_fd, "UNKNOWN")],
    ids=["file", "udp", "closed"],
)
async def test_socket_over_something_else_raises_invalid_fd_type(
    sock_dir: Path, make_fd: Callable[[Path], int], kind: str
) -> None:
    fd = make_fd(sock_dir)
    was_open = fd_is_open(fd)
    try:
        async with net.open_runtime():
            with pytest.raises(TypeError) as info:
                net.Socket({"fd": fd})
            with pytest.raises(TypeError):
                net.Socket(fd)  # Node's legacy form
        assert getattr(info.value, "code", None) == "ERR_INVALID_FD_TYPE"
        assert str(info.value) == f"Unsupported fd type: {kind}"
        assert fd_is_open(fd) == was_open
    finally:
        if was_open:
            os.close(fd)


async def test_destroy_closes_the_descriptor() -> None:
    ours, peer = socket.socketpair()
    fd = ours.detach()
    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.Socket(fd)
            sock.destroy()
            await net.once(sock, "close")
    assert not fd_is_open(fd)
    assert peer.recv(10) == b""
    peer.close()
