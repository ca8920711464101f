"""Helpers for the stream tests (modes, pipe, backpressure, views)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from tests.helpers import LOCALHOST, port_of, wait_for

import anyio_net as net
from anyio_net._runtime import current_runtime


async def until(condition: Callable[[], object], step_s: float = 0.002) -> None:
    """Poll ``condition`` (for states no event announces: bytes sitting in a buffer)."""
    while not condition():
        await anyio.sleep(step_s)


async def closed(sock: Any) -> tuple[Any, ...]:
    """Wait for 'close', or return at once if it was emitted already (``(had_error,)``)."""
    if sock._closed:
        return (sock._error is not None,)
    return await wait_for(sock, "close")


async def settle(rounds: int = 8) -> None:
    """Let the runtime's soon queue (Node's nextTick queue) run dry a few times over."""
    runtime = current_runtime()
    for _ in range(rounds):
        done = anyio.Event()
        runtime.call_soon(done.set)
        await done.wait()


def js(value: Any) -> str:
    """Render a value the way Node's template strings do (null, true, text of a Buffer)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, bytes):
        return value.decode("latin1")
    return str(value)


def state(sock: Any) -> str:
    """``[f=<readableFlowing> len=<readableLength> ended=<readableEnded>]``, as the Node
    scripts the expectations come from print it."""
    return (
        f"[f={js(sock.readable_flowing)} len={sock.readable_length} "
        f"ended={js(sock.readable_ended)}]"
    )


async def buffered_client(payload: bytes = b"abcdefgh") -> tuple[net.Server, net.Socket]:
    """A client whose whole input (``payload`` then EOF) sits unread in its buffer."""
    server = net.create_server(lambda conn: conn.end(payload))
    server.listen(0, LOCALHOST)
    client = net.connect(port_of(server), LOCALHOST)
    await until(lambda: client._eof and client.readable_length == len(payload))
    return server, client


async def socket_pair(**client_options: Any) -> tuple[net.Server, net.Socket, net.Socket]:
    """A connected (client, accepted) pair on loopback; the server accepts only this one."""
    accepted: list[net.Socket] = []
    got = anyio.Event()

    def on_connection(conn: net.Socket) -> None:
        accepted.append(conn)
        got.set()

    server = net.create_server(on_connection)
    server.listen(0, LOCALHOST)
    client = net.connect({"port": port_of(server), "host": LOCALHOST, **client_options})
    await net.once(client, "connect")
    await got.wait()
    return server, client, accepted[0]
