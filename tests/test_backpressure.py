"""Backpressure end to end: a paused socket, a slow ``async for`` loop and a slow
``net.on(socket, 'data')`` consumer stop reading, so the peer's kernel buffers fill and its
``write()`` returns False; when the consumer catches up, everything arrives."""

from __future__ import annotations

import gc
import hashlib
import os
from typing import Any

import anyio
import pytest
from tests.helpers import wait_for
from tests.stream_helpers import closed, socket_pair

import anyio_net as net

pytestmark = pytest.mark.anyio

# How far a socket may read past its high-water mark: one read of the transport (64 KiB
# for a raw socket, up to 256 KiB for asyncio's and uvloop's own transports), twice over
# for slack.
READ_SLACK = 2 * 256 * 1024


async def stalled(sock: net.Socket) -> int:
    """Wait until ``sock`` reads nothing more (its consumer is slow), return bytes_read."""
    seen = -1
    while sock.bytes_read != seen:
        seen = sock.bytes_read
        await anyio.sleep(0.1)
    return seen


async def produce(sock: net.Socket, total: int, digest: Any) -> list[bool]:
    """Write ``total`` random bytes, waiting for 'drain' whenever write() says so."""
    results: list[bool] = []
    chunk = os.urandom(65536)
    sent = 0
    while sent < total:
        digest.update(chunk)
        sent += len(chunk)
        ok = sock.write(chunk)
        results.append(ok)
        if not ok:
            await net.once(sock, "drain")
    sock.end()
    return results


async def test_paused_socket_stops_reading_so_the_peers_write_returns_false() -> None:
    chunk = b"x" * 65536
    with anyio.fail_after(20):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            conn.pause()
            written = 0
            while client.write(chunk):
                written += len(chunk)
                assert written < 512 * 1024 * 1024, "the peer never pushed back"
            assert client.writable_length > 0
            read = await stalled(conn)
            assert conn.readable_length <= conn.readable_high_water_mark + READ_SLACK
            assert read < written  # the rest waits in the kernel buffers and the queue
            total = written + len(chunk)
            got = {"n": 0}
            conn.on("data", lambda data: got.__setitem__("n", got["n"] + len(data)))
            conn.resume()
            client.end()
            await wait_for(conn, "end")
            assert got["n"] == total
            await closed(client)
            server.close()


async def test_async_for_reads_only_as_fast_as_the_loop_body() -> None:
    total = 8 * 1024 * 1024
    sent, received = hashlib.sha256(), hashlib.sha256()
    with anyio.fail_after(30):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            async with anyio.create_task_group() as tg:
                results: list[bool] = []

                async def run_producer() -> None:
                    results.extend(await produce(client, total, sent))

                tg.start_soon(run_producer)
                consumed = 0
                slow_rounds = 0
                async for chunk in conn:
                    received.update(chunk)
                    consumed += len(chunk)
                    if slow_rounds < 2:
                        slow_rounds += 1
                        # The loop body is slow: the socket must not read ahead meanwhile.
                        read = await stalled(conn)
                        assert read - consumed <= conn.readable_high_water_mark + READ_SLACK
                        assert conn.readable_flowing is False
            assert consumed == total
            assert False in results  # the producer was held back
            assert sent.digest() == received.digest()
            await closed(client)
            server.close()


async def test_async_for_raises_the_socket_error_and_premature_close() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            client.write(b"x")
            with pytest.raises(net.CodedError) as premature:
                async for _chunk in conn:
                    conn.destroy()
            assert premature.value.code == "ERR_STREAM_PREMATURE_CLOSE"
            await closed(client)
            server.close()


async def test_breaking_out_of_async_for_keeps_the_socket_and_its_data() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            client.write(b"first")
            iterator = conn.__aiter__()
            async for chunk in iterator:
                assert chunk == b"first"
                break
            await iterator.aclose()
            assert conn.listener_count("readable") == 0
            assert not conn.destroyed
            client.end(b" second")
            got: list[bytes] = []
            conn.on("data", got.append)
            await closed(conn)
            assert b"".join(got) == b" second"
            server.close()


async def test_a_dropped_iterator_detaches_itself() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            client.write(b"one")
            async for chunk in conn:
                assert chunk == b"one"
                break
            gc.collect()  # CPython has already finalized it; other interpreters need this
            assert conn.listener_count("readable") == 0
            assert conn.listener_count("error") == 0
            got: list[bytes] = []
            conn.on("data", got.append)  # flowing again: 'readable' is gone
            client.end(b"two")
            await closed(conn)
            server.close()
    assert got == [b"two"]


async def test_events_on_data_pauses_the_socket_while_the_consumer_is_slow() -> None:
    total = 8 * 1024 * 1024
    sent, received = hashlib.sha256(), hashlib.sha256()
    with anyio.fail_after(30):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            async with anyio.create_task_group() as tg:
                results: list[bool] = []

                async def run_producer() -> None:
                    results.extend(await produce(client, total, sent))

                tg.start_soon(run_producer)
                consumed = 0
                slow_rounds = 0
                async with net.on(conn, "data", close=["end"]) as events:
                    async for (chunk,) in events:
                        received.update(chunk)
                        consumed += len(chunk)
                        if slow_rounds < 2:
                            slow_rounds += 1
                            read = await stalled(conn)
                            assert conn.is_paused()
                            # one queued event past the mark, plus the socket's own buffer
                            ahead = read - consumed
                            assert ahead <= 2 * 256 * 1024 + conn.readable_high_water_mark + (
                                READ_SLACK
                            )
            assert consumed == total
            assert False in results
            assert sent.digest() == received.digest()
            await closed(client)
            server.close()
