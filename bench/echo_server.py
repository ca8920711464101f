"""Echo servers for the benchmark suite, one per process.

    python bench/echo_server.py KIND BACKEND [--port N]

KIND is ``net-pipe`` (anyio-net, ``c.pipe(c)``), ``net-data`` (anyio-net,
``c.on('data', c.write)``), ``net-stream`` (anyio-net's generic path: ``c.pipe(c)`` on
``Socket.from_stream()`` of each AnyIO stream), ``anyio`` (raw AnyIO streams) or
``protocol`` (an asyncio Protocol); BACKEND is ``asyncio``, ``uvloop`` or ``trio``. Listens
on 127.0.0.1 and prints ``PORT <n>`` once it accepts connections; runs until killed.
"""

from __future__ import annotations

import argparse
import resource
import sys
from typing import Any


def _raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _ready(port: int) -> None:
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()


def _anyio_run_args(backend: str) -> tuple[str, dict[str, Any]]:
    if backend == "uvloop":
        return "asyncio", {"use_uvloop": True}
    return backend, {}


def serve_net(kind: str, backend: str, port: int) -> None:
    import anyio_net as net

    def on_connection(c: Any) -> None:
        c.on("error", lambda err: None)  # a peer's reset must not end the benchmark
        if kind == "net-pipe":
            c.pipe(c)
        else:
            c.on("data", c.write)

    def main() -> None:
        server = net.create_server(on_connection)
        server.listen(port, "127.0.0.1", lambda: _ready(server.address()["port"]))

    name, options = _anyio_run_args(backend)
    net.run(main, backend=name, backend_options=options)


def serve_net_stream(backend: str, port: int) -> None:
    import anyio
    from anyio.abc import SocketStream

    import anyio_net as net

    async def handle(stream: SocketStream) -> None:
        closed = anyio.Event()
        c = net.Socket.from_stream(stream)
        c.on("error", lambda err: None)
        c.on("close", lambda had_error: closed.set())
        c.pipe(c)
        await closed.wait()

    async def main() -> None:
        async with net.open_runtime():
            listener = await anyio.create_tcp_listener(
                local_host="127.0.0.1", local_port=port, backlog=511
            )
            _ready(listener.extra(anyio.abc.SocketAttribute.local_port))
            await listener.serve(handle)

    name, options = _anyio_run_args(backend)
    anyio.run(main, backend=name, backend_options=options)


def serve_anyio(backend: str, port: int) -> None:
    import anyio
    from anyio.abc import SocketStream

    async def handle(stream: SocketStream) -> None:
        async with stream:
            try:
                while True:
                    await stream.send(await stream.receive(65536))
            except (anyio.EndOfStream, anyio.BrokenResourceError, OSError):
                pass

    async def main() -> None:
        listener = await anyio.create_tcp_listener(
            local_host="127.0.0.1", local_port=port, backlog=511
        )
        _ready(listener.extra(anyio.abc.SocketAttribute.local_port))
        await listener.serve(handle)

    name, options = _anyio_run_args(backend)
    anyio.run(main, backend=name, backend_options=options)


def serve_protocol(backend: str, port: int) -> None:
    import asyncio

    class Echo(asyncio.Protocol):
        transport: asyncio.Transport

        def connection_made(self, transport: Any) -> None:
            self.transport = transport

        def data_received(self, data: bytes) -> None:
            self.transport.write(data)

        def eof_received(self) -> None:
            return None  # close, as a Node socket without allowHalfOpen

        def pause_writing(self) -> None:
            self.transport.pause_reading()

        def resume_writing(self) -> None:
            self.transport.resume_reading()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(Echo, "127.0.0.1", port, backlog=511)
        _ready(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    if backend == "uvloop":
        import uvloop

        uvloop.run(main())
    else:
        asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["net-pipe", "net-data", "net-stream", "anyio", "protocol"])
    parser.add_argument("backend", choices=["asyncio", "uvloop", "trio"])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    _raise_nofile()
    if args.kind in ("net-pipe", "net-data"):
        serve_net(args.kind, args.backend, args.port)
    elif args.kind == "net-stream":
        serve_net_stream(args.backend, args.port)
    elif args.kind == "anyio":
        serve_anyio(args.backend, args.port)
    else:
        if args.backend == "trio":
            parser.error("the protocol server runs on asyncio only")
        serve_protocol(args.backend, args.port)


if __name__ == "__main__":
    main()
