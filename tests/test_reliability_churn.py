"""Churn: many short connections through one server, and many idle ones held at once, with
no growth in open descriptors or memory.

The full sizes (20,000 cycles at concurrency 100; 5,000 idle connections) are marked
``slow`` (``nox -s slow``, or ``pytest -m slow``); the same tests at a small size run with
the default suite. Each prints its figures (``-s`` shows them): cycles, descriptors and RSS
before and after, connections held.
"""

from __future__ import annotations

import os
import resource
import time
from typing import Any

import anyio
import pytest
from tests.conftest import open_fds, open_sockets
from tests.helpers import LOCALHOST, Waiter, port_of, wait_for

import anyio_net as net

pytestmark = pytest.mark.anyio

PAYLOAD = b"p" * 512
RSS_BOUND = 32 << 20  # growth allowed between the warm-up and the end of a churn run


def rss() -> int:
    """Resident set size of this process, in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB"


async def churn(cycles: int, concurrency: int) -> dict[str, Any]:
    """``cycles`` connect/write/end/close cycles against one echo-less server."""
    figures: dict[str, Any] = {"cycles": cycles, "concurrency": concurrency}
    received = [0]
    completed = [0]
    peak_fds = [0]
    warm_up = min(1000, cycles // 10)
    async with net.open_runtime():

        def on_connection(conn: net.Socket) -> None:
            conn.on("data", lambda chunk: received.__setitem__(0, received[0] + len(chunk)))
            # Without allowHalfOpen the server ends its side after the client's 'end'.

        server = net.create_server(on_connection)
        server.listen(0, LOCALHOST)
        port = port_of(server)
        warmed = anyio.Event()

        in_flight = [0]

        async def lane(share: int) -> None:
            for _ in range(share):
                client = net.connect(port, LOCALHOST)
                in_flight[0] += 1
                figures["max_in_flight"] = max(figures.get("max_in_flight", 0), in_flight[0])
                client.on("connect", lambda client=client: client.end(PAYLOAD))
                client.resume()
                (had_error,) = await wait_for(client, "close")
                assert had_error is False
                in_flight[0] -= 1
                completed[0] += 1
                if completed[0] == warm_up:
                    figures["fds_after_warm_up"] = len(open_fds())
                    figures["rss_after_warm_up"] = rss()
                    warmed.set()
                if completed[0] % 500 == 0:
                    peak_fds[0] = max(peak_fds[0], len(open_sockets()))

        started = time.monotonic()
        async with anyio.create_task_group() as tg:
            base, extra = divmod(cycles, concurrency)
            for index in range(concurrency):
                tg.start_soon(lane, base + (index < extra))
        figures["seconds"] = round(time.monotonic() - started, 1)
        assert warmed.is_set()
        figures["fds_at_end"] = len(open_fds())
        figures["rss_at_end"] = rss()
        server.close()
    assert completed[0] == cycles
    assert received[0] == cycles * len(PAYLOAD)
    figures["peak_sockets"] = peak_fds[0]
    return figures


async def check_churn(cycles: int, concurrency: int, backend_name: str) -> None:
    fds_before, rss_before = len(open_fds()), rss()
    with anyio.fail_after(max(60, cycles / 20)):
        figures = await churn(cycles, concurrency)
    fds_after = len(open_fds())
    print(
        f"\nchurn[{backend_name}]: {cycles} cycles at concurrency {concurrency} in "
        f"{figures['seconds']} s; descriptors {fds_before} before, "
        f"{figures['fds_after_warm_up']} after warm-up, {figures['fds_at_end']} at the end, "
        f"{fds_after} after; {figures['max_in_flight']} connections in flight at most, "
        f"peak sockets sampled {figures['peak_sockets']}; RSS {mib(rss_before)} "
        f"before, {mib(figures['rss_after_warm_up'])} after warm-up, "
        f"{mib(figures['rss_at_end'])} at the end"
    )
    # No descriptor outlives its cycle: the same count as between cycles after warm-up, and
    # at most two per connection in flight (client and server side) plus the listener.
    assert figures["fds_at_end"] <= figures["fds_after_warm_up"]
    assert figures["max_in_flight"] == concurrency
    assert figures["peak_sockets"] <= 2 * concurrency + 1
    assert figures["rss_at_end"] - figures["rss_after_warm_up"] <= RSS_BOUND
    assert fds_after == fds_before


async def test_churn_small(backend_name: str) -> None:
    await check_churn(cycles=600, concurrency=20, backend_name=backend_name)


@pytest.mark.slow
@pytest.mark.timeout(900)
async def test_churn_20000_cycles_at_concurrency_100(backend_name: str) -> None:
    await check_churn(cycles=20_000, concurrency=100, backend_name=backend_name)


# -- many idle connections held at once --------------------------------------------------------


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.skip(f"the hard RLIMIT_NOFILE ({hard}) is below the {needed} descriptors needed")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


async def hold_idle(count: int, backend_name: str) -> None:
    raise_fd_limit(2 * count + 256)
    sockets_before, rss_before = len(open_sockets()), rss()
    batch = 200  # connections opening at once (the backlog is 511)
    with anyio.fail_after(max(60, count / 20)):
        async with net.open_runtime():
            accepted: list[net.Socket] = []
            all_in = anyio.Event()

            def on_connection(conn: net.Socket) -> None:
                accepted.append(conn)
                if len(accepted) == count:
                    all_in.set()

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            port = port_of(server)
            clients: list[net.Socket] = []
            started = time.monotonic()
            for first in range(0, count, batch):
                wave = [net.connect(port, LOCALHOST) for _ in range(min(batch, count - first))]
                for waiter in [Waiter(client, "connect") for client in wave]:
                    await waiter.wait()
                clients.extend(wave)
            await all_in.wait()
            held = server.connections
            sockets_held = len(open_sockets())
            rss_held = rss()
            assert held == count
            assert sockets_held == sockets_before + 2 * count + 1
            # Idle: nothing moves. Now the server stops accepting and the clients leave.
            closed = anyio.Event()
            server.close(lambda *args: closed.set())
            assert not server.listening
            for client in clients:
                client.resume()
                client.end()
            await closed.wait()
            assert server.connections == 0
            assert all(conn.destroyed for conn in accepted)
            seconds = round(time.monotonic() - started, 1)
    sockets_after = len(open_sockets())
    print(
        f"\nidle[{backend_name}]: {held} connections held by one server; sockets "
        f"{sockets_before} before, {sockets_held} while held, {sockets_after} after; RSS "
        f"{mib(rss_before)} before, {mib(rss_held)} while held, {mib(rss())} after; "
        f"{seconds} s"
    )
    assert sockets_after == sockets_before


async def test_idle_connections_small(backend_name: str) -> None:
    await hold_idle(300, backend_name)


@pytest.mark.slow
@pytest.mark.timeout(900)
async def test_5000_idle_connections_held_then_closed(backend_name: str) -> None:
    await hold_idle(5000, backend_name)
