"""Slow and hostile peers: slowloris clients against an idle timeout, a client that never
reads against a server that honours write()'s backpressure, and a connection flood against
``max_connections``. The contract these tests hold is written down in docs/reliability.md.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest
from tests.conftest import open_sockets
from tests.helpers import LOCALHOST, port_of, wait_for

import anyio_net as net
from anyio_net._transport import _BIG_READ_SIZE as MAX_CHUNK

pytestmark = pytest.mark.anyio

IDLE_MS = 300
SLACK_S = 2.0  # a loaded 2-core machine: generous above, exact below

# -- slowloris ---------------------------------------------------------------------------------


def idle_timeout_server(closed_at: dict[int, float], last_byte: dict[int, float]) -> net.Server:
    """Each connection gets set_timeout(IDLE_MS); on 'timeout' the server destroys it."""

    def on_connection(conn: net.Socket) -> None:
        port = conn.remote_port
        assert port is not None

        def on_data(chunk: bytes) -> None:
            last_byte[port] = time.monotonic()

        def on_timeout() -> None:
            closed_at[port] = time.monotonic()
            conn.destroy()

        conn.on("data", on_data)
        conn.set_timeout(IDLE_MS, on_timeout)

    return net.create_server(on_connection)


async def test_a_slowloris_client_is_disconnected_an_idle_period_after_its_last_byte() -> None:
    closed_at: dict[int, float] = {}
    last_byte: dict[int, float] = {}
    with anyio.fail_after(20):
        async with net.open_runtime():
            server = idle_timeout_server(closed_at, last_byte)
            server.listen(0, LOCALHOST)
            async with await anyio.connect_tcp(LOCALHOST, port_of(server)) as stream:
                port = stream.extra(anyio.abc.SocketAttribute.local_port)
                # Trickle a request a byte at a time, faster than the idle timeout: an idle
                # timer (Node's setTimeout) is reset by each byte, so this stays connected.
                for byte in b"GET / HTTP/1.1\r\n":
                    await stream.send(bytes([byte]))
                    await anyio.sleep(IDLE_MS / 1000 / 4)
                assert port not in closed_at
                # Then stall, as slowloris does between header lines: the server hangs up.
                with pytest.raises((anyio.EndOfStream, anyio.BrokenResourceError)):
                    while True:
                        await stream.receive()
            server.close()
    assert port in closed_at
    assert IDLE_MS / 1000 * 0.9 <= closed_at[port] - last_byte[port] <= IDLE_MS / 1000 + SLACK_S


async def test_many_slowloris_clients_are_all_dropped_on_time_while_a_real_client_is_served() -> (
    None
):
    count = 50
    closed_at: dict[int, float] = {}
    last_byte: dict[int, float] = {}
    fds_before = open_sockets()
    with anyio.fail_after(30):
        async with net.open_runtime():
            server = idle_timeout_server(closed_at, last_byte)
            server.listen(0, LOCALHOST)
            port = port_of(server)
            hung_up = [0]

            async def slowloris() -> None:
                async with await anyio.connect_tcp(LOCALHOST, port) as stream:
                    await stream.send(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the rest
                    try:
                        while await stream.receive():
                            pass
                    except (anyio.EndOfStream, anyio.BrokenResourceError):
                        pass
                    hung_up[0] += 1

            async with anyio.create_task_group() as tg:
                for _ in range(count):
                    tg.start_soon(slowloris)
                # A well-behaved client talks and leaves meanwhile, unhindered.
                client = net.connect(port, LOCALHOST)
                client.on("connect", lambda: client.end(b"hello"))
                await wait_for(client, "close")
            server.close()
    assert hung_up[0] == count
    slow = [p for p in closed_at if p != client.local_port]
    assert len(slow) == count
    for p in slow:
        assert IDLE_MS / 1000 * 0.9 <= closed_at[p] - last_byte[p] <= IDLE_MS / 1000 + SLACK_S
    assert open_sockets() == fds_before


# -- a client that never reads -----------------------------------------------------------------

CHUNK = b"d" * 65536


async def test_a_client_that_never_reads_cannot_grow_an_honest_servers_buffer() -> None:
    """The server writes while write() returns True and waits for 'drain' otherwise: its
    queue never holds more than the high-water mark plus the chunk that crossed it, however
    long the client refuses to read."""
    samples: list[int] = []
    stalls = [0]
    with anyio.fail_after(30):
        async with net.open_runtime():
            conns: list[net.Socket] = []

            def on_connection(conn: net.Socket) -> None:
                conns.append(conn)

                def pump() -> None:
                    while conn.write(CHUNK):
                        samples.append(conn.writable_length)
                    samples.append(conn.writable_length)
                    stalls[0] += 1

                conn.on("drain", pump)
                conn.on("error", lambda err: None)
                pump()

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            async with await anyio.connect_tcp(LOCALHOST, port_of(server)):
                # The client reads nothing. Watch until 'drain' has stopped coming for a
                # while: the kernel's buffers are full and the server is waiting, as it should.
                while True:
                    with anyio.move_on_after(0.5) as quiet:
                        await net.once(conns[0], "drain")
                    if quiet.cancelled_caught:
                        break
                stuck = conns[0].bytes_written
                assert conns[0].writable_length <= conns[0].writable_high_water_mark + len(CHUNK)
                with anyio.move_on_after(0.5):
                    await net.once(conns[0], "drain")
                assert conns[0].bytes_written == stuck  # nothing more was accepted
            await wait_for(conns[0], "close")
            server.close()
    hwm = 16384
    assert max(samples) <= hwm + len(CHUNK)
    assert stalls[0] >= 1


async def test_a_server_that_ignores_backpressure_buffers_what_it_is_given() -> None:
    """The other side of the contract: write() never refuses data, as in Node; a server that
    ignores its False return value holds every unsent byte in ``writable_length``."""
    with anyio.fail_after(20):
        async with net.open_runtime():
            conns: list[net.Socket] = []

            def on_connection(conn: net.Socket) -> None:
                conns.append(conn)
                conn.on("error", lambda err: None)

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            async with await anyio.connect_tcp(LOCALHOST, port_of(server)):
                while not conns:
                    await anyio.lowlevel.checkpoint()
                conn = conns[0]
                total = 32 << 20  # far more than loopback's buffers
                for _ in range(total // len(CHUNK)):
                    conn.write(CHUNK)
                assert conn.writable_length > 16 << 20
                assert conn.bytes_written == total  # handed to the OS or still queued
                conn.destroy()
            server.close()


async def test_pipe_into_a_client_that_never_reads_pauses_the_source() -> None:
    """pipe() honours backpressure: a fast writer piped into a peer that never reads is
    paused, so the server's queue for the slow peer stays near the high-water mark."""
    with anyio.fail_after(30):
        async with net.open_runtime():
            sink_conn: list[net.Socket] = []
            source_conn: list[net.Socket] = []
            ready = anyio.Event()

            def on_connection(conn: net.Socket) -> None:
                (sink_conn if not sink_conn else source_conn).append(conn)
                if sink_conn and source_conn:
                    source_conn[0].pipe(sink_conn[0])
                    ready.set()
                conn.on("error", lambda err: None)

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            port = port_of(server)
            async with await anyio.connect_tcp(LOCALHOST, port):  # the sink: never reads
                while not sink_conn:
                    await anyio.lowlevel.checkpoint()
                flood = net.connect(port, LOCALHOST)
                flood.on("error", lambda err: None)
                sent = [0]

                def pump() -> None:
                    while sent[0] < 64 << 20 and flood.write(CHUNK):
                        sent[0] += len(CHUNK)

                flood.on("connect", pump)
                flood.on("drain", pump)
                await ready.wait()
                # Wait until the flood has been stopped by backpressure end to end.
                while True:
                    with anyio.move_on_after(0.5) as quiet:
                        await net.once(flood, "drain")
                    if quiet.cancelled_caught:
                        break
                assert source_conn[0].is_paused()
                # Past the mark by at most a chunk read from the flood (anyio-net's chunks
                # are up to 256 KiB in bulk, Node's 64 KiB) and one more being written.
                limit = sink_conn[0].writable_high_water_mark + 2 * MAX_CHUNK
                assert sink_conn[0].writable_length <= limit
                assert sent[0] < 64 << 20  # the flood was held back long before its end
                flood.destroy()
                sink_conn[0].destroy()
            server.close()


