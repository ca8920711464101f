"""Small helpers for the I/O tests (loopback only)."""

from __future__ import annotations

import socket
from typing import Any

import anyio_net as net

LOCALHOST = "127.0.0.1"


def port_of(server: net.Server) -> int:
    address = server.address()
    assert isinstance(address, dict)
    port = address["port"]
    assert isinstance(port, int)
    return port


def closed_port() -> int:
    """A loopback port that nothing listens on (bound then closed)."""
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        port: int = s.getsockname()[1]
    return port


def has_ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def collect(sock: Any) -> list[bytes]:
    """Collect every 'data' chunk of ``sock`` into the returned list."""
    chunks: list[bytes] = []
    sock.on("data", chunks.append)
    return chunks


async def wait_for(emitter: Any, name: str) -> tuple[Any, ...]:
    """Wait for the next ``name`` event, whatever 'error' events come first.

    ``net.once`` raises when 'error' fires first (as Node's ``events.once`` rejects); tests
    that expect an error and then wait for ``'close'`` use this instead.
    """
    import anyio

    got: list[tuple[Any, ...]] = []
    event = anyio.Event()

    def listener(*args: Any) -> None:
        if not got:
            got.append(args)
            event.set()

    emitter.on(name, listener)
    try:
        await event.wait()
    finally:
        emitter.remove_listener(name, listener)
    return got[0]


class Waiter:
    """Starts listening for ``name`` at once; ``await waiter.wait()`` later gets its args.

    For events that may fire while the test awaits something else first.
    """

    def __init__(self, emitter: Any, name: str) -> None:
        import anyio

        self._event = anyio.Event()
        self._args: tuple[Any, ...] | None = None
        self._emitter = emitter
        self._name = name
        emitter.on(name, self._listener)

    def _listener(self, *args: Any) -> None:
        if self._args is None:
            self._args = args
            self._emitter.remove_listener(self._name, self._listener)
            self._event.set()

    async def wait(self) -> tuple[Any, ...]:
        await self._event.wait()
        assert self._args is not None
        return self._args
