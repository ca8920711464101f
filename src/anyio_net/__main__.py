"""``python -m anyio_net``: try anyio-net from a terminal.

python -m anyio_net serve-echo [--port 8124] [--host HOST] [--path PATH] [--backend trio]
python -m anyio_net connect HOST PORT | connect --path PATH
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from . import _api
from ._runtime import run


def _serve_echo(args: argparse.Namespace) -> int:
    def main() -> None:
        def on_connection(c: Any) -> None:
            print("client connected", flush=True)
            c.on("end", lambda: print("client disconnected", flush=True))
            c.write("hello\r\n")
            c.pipe(c)

        server = _api.create_server(on_connection)

        def on_listening() -> None:
            address = server.address()
            if isinstance(address, dict):
                where = f"{address['address']} port {address['port']}"
                hint = f"nc localhost {address['port']}"
            else:
                where, hint = str(address), f"nc -U {address}"
            print(f"echo server listening on {where} (try: {hint})", flush=True)

        def on_error(err: Any) -> None:
            if getattr(err, "code", None) == "EADDRINUSE":
                print(
                    f"error: port {args.port} is already in use; try another one, e.g. "
                    f"--port {args.port + 1}",
                    file=sys.stderr,
                    flush=True,
                )
                raise SystemExit(1)
            raise err

        server.on("error", on_error)
        if args.path:
            server.listen(args.path, on_listening)
        else:
            server.listen(args.port, args.host, on_listening)

    try:
        run(main, backend=args.backend)
    except KeyboardInterrupt:
        return 130
    return 0


def _connect(args: argparse.Namespace) -> int:
    import anyio

    async def main() -> None:
        sock = _api.connect(args.path) if args.path else _api.connect(args.port, args.host)
        done = anyio.Event()
        failed: list[BaseException] = []
        sock.on("data", lambda chunk: (sys.stdout.buffer.write(chunk), sys.stdout.flush()))

        def on_error(err: BaseException) -> None:
            failed.append(err)
            print(f"error: {err}", file=sys.stderr)

        sock.on("error", on_error)
        sock.on("close", lambda *_: done.set())

        async def pump_stdin() -> None:
            stdin = anyio.wrap_file(sys.stdin.buffer)
            while True:
                chunk = await stdin.read1(65536) if hasattr(sys.stdin.buffer, "read1") else b""
                if not chunk:
                    sock.end()
                    return
                sock.write(chunk)

        async with anyio.create_task_group() as tg:
            tg.start_soon(pump_stdin)
            await done.wait()
            tg.cancel_scope.cancel()
        if failed:
            raise SystemExit(1)

    run(main, backend=args.backend)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m anyio_net", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve-echo", help="the seed's echo server")
    serve.add_argument("--port", type=int, default=8124)
    serve.add_argument("--host", default=None)
    serve.add_argument("--path", default=None, help="listen on a Unix socket path instead")
    serve.add_argument("--backend", default="asyncio", choices=["asyncio", "trio"])
    serve.set_defaults(func=_serve_echo)
    conn = sub.add_parser("connect", help="a netcat-like client")
    conn.add_argument("host", nargs="?", default="localhost")
    conn.add_argument("port", nargs="?", type=int, default=8124)
    conn.add_argument("--path", default=None)
    conn.add_argument("--backend", default="asyncio", choices=["asyncio", "trio"])
    conn.set_defaults(func=_connect)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