# -- a connection flood against max_connections --------------------------------------------------


async def test_max_connections_holds_under_a_flood(anyio_backend: Any) -> None:
    limit, flood = 10, 200
    high = [0]
    dropped: list[dict[str, Any]] = []
    accepted: list[net.Socket] = []
    fds_before = open_sockets()
    with anyio.fail_after(60):
        async with net.open_runtime():
            server = net.create_server()

            def on_connection(conn: net.Socket) -> None:
                accepted.append(conn)
                high[0] = max(high[0], server.connections)
                assert server.connections <= limit

            target = [flood]
            settled = [anyio.Event()]

            def check() -> None:
                if len(accepted) + len(dropped) >= target[0]:
                    settled[0].set()

            def on_drop(info: dict[str, Any]) -> None:
                dropped.append(info)
                check()

            server.on("connection", on_connection)
            server.on("connection", lambda conn: check())
            server.on("drop", on_drop)
            server.max_connections = limit
            server.listen(0, LOCALHOST)
            port = port_of(server)
            clients = [net.connect(port, LOCALHOST) for _ in range(flood)]
            for client in clients:
                client.on("error", lambda err: None)
                client.resume()
            # Every client is either served (kept open) or dropped (closed by the server).
            await settled[0].wait()
            assert len(accepted) == limit
            assert high[0] == limit
            assert all(info["localPort"] == port for info in dropped)
            # Closing one accepted connection makes room for exactly one more.
            accepted[0].destroy()
            await wait_for(accepted[0], "close")
            target[0], settled[0] = flood + 1, anyio.Event()
            late = net.connect(port, LOCALHOST)
            late.on("error", lambda err: None)
            await settled[0].wait()
            assert len(accepted) == limit + 1
            for client in [*clients, late]:
                client.destroy()
            server.close()
    assert len(dropped) == flood - limit
    assert open_sockets() == fds_before
