# mypy: disable-error-code="unreachable"
# (the tests read the same state property before and after the call that changes it)
"""``pipe()`` / ``unpipe()``: backpressure from a socket into sockets and into any object
with Node's writable methods, the 'pipe'/'unpipe' events, several destinations, echo."""

from __future__ import annotations

import hashlib
import os
import socket
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, Waiter, port_of, wait_for
from tests.stream_helpers import closed, settle, socket_pair, until

import anyio_net as net
from anyio_net._transport import _BIG_READ_SIZE as MAX_CHUNK

pytestmark = pytest.mark.anyio


class Sink(net.EventEmitter):
    """A writable with Node's methods: ``write`` answers ``ok`` (True/False) each time."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[bytes] = []
        self.ok = True
        self.ended = False

    def write(self, chunk: bytes) -> bool:
        self.chunks.append(chunk)
        return self.ok

    def end(self) -> None:
        self.ended = True
        self.emit("finish")


class BareSink:
    """Only ``write``, ``end``, ``on``, ``once`` and ``remove_listener``: no ``emit``."""

    def __init__(self) -> None:
        self._emitter = net.EventEmitter()
        self.chunks: list[bytes] = []
        self.ended = False
        self.ok = True

    def write(self, chunk: bytes) -> bool:
        self.chunks.append(chunk)
        return self.ok

    def end(self) -> None:
        self.ended = True

    def on(self, name: str, listener: Any) -> BareSink:
        self._emitter.on(name, listener)
        return self

    def once(self, name: str, listener: Any) -> BareSink:
        self._emitter.once(name, listener)
        return self

    def remove_listener(self, name: str, listener: Any) -> BareSink:
        self._emitter.remove_listener(name, listener)
        return self

    def drain(self) -> None:
        self._emitter.emit("drain")


def shrink_buffers(sock: net.Socket, size: int = 65536) -> None:
    """Small kernel buffers, so that backpressure shows after a few hundred KiB."""
    probe = socket.socket(fileno=os.dup(sock.fileno()))
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)
    finally:
        probe.close()


async def send_chunk(client: net.Socket, conn: net.Socket, data: bytes, before: int) -> None:
    """Write ``data`` and wait until ``conn`` has read it (one chunk on the reading side)."""
    client.write(data)
    await until(lambda: conn.bytes_read >= before + len(data))


async def test_pipe_and_unpipe_events_and_listener_cleanup() -> None:
    log: list[Any] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            sink = Sink()
            sink.on("pipe", lambda src: log.append(("pipe", src is conn)))
            sink.on("unpipe", lambda src: log.append(("unpipe", src is conn)))
            assert conn.pipe(sink) is sink
            assert conn.readable_flowing is True
            await send_chunk(client, conn, b"one", 0)
            assert sink.chunks == [b"one"]
            conn.unpipe(sink)
            assert conn.readable_flowing is False  # the last destination gone: paused
            assert conn.listener_count("data") == 0
            for name in ("drain", "close", "finish", "error"):
                assert sink.listener_count(name) == 0, name
            assert sink.listener_count("unpipe") == 1  # only ours above
            conn.unpipe(sink)  # not piped any more: nothing happens
            client.destroy()
            conn.destroy()
            server.close()
    assert log == [("pipe", True), ("unpipe", True)]


async def test_unpipe_without_argument_removes_every_destination() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            first, second = Sink(), Sink()
            unpiped: list[Sink] = []
            first.on("unpipe", lambda src: unpiped.append(first))
            second.on("unpipe", lambda src: unpiped.append(second))
            conn.pipe(first)
            conn.pipe(second)
            await send_chunk(client, conn, b"both", 0)
            conn.unpipe()
            assert unpiped == [first, second]
            assert conn.is_paused()
            await send_chunk(client, conn, b"none", 4)
            assert first.chunks == second.chunks == [b"both"]
            client.destroy()
            conn.destroy()
            server.close()


async def test_source_pauses_on_false_and_resumes_when_every_destination_drained() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            fast, slow = Sink(), Sink()
            conn.pipe(fast)
            conn.pipe(slow)
            slow.ok = False
            await send_chunk(client, conn, b"1", 0)
            assert conn.is_paused()
            fast.emit("drain")  # not waited for: stays paused
            await settle()
            assert conn.is_paused()
            slow.ok = True
            slow.emit("drain")
            await settle()
            assert conn.readable_flowing is True
            # Both full now: resumes only after both drained.
            fast.ok = slow.ok = False
            await send_chunk(client, conn, b"2", 1)
            assert conn.is_paused()
            fast.ok = slow.ok = True
            slow.emit("drain")
            await settle()
            assert conn.is_paused()
            await send_chunk(client, conn, b"3", 2)  # read while paused: buffered
            assert fast.chunks == slow.chunks == [b"1", b"2"]
            fast.emit("drain")
            await settle()
            assert conn.readable_flowing is True
            assert fast.chunks == slow.chunks == [b"1", b"2", b"3"]
            client.destroy()
            await closed(conn)
            server.close()


async def test_pipe_into_an_object_without_emit() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            sink = BareSink()
            conn.pipe(sink)
            sink.ok = False
            await send_chunk(client, conn, b"a", 0)
            assert conn.is_paused()
            sink.ok = True
            sink.drain()
            await settle()
            assert not conn.is_paused()
            client.end(b"b")
            await closed(conn)
            assert sink.chunks[0] == b"a"
            assert b"".join(sink.chunks) == b"ab"
            assert sink.ended
            conn.unpipe(sink)  # already unpiped at 'end'? no: a bare sink never finishes
            assert conn.listener_count("data") == 0
            server.close()


async def test_end_false_leaves_the_destination_open() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            kept, ended = Sink(), Sink()
            conn.pipe(kept, end=False)
            conn.pipe(ended, {"end": True})
            client.end(b"data")
            await closed(conn)
            assert not kept.ended
            assert ended.ended
            assert kept.chunks == ended.chunks == [b"data"]
            server.close()


async def test_destination_finish_unpipes() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            sink = Sink()
            conn.pipe(sink)
            unpiped = Waiter(sink, "unpipe")
            sink.emit("finish")
            await unpiped.wait()
            assert conn.listener_count("data") == 0
            client.destroy()
            conn.destroy()
            server.close()


async def test_destination_error_unpipes_and_is_not_swallowed() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            handled, unhandled = Sink(), Sink()
            seen: list[BaseException] = []
            handled.on("error", seen.append)
            conn.pipe(handled)
            conn.pipe(unhandled)
            boom = ValueError("boom")
            handled.emit("error", boom)
            assert seen == [boom]
            assert [p.dest for p in conn._pipes] == [unhandled]
            with pytest.raises(ValueError, match="boom"):
                unhandled.emit("error", boom)
            assert conn._pipes == []
            client.destroy()
            conn.destroy()
            server.close()


async def test_piping_a_socket_into_itself_echoes() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.pipe(conn))
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            got: list[bytes] = []
            client.on("data", got.append)
            client.write(b"hello ")
            client.end(b"echo")
            await closed(client)
            server.close()
    assert b"".join(got) == b"hello echo"


async def test_pipe_backpressure_stops_the_source_reading_until_drain() -> None:
    """a -> b ==pipe==> c -> d, with d paused: b stops reading, a's kernel buffers fill."""
    total = 4 * 1024 * 1024
    payload = os.urandom(65536)
    with anyio.fail_after(30):
        async with net.open_runtime():
            s1, a, b = await socket_pair()
            s2, c, d = await socket_pair()
            for sock in (a, b, c, d):
                shrink_buffers(sock)
            d.pause()
            d_closed = Waiter(d, "close")
            digest = hashlib.sha256()
            received = hashlib.sha256()
            got = {"n": 0}
            b.pipe(c)

            async def produce() -> None:
                sent = 0
                while sent < total:
                    digest.update(payload)
                    sent += len(payload)
                    if not a.write(payload):
                        await net.once(a, "drain")
                a.end()

            async with anyio.create_task_group() as tg:
                tg.start_soon(produce)
                # Wait until nothing moves any more (d does not read), then look around.
                stalled_at = -1
                while b.bytes_read != stalled_at:
                    stalled_at = b.bytes_read
                    await anyio.sleep(0.1)
                assert b.is_paused()
                assert a.writable_length > 0  # a's kernel buffers are full
                # Past the high-water marks by at most a chunk (anyio-net's chunks are up
                # to 256 KiB in bulk, Node's 64 KiB).
                assert b.readable_length <= b.readable_high_water_mark + MAX_CHUNK
                assert c.writable_length <= c.writable_high_water_mark + 2 * MAX_CHUNK
                assert stalled_at < total // 2

                def on_data(chunk: bytes) -> None:
                    received.update(chunk)
                    got["n"] += len(chunk)

                d.on("data", on_data)
                d.resume()  # paused explicitly: a 'data' listener alone would not resume it
                await wait_for(d, "end")
            assert got["n"] == total
            assert received.digest() == digest.digest()
            await d_closed.wait()
            s1.close()
            s2.close()
