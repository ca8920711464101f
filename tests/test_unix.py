"""Unix domain sockets: listen(path), connect(path), the socket file, abstract names, errors.

What Node v20 does on Linux was checked with ``node`` on this machine: an existing path is
``EADDRINUSE`` (address = path, port = -1), a missing directory is ``EACCES`` (libuv maps
ENOENT), ``close()`` unlinks the file, and neither end of a Unix connection has an address.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from tests.helpers import Waiter, collect, wait_for

import anyio_net as net

pytestmark = pytest.mark.anyio

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="abstract socket names are Linux-only"
)


@pytest.fixture
def sock_dir() -> Iterator[Path]:
    """A short directory under /tmp: pytest's tmp_path can pass the 107-byte sun_path limit."""
    path = tempfile.mkdtemp(prefix="anet-", dir="/tmp")
    try:
        yield Path(path)
    finally:
        shutil.rmtree(path, ignore_errors=True)


def exists(path: str | Path) -> bool:
    return os.path.exists(path)


def abstract_name() -> str:
    return f"\0anyio-net-test-{os.getpid()}-{uuid.uuid4().hex[:12]}"


async def _round_trip(client: net.Socket) -> bytes:
    """Wait for the client to connect, send 'ping', and return what comes back before EOF."""
    chunks = collect(client)
    closed = Waiter(client, "close")
    await net.once(client, "connect")
    client.end(b"ping")
    (had_error,) = await closed.wait()
    assert had_error is False
    return b"".join(chunks)


def _echo_upper(conn: net.Socket) -> None:
    conn.on("data", lambda data: conn.write(data.upper()))


# -- listening and connecting ----------------------------------------------------------------


@pytest.mark.parametrize(
    "listen_form",
    [
        lambda server, path, cb: server.listen(path, cb),
        lambda server, path, cb: server.listen({"path": path}, cb),
        lambda server, path, cb: server.listen(path=path, callback=cb),
        lambda server, path, cb: server.listen({"path": path, "backlog": 5}, cb),
    ],
    ids=["path", "{path}", "path=", "{path, backlog}"],
)
async def test_listen_on_a_path_binds_at_once_and_serves(
    sock_dir: Path, must_call: Any, listen_form: Callable[..., Any]
) -> None:
    path = str(sock_dir / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_call(_echo_upper))
            listening = Waiter(server, "listening")
            assert listen_form(server, path, must_call()) is server
            # Node binds a path synchronously: the file, address() and listening are there.
            assert server.listening
            assert server.address() == path
            assert stat.S_ISSOCK(os.stat(path).st_mode)
            await listening.wait()
            assert await _round_trip(net.connect(path)) == b"PING"
            server.close()
            await net.once(server, "close")


