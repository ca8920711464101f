"""``python -m anyio_net``: try anyio-net from a terminal, as the seed does with telnet and nc.

Commands:
    serve-echo [--port 8124] [--host HOST] [--path PATH] [--backend asyncio|trio]
        The seed's echo server: says ``hello`` to each client and echoes what it sends.
    connect HOST PORT | connect --path PATH [--backend asyncio|trio]
        A netcat-like client: standard input goes to the socket, the socket goes to standard
        output; at the end of standard input our side is half-closed (FIN), and the command
        exits when the socket closes.

Exit status: 0 on success, 1 on a network error (the message says which), 2 on bad
arguments, 130 when interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from typing import Any

import anyio

from . import _api
from ._runtime import run
from ._socket import Socket

DEFAULT_PORT = 8124
_BACKENDS = ("asyncio", "trio")


def _say(text: str) -> None:
    print(text, flush=True)


def _complain(text: str) -> None:
    print(f"error: {text}", file=sys.stderr, flush=True)


def _code(err: BaseException) -> str | None:
    code = getattr(err, "code", None)
    return code if isinstance(code, str) else None


def _interrupted(exc: BaseException) -> bool:
    """Ctrl-C, alone or in an exception group (Trio delivers it inside a task)."""
    if isinstance(exc, KeyboardInterrupt):
        return True
    inner = getattr(exc, "exceptions", None)
    return isinstance(inner, tuple) and bool(inner) and all(_interrupted(e) for e in inner)


def _run(main: Any, args: argparse.Namespace) -> bool:
    """Run ``main`` on the chosen backend; False if it was interrupted with Ctrl-C."""
    try:
        run(main, backend=args.backend)
    except BaseException as exc:
        if _interrupted(exc):
            return False
        raise
    return True


def _port(text: str) -> int:
    try:
        port = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0-65535, got {port}")
    return port


# -- serve-echo -------------------------------------------------------------------------------


def _listen_error_text(err: BaseException, args: argparse.Namespace) -> str:
    code = _code(err)
    if args.path:
        if code == "EADDRINUSE":
            return (
                f"{args.path} is already in use (EADDRINUSE): another server may be running; "
                "remove the file if none is, or pick another --path"
            )
        return f"cannot listen on {args.path}: {err}"
    if code == "EADDRINUSE":
        other = args.port + 1 if 0 < args.port < 65535 else 0
        return (
            f"port {args.port} is already taken (EADDRINUSE): another program listens on it; "
            f"try another port, e.g. --port {other} (or --port 0 for any free port)"
        )
    if code == "EACCES":
        return (
            f"not allowed to listen on port {args.port} (EACCES): ports below 1024 need "
            f"privileges; try --port {DEFAULT_PORT}"
        )
    if code in ("EADDRNOTAVAIL", "ENOTFOUND"):
        return f"cannot listen on host {args.host!r} ({code}): it is not an address of this machine"
    return f"cannot listen: {err}"


def _where(address: object) -> tuple[str, str]:
    """Where the server listens, and a command to reach it."""
    if isinstance(address, dict):
        host, port = str(address["address"]), address["port"]
        shown = f"{host} port {port}"
        local = "localhost" if host in ("::", "0.0.0.0") else host
        return shown, f"nc {local} {port}"
    return str(address), f"nc -U {address}"


def _serve_echo(args: argparse.Namespace) -> int:
    failed: list[BaseException] = []

    def main() -> None:
        def on_connection(c: Socket) -> None:  # the seed's 'connection' listener
            _say("client connected")
            c.on("end", lambda: _say("client disconnected"))
            c.on("error", lambda err: _complain(f"client: {err}"))
            c.write("hello\r\n")
            c.pipe(c)

        server = _api.create_server(on_connection)

        def on_listening() -> None:
            shown, hint = _where(server.address())
            _say(f"echo server listening on {shown} (try: {hint})")

        def on_error(err: BaseException) -> None:
            failed.append(err)
            _complain(_listen_error_text(err, args))

        server.on("error", on_error)
        if args.path:
            server.listen(args.path, on_listening)
        else:
            server.listen(args.port, args.host, on_listening)

    if not _run(main, args):
        return 130
    return 1 if failed else 0


# -- connect ----------------------------------------------------------------------------------


async def _read_stdin(fd: int, size: int = 65536) -> bytes:
    """The next chunk of standard input, without blocking the event loop."""
    try:
        await anyio.wait_readable(fd)
    except OSError as exc:
        # Regular files and /dev/null cannot be polled; reading them never blocks for long.
        if exc.errno not in (errno.EPERM, errno.EINVAL):
            raise
    return os.read(fd, size)


def _connect_error_text(err: BaseException, args: argparse.Namespace) -> str:
    code = _code(err)
    if code == "ECONNREFUSED":
        return f"{err}: nothing listens there (try: python -m anyio_net serve-echo)"
    if code == "ENOENT" and args.path:
        return f"{err}: no such socket file"
    if code == "ENOTFOUND":
        return f"{err}: unknown host {args.host!r}"
    return str(err)


def _connect(args: argparse.Namespace) -> int:
    failed: list[BaseException] = []
    stdin_fd = sys.stdin.fileno()
    stdout = sys.stdout.buffer

    async def main() -> None:
        sock = _api.connect(args.path) if args.path else _api.connect(args.port, args.host)
        closed = anyio.Event()

        def on_data(chunk: bytes) -> None:
            try:
                stdout.write(chunk)
                stdout.flush()
            except BrokenPipeError:  # whoever reads our output has gone
                sock.destroy()

        def on_error(err: BaseException) -> None:
            failed.append(err)
            _complain(_connect_error_text(err, args))

        sock.on("data", on_data)
        sock.on("error", on_error)
        sock.on("close", lambda *_: closed.set())

        async def pump_stdin() -> None:
            while True:
                chunk = await _read_stdin(stdin_fd)
                if not chunk:
                    sock.end()  # half-close: the peer sees our FIN and may still answer
                    return
                if sock.destroyed:
                    return
                sock.write(chunk)

        async with anyio.create_task_group() as tg:
            tg.start_soon(pump_stdin)
            await closed.wait()
            tg.cancel_scope.cancel()

    if not _run(main, args):
        return 130
    return 1 if failed else 0


# -- command line -----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m anyio_net",
        description="Try anyio-net: Node's net module on AnyIO (asyncio or Trio).",
        epilog="Run 'python -m anyio_net COMMAND --help' for the options of a command.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser(
        "serve-echo",
        help="run the seed's echo server",
        description=(
            "The seed's echo server: greets each client with 'hello' and sends back "
            "whatever it receives. Prints where it listens; stop it with Ctrl-C."
        ),
        epilog=f"Then, in another terminal: nc localhost {DEFAULT_PORT}",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"TCP port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    serve.add_argument(
        "--host",
        default=None,
        help="address or name to listen on (default: every address, IPv6 and IPv4)",
    )
    serve.add_argument("--path", default=None, help="listen on this Unix socket path instead")
    serve.add_argument(
        "--backend", default="asyncio", choices=_BACKENDS, help="event loop (default asyncio)"
    )
    serve.set_defaults(func=_serve_echo)

    conn = sub.add_parser(
        "connect",
        help="a netcat-like client",
        description=(
            "Connect, then copy standard input to the socket and the socket to standard "
            "output. At the end of standard input (Ctrl-D) our side is half-closed; the "
            "command exits when the socket closes."
        ),
        epilog=f"Example: python -m anyio_net connect localhost {DEFAULT_PORT}",
    )
    conn.add_argument("host", nargs="?", default=None, help="host name or address")
    conn.add_argument("port", nargs="?", type=_port, default=None, help="TCP port")
    conn.add_argument("--path", default=None, help="connect to this Unix socket path instead")
    conn.add_argument(
        "--backend", default="asyncio", choices=_BACKENDS, help="event loop (default asyncio)"
    )
    conn.set_defaults(func=_connect, parser=conn)
    serve.set_defaults(parser=serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    command: argparse.ArgumentParser = args.parser
    if args.command == "connect":
        if args.path is not None and (args.host is not None or args.port is not None):
            command.error("give either HOST PORT or --path PATH, not both")
        if args.path is None and (args.host is None or args.port is None):
            command.error(f"give HOST PORT (e.g. localhost {DEFAULT_PORT}) or --path PATH")
    elif args.path is not None and args.host is not None:
        command.error("--host and --path cannot be used together")
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
