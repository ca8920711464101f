"""Several processes serving one port, each with its own listening socket (SO_REUSEPORT).

    python examples/reuseport_workers.py [--workers 2] [--port 8124] [--backend asyncio]
    python examples/reuseport_workers.py --demo 20    # connect 20 times, show who answered

Every worker is an independent process that calls ``listen({"port": p, "reusePort": True})``;
the kernel spreads new connections over their listening sockets (by a hash of each
connection's addresses). There is no manager process in the data path: the parent only
starts the workers, learns the port, and waits. Linux (3.9+) and recent BSDs have
SO_REUSEPORT; each worker is a full anyio_net program and can run a different backend.

Each connection is answered with ``worker <pid>`` and then echoed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
from collections import Counter
from multiprocessing.connection import Connection
from typing import Any

import anyio_net as net

BACKENDS: dict[str, tuple[str, dict[str, Any]]] = {
    "asyncio": ("asyncio", {}),
    "uvloop": ("asyncio", {"use_uvloop": True}),
    "trio": ("trio", {}),
}


def worker(port: int, host: str, backend: str, report: Connection) -> None:
    """One worker process: an echo server on the shared port, until the parent says stop."""

    def on_connection(conn: net.Socket) -> None:
        conn.on("error", lambda err: None)  # a client's reset is not this worker's problem
        conn.write(f"worker {os.getpid()}\n")
        conn.pipe(conn)

    async def main() -> None:
        import anyio

        server = net.create_server(on_connection)
        server.listen({"port": port, "host": host, "reusePort": True})
        await net.once(server, "listening")
        address = server.address()
        assert isinstance(address, dict)
        report.send(address["port"])
        # Serve until the parent closes its end of the pipe (or dies): then it reads as EOF.
        await anyio.wait_readable(report.fileno())
        server.close()

    name, options = BACKENDS[backend]
    net.run(main, backend=name, backend_options=options)


def start_workers(
    count: int, port: int, host: str, backend: str
) -> tuple[int, list[Any], list[Connection]]:
    """Start ``count`` workers on one port and return (port, processes, control pipes).

    With port 0 the first worker lets the OS pick; the others join the port it got.
    """
    ctx = multiprocessing.get_context("spawn")  # no fork: each worker starts clean
    processes, pipes = [], []
    for _ in range(count):
        ours, theirs = ctx.Pipe()
        process = ctx.Process(target=worker, args=(port, host, backend, theirs), daemon=True)
        process.start()
        theirs.close()
        port = ours.recv()  # the worker is listening once it reports its port
        processes.append(process)
        pipes.append(ours)
    return port, processes, pipes


def stop_workers(processes: list[Any], pipes: list[Connection]) -> None:
    for pipe in pipes:
        pipe.close()  # each worker sees EOF, closes its server and exits
    for process in processes:
        process.join()


def demo(port: int, host: str, connections: int) -> Counter[str]:
    """Connect ``connections`` times (plain sockets, one after another); count who answered."""
    answered: Counter[str] = Counter()
    for _ in range(connections):
        with socket.create_connection((host, port)) as sock:
            answered[sock.makefile().readline().strip()] += 1
    return answered


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8124)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="asyncio")
    parser.add_argument("--demo", type=int, metavar="N", help="make N connections, then stop")
    args = parser.parse_args(argv)
    port, processes, pipes = start_workers(args.workers, args.port, args.host, args.backend)
    print(f"{args.workers} workers listening on {args.host}:{port}", flush=True)
    try:
        if args.demo:
            for who, count in sorted(demo(port, args.host, args.demo).items()):
                print(f"{who}: {count} connection(s)")
        else:
            for process in processes:
                process.join()
    except KeyboardInterrupt:
        pass
    finally:
        stop_workers(processes, pipes)


if __name__ == "__main__":
    main()
