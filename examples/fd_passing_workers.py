"""One process accepts, worker processes serve: connections handed over as descriptors.

    python examples/fd_passing_workers.py [--workers 2] [--port 8124] [--backend asyncio]
    python examples/fd_passing_workers.py --demo 20    # connect 20 times, show who answered

The parent listens with ``pauseOnConnect``, so it never reads from a connection. For each one
it sends the descriptor (``conn.fileno()``) to a worker over a Unix socket with
``socket.send_fds`` (SCM_RIGHTS), round robin, then ``destroy()``s its own copy, which closes
that descriptor only: the connection itself lives on in the worker, where
``net.Socket({"fd": fd, "readable": True, "writable": True})`` picks it up. Whatever the
client sent meanwhile waits in the kernel's buffer, so no byte is lost or read twice.

This is how Node's cluster module hands connections out in its round-robin mode; the
parent decides who gets which connection (by load, by address...), which SO_REUSEPORT
(``examples/reuseport_workers.py``) leaves to a kernel hash.

Each connection is answered with ``worker <pid>`` and then echoed.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import socket
from collections import Counter
from typing import Any

import anyio

import anyio_net as net

BACKENDS: dict[str, tuple[str, dict[str, Any]]] = {
    "asyncio": ("asyncio", {}),
    "uvloop": ("asyncio", {"use_uvloop": True}),
    "trio": ("trio", {}),
}


# -- worker -----------------------------------------------------------------------------------


def worker(channel: socket.socket, backend: str) -> None:
    """A worker process: serve every connection that arrives on ``channel``."""

    def on_connection(conn: net.Socket) -> None:
        conn.on("error", lambda err: None)  # a client's reset is not this worker's problem
        conn.write(f"worker {os.getpid()}\n")
        conn.pipe(conn)

    async def main() -> None:
        channel.setblocking(False)
        while True:
            await anyio.wait_readable(channel)
            try:
                message, fds, _flags, _address = socket.recv_fds(channel, 64, 64)
            except BlockingIOError:
                continue
            if not message:
                break  # the parent closed the channel: take no more connections
            for fd in fds:
                on_connection(net.Socket({"fd": fd, "readable": True, "writable": True}))
        channel.close()
        # net.run returns once the connections already handed to us have closed.

    name, options = BACKENDS[backend]
    net.run(main, backend=name, backend_options=options)


# -- parent -----------------------------------------------------------------------------------


class HandOff:
    """Sends accepted connections to workers, round robin, one SCM_RIGHTS message each."""

    def __init__(self, channels: list[socket.socket]) -> None:
        for channel in channels:
            channel.setblocking(False)
        self._next = itertools.cycle([(channel, anyio.Lock()) for channel in channels])

    async def __call__(self, conn: net.Socket) -> None:
        channel, lock = next(self._next)
        async with lock:  # one sender per channel at a time
            while True:
                fd = conn.fileno()
                if fd < 0:
                    return  # already gone (destroyed while we waited)
                try:
                    socket.send_fds(channel, [b"C"], [fd])
                    break
                except BlockingIOError:  # the worker is behind: wait for room
                    await anyio.wait_writable(channel)
        # The worker holds the connection now; this closes only our descriptor for it.
        conn.destroy()


def start_workers(count: int, backend: str) -> tuple[list[Any], list[socket.socket]]:
    """Start ``count`` workers; return them with the parent's end of each one's channel."""
    ctx = multiprocessing.get_context("spawn")
    processes, channels = [], []
    for _ in range(count):
        # SEQPACKET keeps each message, and the descriptor riding on it, separate.
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        process = ctx.Process(target=worker, args=(theirs, backend), daemon=True)
        process.start()
        theirs.close()
        processes.append(process)
        channels.append(ours)
    return processes, channels


def serve(
    port: int, host: str, channels: list[socket.socket], backend: str, demo_connections: int
) -> None:
    async def main() -> None:
        server = net.create_server({"pauseOnConnect": True}, HandOff(channels))
        server.listen(port, host)
        await net.once(server, "listening")
        address = server.address()
        assert isinstance(address, dict)
        bound: int = address["port"]
        print(f"{len(channels)} workers behind {host}:{bound}", flush=True)
        if demo_connections:
            answered = await anyio.to_thread.run_sync(demo, bound, host, demo_connections)
            for who, count in sorted(answered.items()):
                print(f"{who}: {count} connection(s)")
            server.close()

    name, options = BACKENDS[backend]
    net.run(main, backend=name, backend_options=options)


def demo(port: int, host: str, connections: int) -> Counter[str]:
    """Connect ``connections`` times; check the echo; count who answered."""
    answered: Counter[str] = Counter()
    for number in range(connections):
        with socket.create_connection((host, port)) as sock:
            sock.sendall(f"hello {number}\n".encode())  # sent before the hand-off, likely
            lines = sock.makefile()
            who = lines.readline().strip()
            assert lines.readline() == f"hello {number}\n"
            answered[who] += 1
    return answered


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8124)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="asyncio")
    parser.add_argument("--demo", type=int, metavar="N", help="make N connections, then stop")
    args = parser.parse_args(argv)
    processes, channels = start_workers(args.workers, args.backend)
    try:
        serve(args.port, args.host, channels, args.backend, args.demo or 0)
    except KeyboardInterrupt:
        pass
    finally:
        for channel in channels:
            channel.close()  # each worker finishes its connections and exits
        for process in processes:
            process.join()


if __name__ == "__main__":
    main()
