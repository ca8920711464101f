"""Serving from several processes: SO_REUSEPORT, and connections handed over as descriptors."""

from __future__ import annotations

import errno
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, Waiter, collect, port_of, wait_for

import anyio_net as net

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).with_name("fd_worker.py")
EXAMPLE_BACKEND = {"asyncio": "asyncio", "asyncio+uvloop": "uvloop", "trio": "trio"}

needs_reuse_port = pytest.mark.skipif(
    not hasattr(socket, "SO_REUSEPORT"), reason="this platform has no SO_REUSEPORT"
)


def child_env() -> dict[str, str]:
    """The environment for a child Python that must import this anyio_net."""
    env = dict(os.environ)
    src = str(Path(net.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    return env


@pytest.fixture
def channel() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        yield ours, theirs
    finally:
        ours.close()
        theirs.close()


# -- reusePort --------------------------------------------------------------------------------


@needs_reuse_port
@pytest.mark.parametrize(
    "listen_second",
    [
        lambda server, port: server.listen({"port": port, "host": LOCALHOST, "reusePort": True}),
        lambda server, port: server.listen(port=port, host=LOCALHOST, reuse_port=True),
    ],
    ids=["{reusePort}", "reuse_port="],
)
async def test_reuse_port_shares_a_port_and_both_servers_get_connections(
    listen_second: Any,
) -> None:
    clients = 32
    hits = {"first": 0, "second": 0}
    with anyio.fail_after(15):
        async with net.open_runtime():

            def answer(name: str) -> Any:
                def on_connection(conn: net.Socket) -> None:
                    hits[name] += 1
                    conn.end(name.encode())

                return on_connection

            first = net.create_server(answer("first"))
            first.listen({"port": 0, "host": LOCALHOST, "reusePort": True})
            port = port_of(first)
            second = net.create_server(answer("second"))
            listen_second(second, port)
            assert port_of(second) == port
            await net.once(second, "listening")
            # The kernel picks a listener per connection by hashing its addresses: with 32
            # client ports, one server getting them all has odds of 2**-31.
            done = anyio.Event()
            answers: list[bytes] = []

            def on_close(chunks: list[bytes]) -> None:
                answers.append(b"".join(chunks))
                if len(answers) == clients:
                    done.set()

            for _ in range(clients):
                client = net.connect(port, LOCALHOST)
                chunks = collect(client)
                client.on("close", lambda _had_error, chunks=chunks: on_close(chunks))
            await done.wait()
            first.close()
            second.close()
    assert sorted(set(answers)) == [b"first", b"second"]
    assert hits["first"] + hits["second"] == clients
    assert hits["first"] > 0
    assert hits["second"] > 0


@needs_reuse_port
async def test_without_reuse_port_the_second_server_gets_eaddrinuse() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            first = net.create_server()
            first.listen({"port": 0, "host": LOCALHOST, "reusePort": True})
            second = net.create_server()
            (err,) = await wait_for(second.listen(port_of(first), LOCALHOST), "error")
            assert (err.code, err.errno, err.syscall) == ("EADDRINUSE", errno.EADDRINUSE, "listen")
            assert not second.listening
            first.close()


# -- descriptors handed to another process ------------------------------------------------------


async def test_a_connection_handed_to_another_process_delivers_every_byte_once(
    backend_name: str, channel: tuple[socket.socket, socket.socket]
) -> None:
    ours, theirs = channel
    before = bytes(range(256)) * 256  # 64 KiB the parent must not touch
    after = b"".join(b"after %d;" % i for i in range(5000))  # sent once the worker has it
    with anyio.fail_after(25):
        process = await anyio.open_process(
            [sys.executable, str(WORKER), backend_name, str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            env=child_env(),
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        try:
            async with net.open_runtime():
                server = net.create_server({"pauseOnConnect": True})
                accepted = Waiter(server, "connection")
                server.listen(0, LOCALHOST)
                client = net.connect(port_of(server), LOCALHOST)
                echoed = collect(client)
                client_closed = Waiter(client, "close")
                written = anyio.Event()
                client.write(before, lambda err=None: written.set())
                (conn,) = await accepted.wait()
                await written.wait()
                # The first bytes have reached the accepted socket, unread (pauseOnConnect).
                await anyio.wait_readable(conn.fileno())
                socket.send_fds(ours, [b"C"], [conn.fileno()])
                conn_closed = Waiter(conn, "close")
                conn.destroy()  # closes our descriptor only: the worker has its own
                assert await conn_closed.wait() == (False,)
                assert conn.bytes_read == 0
                client.end(after)
                assert await client_closed.wait() == (False,)
                server.close()
            echo = b"".join(echoed)
            assert len(echo) == len(before) + len(after)
            assert echo == before + after
        finally:
            ours.close()  # the worker leaves once its connections are gone
            await process.wait()
            assert process.stderr is not None
            stderr = (await process.stderr.receive(65536)) if process.returncode else b""
            await process.aclose()
        assert process.returncode == 0, stderr.decode(errors="replace")


async def test_socket_fileno_is_minus_one_without_a_descriptor() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            assert server.fileno() == -1
            server.listen(0, LOCALHOST)
            assert server.fileno() >= 0
            sock = net.Socket()
            assert sock.fileno() == -1
            client = net.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            assert client.fileno() >= 0
            client.destroy()
            await net.once(client, "close")
            assert client.fileno() == -1
            server.close()
            assert server.fileno() == -1


async def test_a_listening_descriptor_served_by_another_process(
    backend_name: str, channel: tuple[socket.socket, socket.socket]
) -> None:
    """``listen({"fd": n})`` in a second process serves a socket this one bound."""
    script = (
        "import sys, anyio_net as net\n"
        "def main():\n"
        "    server = net.create_server(lambda c: c.end(b'child'))\n"
        "    server.listen({'fd': int(sys.argv[1])}, lambda: print('listening', flush=True))\n"
        "    server.on('connection', lambda c: server.close())\n"
        "net.run(main)\n"
    )
    listener = socket.socket()
    listener.bind((LOCALHOST, 0))
    port = listener.getsockname()[1]
    with anyio.fail_after(25):
        try:
            async with await anyio.open_process(
                [sys.executable, "-c", script, str(listener.fileno())],
                pass_fds=[listener.fileno()],
                env=child_env(),
            ) as process:
                listener.close()  # the child has its own copy
                assert process.stdout is not None
                assert (await process.stdout.receive()).strip() == b"listening"
                async with net.open_runtime():
                    client = net.connect(port, LOCALHOST)
                    chunks = collect(client)
                    await wait_for(client, "end")
                assert b"".join(chunks) == b"child"
                assert await process.wait() == 0
        finally:
            listener.close()


# -- the examples -----------------------------------------------------------------------------


async def _run_example(name: str, *args: str) -> list[str]:
    result = await anyio.run_process(
        [sys.executable, str(ROOT / "examples" / name), *args], env=child_env(), check=False
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout.decode().splitlines()


def _per_worker(lines: list[str]) -> dict[str, int]:
    found = [re.fullmatch(r"worker (\d+): (\d+) connection\(s\)", line) for line in lines[1:]]
    assert all(found), lines
    return {m.group(1): int(m.group(2)) for m in found if m is not None}


@needs_reuse_port
async def test_reuseport_example_spreads_connections_over_its_workers(backend_name: str) -> None:
    backend = EXAMPLE_BACKEND[backend_name]
    with anyio.fail_after(25):
        lines = await _run_example(
            "reuseport_workers.py", "--demo", "24", "--port", "0", "--backend", backend
        )
    assert re.fullmatch(r"2 workers listening on 127\.0\.0\.1:\d+", lines[0])
    counts = _per_worker(lines)
    assert len(counts) == 2  # both workers answered (odds of one taking all 24: 2**-23)
    assert sum(counts.values()) == 24


async def test_fd_passing_example_hands_connections_round_robin(backend_name: str) -> None:
    backend = EXAMPLE_BACKEND[backend_name]
    with anyio.fail_after(25):
        lines = await _run_example(
            "fd_passing_workers.py", "--demo", "6", "--port", "0", "--backend", backend
        )
    assert re.fullmatch(r"2 workers behind 127\.0\.0\.1:\d+", lines[0])
    assert sorted(_per_worker(lines).values()) == [3, 3]