@pytest.mark.parametrize(
    "connect_form",
    [
        lambda path, cb: net.connect(path, cb),
        lambda path, cb: net.connect({"path": path}, cb),
        lambda path, cb: net.connect(path=path, callback=cb),
        lambda path, cb: net.create_connection(path, cb),
        lambda path, cb: net.Socket().connect(path, cb),
        lambda path, cb: net.Socket().connect({"path": path}, cb),
    ],
    ids=[
        "connect(path)",
        "connect({path})",
        "connect(path=)",
        "create_connection",
        "Socket",
        "Socket({path})",
    ],
)
async def test_every_connect_form_reaches_a_unix_server(
    sock_dir: Path, must_call: Any, connect_form: Callable[..., net.Socket]
) -> None:
    path = str(sock_dir / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(_echo_upper).listen(path)
            await net.once(server, "listening")
            client = connect_form(path, must_call())
            assert isinstance(client, net.Socket)
            assert await _round_trip(client) == b"PING"
            server.close()


async def test_unix_sockets_have_no_addresses_at_either_end(sock_dir: Path) -> None:
    path = str(sock_dir / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server().listen(path)
            accepted = Waiter(server, "connection")
            client = net.connect(path)
            await net.once(client, "connect")
            (conn,) = await accepted.wait()
            for sock in (client, conn):
                # Node: remoteAddress, localAddress... are undefined, address() is {}.
                assert sock.remote_address is None
                assert sock.remote_port is None
                assert sock.remote_family is None
                assert sock.local_address is None
                assert sock.local_port is None
                assert sock.address() == {}
                assert sock.ready_state == "open"
            assert server.address() == path
            client.destroy()
            conn.destroy()
            server.close()


async def test_half_close_over_a_unix_socket(sock_dir: Path) -> None:
    path = str(sock_dir / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(conn: net.Socket) -> None:
                received = collect(conn)
                # After the client's FIN the server can still answer.
                conn.on("end", lambda: conn.end(b"got " + b"".join(received)))

            server = net.create_server({"allowHalfOpen": True}, on_connection).listen(path)
            client = net.connect(path)
            assert await _round_trip(client) == b"got ping"
            server.close()


async def test_listen_on_a_relative_path(sock_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sock_dir)
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(_echo_upper).listen("rel.sock")
            # address() gives the path as it was passed, as Node does.
            assert server.address() == "rel.sock"
            assert (sock_dir / "rel.sock").exists()
            assert await _round_trip(net.connect("rel.sock")) == b"PING"
            server.close()
            assert not (sock_dir / "rel.sock").exists()


# -- the socket file ------------------------------------------------------------------------


async def test_close_unlinks_the_socket_file_at_once(sock_dir: Path, must_call: Any) -> None:
    path = str(sock_dir / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server().listen(path)
            await net.once(server, "listening")
            client = net.connect(path)
            accepted = Waiter(server, "connection")
            await net.once(client, "connect")
            (conn,) = await accepted.wait()
            closed = Waiter(server, "close")
            server.close(must_call(lambda *err: None))
            # The file goes with the listening socket, before 'close' (which waits for conn).
            assert not exists(path)
            assert server.address() is None
            conn.destroy()
            client.destroy()
            await closed.wait()
            # ...so the same path can be listened on again.
            again = net.create_server().listen(path)
            await net.once(again, "listening")
            assert again.address() == path
            again.close()
            assert not exists(path)


async def test_runtime_teardown_also_removes_the_file(sock_dir: Path) -> None:
    path = str(sock_dir / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server().listen(path)
            server.unref()  # leaving the block destroys it instead of waiting for it
            await net.once(server, "listening")
            assert exists(path)
    assert not exists(path)


@pytest.mark.parametrize(
    ("readable_all", "writable_all", "expected"),
    [(False, False, 0o700), (True, False, 0o744), (False, True, 0o722), (True, True, 0o766)],
)
async def test_readable_all_and_writable_all_open_the_file_mode(
    sock_dir: Path, readable_all: bool, writable_all: bool, expected: int
) -> None:
    path = str(sock_dir / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            old_umask = os.umask(0o077)  # a known starting mode: rwx for the owner only
            try:
                server.listen(
                    {"path": path, "readableAll": readable_all, "writableAll": writable_all}
                )
            finally:
                os.umask(old_umask)
            assert stat.S_IMODE(os.stat(path).st_mode) == expected
            await net.once(server, "listening")
            server.close()


# -- listen errors --------------------------------------------------------------------------


def _occupy_with_listener(path: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(path)
    sock.listen()
    return sock


def _occupy_with_stale_file(path: str) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(path)  # closing a bound socket leaves its file behind


def _occupy_with_regular_file(path: str) -> None:
    Path(path).write_bytes(b"not a socket")


@pytest.mark.parametrize("occupant", ["listener", "stale socket file", "regular file"])
async def test_an_existing_path_is_eaddrinuse_and_is_left_alone(
    sock_dir: Path, must_call: Any, must_not_call: Any, occupant: str
) -> None:
    path = str(sock_dir / "taken.sock")
    holder: socket.socket | None = None
    if occupant == "listener":
        holder = _occupy_with_listener(path)
    elif occupant == "stale socket file":
        _occupy_with_stale_file(path)
    else:
        _occupy_with_regular_file(path)
    before = os.stat(path)
    try:
        with anyio.fail_after(10):
            async with net.open_runtime():
                server = net.create_server()
                events: list[str] = []
                server.on("listening", lambda: events.append("listening"))
                failed = Waiter(server, "error")
                server.listen(path)
                assert not server.listening
                (err,) = await failed.wait()
                assert events == []
                assert isinstance(err, net.NetError)
                assert (err.code, err.errno, err.syscall) == (
                    "EADDRINUSE",
                    errno.EADDRINUSE,
                    "listen",
                )
                assert (err.address, err.port) == (path, -1)
                assert str(err) == f"listen EADDRINUSE: address already in use {path}"
                assert server.address() is None
                # The failed listen neither removed nor replaced what was there...
                after = os.stat(path)
                assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
                # ...and the server can listen again elsewhere.
                other = str(sock_dir / "free.sock")
                server.listen(other, must_call())
                assert server.address() == other
                await net.once(server, "listening")
                server.close()
    finally:
        if holder is not None:
            holder.close()
    assert exists(path)


async def test_a_missing_directory_is_eacces_as_in_node(sock_dir: Path) -> None:
    path = str(sock_dir / "no" / "such" / "dir.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            failed = Waiter(server, "error")
            server.listen({"path": path})
            (err,) = await failed.wait()
    # libuv reports ENOENT from bind() as EACCES; Node v20 says "listen EACCES".
    assert (err.code, err.errno, err.syscall) == ("EACCES", errno.EACCES, "listen")
    assert (err.address, err.port) == (path, -1)
    assert str(err) == f"listen EACCES: permission denied {path}"
    assert not server.listening


def _locked_directory(parent: Path) -> Path:
    parent.chmod(0o755)
    locked = parent / "locked"
    locked.mkdir(mode=0o555)
    return locked


async def test_a_directory_without_write_permission_is_eacces(sock_dir: Path) -> None:
    path = str(_locked_directory(sock_dir) / "s.sock")
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            failed = Waiter(server, "error")
            # listen() binds synchronously, so permissions only matter during the call. Root
            # passes every permission check: act as 'nobody' for just that call.
            as_root = os.geteuid() == 0
            if as_root:
                os.seteuid(65534)
            try:
                server.listen(path)
            finally:
                if as_root:
                    os.seteuid(0)
            (err,) = await failed.wait()
    assert (err.code, err.errno, err.syscall) == ("EACCES", errno.EACCES, "listen")
    assert (err.address, err.port) == (path, -1)
    assert not exists(path)


async def test_a_path_too_long_for_sun_path_is_einval(sock_dir: Path) -> None:
    # libuv silently truncates such a name (and binds somewhere else); we refuse it with
    # EINVAL, as Node does since v22 (test-net-pipe-with-long-path.js).
    path = str(sock_dir / ("x" * 120))
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            failed = Waiter(server, "error")
            server.listen(path)
            (err,) = await failed.wait()
            assert (err.code, err.syscall, err.address) == ("EINVAL", "listen", path)
            client = net.connect(path)
            closed = Waiter(client, "close")
            (cerr,) = await wait_for(client, "error")
            assert (cerr.code, cerr.syscall, cerr.address) == ("EINVAL", "connect", path)
            assert await closed.wait() == (True,)
    assert not exists(sock_dir / ("x" * 120))


# -- connect errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda path: None, "ENOENT"),
        (_occupy_with_regular_file, "ECONNREFUSED"),
        (_occupy_with_stale_file, "ECONNREFUSED"),
    ],
    ids=["missing", "regular file", "stale socket file"],
)
async def test_connect_errors_carry_the_path(
    sock_dir: Path, must_not_call: Any, setup: Callable[[str], None], code: str
) -> None:
    path = str(sock_dir / "target.sock")
    setup(path)
    with anyio.fail_after(10):
        async with net.open_runtime():
            client = net.connect(path, must_not_call())
            events: list[str] = []
            client.on("error", lambda err: events.append("error"))
            client.on("close", lambda had_error: events.append(f"close {had_error}"))
            closed = Waiter(client, "close")
            (err,) = await wait_for(client, "error")
            await closed.wait()
    assert (err.code, err.errno, err.syscall) == (code, getattr(errno, code), "connect")
    assert (err.address, err.port) == (path, None)
    assert str(err).startswith(f"connect {code}")
    assert str(err).endswith(f" {path}")
    assert events == ["error", "close True"]


# -- abstract names (Linux) ------------------------------------------------------------------


@linux_only
async def test_abstract_names_listen_connect_and_collide(must_call: Any) -> None:
    name = abstract_name()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(_echo_upper).listen(name, must_call())
            assert server.address() == name
            assert await _round_trip(net.connect(name)) == b"PING"
            twin = net.create_server()
            (err,) = await wait_for(twin.listen({"path": name}), "error")
            assert (err.code, err.syscall, err.address) == ("EADDRINUSE", "listen", name)
            server.close()
            await net.once(server, "close")
            # Nothing on disk to unlink: the name is free again as soon as it is closed.
            again = net.create_server().listen(name)
            await net.once(again, "listening")
            again.close()


@linux_only
@pytest.mark.parametrize("option", ["readableAll", "writableAll"])
async def test_abstract_names_refuse_readable_all_and_writable_all(option: str) -> None:
    async with net.open_runtime():
        server = net.create_server()
        with pytest.raises(TypeError) as info:
            server.listen({"path": abstract_name(), option: True})
    assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_VALUE"
    assert isinstance(info.value, ValueError)
    assert not server.listening


# -- against Node ---------------------------------------------------------------------------

NODE_UNIX_ECHO = r"""
const net = require('net');
const path = process.argv[1];
const server = net.createServer((c) => {
  c.on('data', (d) => c.write('node:' + d));
  c.on('end', () => { c.end(); server.close(); });
});
server.listen(path, () => console.log(JSON.stringify(server.address())));
"""

NODE_UNIX_CLIENT = r"""
const net = require('net');
const c = net.connect(process.argv[1], () => {
  console.log(JSON.stringify([c.remoteAddress === undefined, c.address()]));
  c.end('from node');
});
let got = '';
c.on('data', (d) => { got += d; });
c.on('close', () => console.log(got));
"""


@pytest.mark.needs_node
async def test_our_client_against_a_node_unix_server(node: str, sock_dir: Path) -> None:
    path = str(sock_dir / "node.sock")
    with anyio.fail_after(15):
        async with await anyio.open_process([node, "-e", NODE_UNIX_ECHO, path]) as process:
            assert process.stdout is not None
            first = (await process.stdout.receive()).decode().strip()
            assert first == f'"{path}"'
            async with net.open_runtime():
                assert await _round_trip(net.connect(path)) == b"node:ping"
            assert await process.wait() == 0
    # Node unlinked its socket file on close.
    assert not exists(path)


@pytest.mark.needs_node
async def test_node_client_against_our_unix_server(node: str, sock_dir: Path) -> None:
    path = str(sock_dir / "ours.sock")
    with anyio.fail_after(15):
        async with net.open_runtime():

            def on_connection(conn: net.Socket) -> None:
                conn.on("data", lambda data: conn.write(b"py:" + data))

            server = net.create_server(on_connection).listen(path)
            await net.once(server, "listening")
            result = await anyio.run_process([node, "-e", NODE_UNIX_CLIENT, path], check=False)
            server.close()
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines() == ["[true,{}]", "py:from node"]
