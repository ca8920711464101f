"""CI guard: anyio-net's echo path stays close to raw AnyIO streams on the same backend.

The two echo servers (``c.pipe(c)`` and a raw AnyIO stream loop) are driven by the same
Python client, in the same run, alternately; the test compares their rates, never absolute
times. The client's own cost is shared by both, which only pulls the ratio towards 1, and
the best of a few rounds is kept, so the margin is generous: it fails when a change makes
the data path markedly slower (a task switch, a copy or a system call more per chunk), not
when the machine is busy. ``bench/`` has the real benchmarks (``nox -s bench``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio
import pytest
from anyio.abc import SocketStream

import anyio_net as net

pytestmark = pytest.mark.anyio

ROUND_TRIPS = 500
BULK_CHUNK = 32 * 1024
BULK_CHUNKS = 128  # 4 MiB
ROUNDS = 3
MIN_RATIO = 0.5

EchoServer = Callable[[], AbstractAsyncContextManager[int]]


@asynccontextmanager
async def anyio_net_echo() -> AsyncIterator[int]:
    async with net.open_runtime():
        server = net.create_server(lambda c: c.pipe(c))
        server.listen(0, "127.0.0.1")
        yield server.address()["port"]  # type: ignore[index]
        server.close()


@asynccontextmanager
async def raw_anyio_echo() -> AsyncIterator[int]:
    async def echo(stream: SocketStream) -> None:
        async with stream:
            try:
                while True:
                    await stream.send(await stream.receive(65536))
            except (anyio.EndOfStream, anyio.BrokenResourceError):
                pass

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, echo)
        yield listener.extra(anyio.abc.SocketAttribute.local_port)
        tg.cancel_scope.cancel()


async def measure(server: EchoServer) -> tuple[float, float]:
    """Round trips/s of 64-byte messages, then bytes/s of a bulk echo, over one connection."""
    async with server() as port, await anyio.connect_tcp("127.0.0.1", port) as stream:
        message = b"x" * 64
        start = time.perf_counter()
        for _ in range(ROUND_TRIPS):
            await stream.send(message)
            got = 0
            while got < len(message):
                got += len(await stream.receive())
        round_trips = ROUND_TRIPS / (time.perf_counter() - start)

        # Bulk: 32 KiB chunks in lock step (a concurrent writer, or chunks over the loopback
        # MSS, make the rate bimodal).
        chunk = bytes(BULK_CHUNK)
        start = time.perf_counter()
        for _ in range(BULK_CHUNKS):
            await stream.send(chunk)
            got = 0
            while got < BULK_CHUNK:
                got += len(await stream.receive(BULK_CHUNK))
        bulk = BULK_CHUNK * BULK_CHUNKS / (time.perf_counter() - start)
    return round_trips, bulk


async def test_echo_path_keeps_up_with_raw_anyio_streams() -> None:
    best = {anyio_net_echo: [0.0, 0.0], raw_anyio_echo: [0.0, 0.0]}
    with anyio.fail_after(8):
        for _ in range(ROUNDS):
            for server, rates in best.items():
                for i, rate in enumerate(await measure(server)):
                    rates[i] = max(rates[i], rate)
    ours, raw = best[anyio_net_echo], best[raw_anyio_echo]
    for name, i in (("64-byte round trips", 0), ("bulk echo", 1)):
        ratio = ours[i] / raw[i]
        assert ratio >= MIN_RATIO, (
            f"{name}: anyio-net echoes at {ratio:.2f}x raw AnyIO streams "
            f"({ours[i]:.0f} vs {raw[i]:.0f} per second); the data path got markedly slower"
        )
