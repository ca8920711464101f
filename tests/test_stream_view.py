"""Bridges to AnyIO streams: ``Socket.from_stream(byte_stream)`` gives any ByteStream a
Socket's events; ``socket.as_stream()`` gives a Socket AnyIO's ByteStream interface.
Memory streams, a subprocess' pipes, real sockets and a TLS round trip."""

from __future__ import annotations

import ssl
import sys
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from anyio.abc import ByteStream, SocketAttribute
from anyio.streams.buffered import BufferedByteReceiveStream
from anyio.streams.stapled import StapledByteStream
from anyio.streams.tls import TLSAttribute, TLSStream
from tests.helpers import LOCALHOST, Waiter, port_of, wait_for
from tests.stream_helpers import closed, settle, socket_pair, until

import anyio_net as net
from anyio_net._transport import StreamTransport

pytestmark = pytest.mark.anyio


def memory_pair() -> tuple[ByteStream, ByteStream]:
    """Two connected in-memory byte streams (each side's send_eof ends the other's input)."""
    left_send, right_receive = anyio.create_memory_object_stream[bytes](64)
    right_send, left_receive = anyio.create_memory_object_stream[bytes](64)
    left = StapledByteStream(left_send, BufferedByteReceiveStream(left_receive))  # type: ignore[arg-type]
    right = StapledByteStream(right_send, BufferedByteReceiveStream(right_receive))  # type: ignore[arg-type]
    return left, right


async def read_all(stream: ByteStream) -> bytes:
    parts = []
    while True:
        try:
            parts.append(await stream.receive())
        except anyio.EndOfStream:
            return b"".join(parts)


# -- Socket.from_stream --------------------------------------------------------------------


async def test_from_memory_stream_has_a_sockets_events_in_order(recorder: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours)
            recorder.watch(sock, "connect", "data", "end", "finish", "close")
            assert sock.write(b"ping") is True
            assert await theirs.receive() == b"ping"
            await theirs.send(b"pong")
            await theirs.send_eof()
            # Not half-open: after 'end' the socket ends its side too.
            assert await read_all(theirs) == b""
            await closed(sock)
            await theirs.aclose()
    assert recorder.names == ["data", "end", "finish", "close"]
    assert recorder.events[0][1] == (b"pong",)
    assert recorder.events[-1][1] == (False,)


async def test_from_memory_stream_keeps_backpressure() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours)
            sock.pause()
            for _ in range(40):  # 40 x 4 KiB: more than the 16 KiB mark
                await theirs.send(b"z" * 4096)
            await until(lambda: sock.readable_length >= sock.readable_high_water_mark)
            await settle()
            assert sock.readable_length == sock.readable_high_water_mark  # stopped reading
            sock.destroy()
            await closed(sock)
            await theirs.aclose()


async def test_from_stream_runs_what_a_data_listener_defers_before_the_next_chunk() -> None:
    # Node drains its nextTick queue after each read callback: pause() then resume() in a
    # 'data' listener emits 'resume' before the next chunk's 'data', even with the next
    # chunks already waiting to be read.
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            for i in range(20):
                await theirs.send(b"chunk %d" % i)
            await theirs.send_eof()
            sock = net.Socket.from_stream(ours)
            seen: list[str] = []

            def on_data(chunk: bytes) -> None:
                seen.append(chunk.decode())
                sock.pause()
                sock.resume()

            sock.on("resume", lambda: seen.append("resume"))
            sock.on("data", on_data)
            sock.on("end", sock.destroy)
            await closed(sock)
            await theirs.aclose()
    expected = ["resume"]  # (the first: on('data') resumes the stream)
    for i in range(20):
        expected += [f"chunk {i}", "resume"]
    assert seen == expected


async def test_from_stream_takes_up_to_256_kib_at_a_time() -> None:
    # As anyio-net's own sockets do after a big read: fewer receive() calls, and no copy of
    # the rest of a big chunk (AnyIO's asyncio streams copy it when asked for less).
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            await theirs.send(b"a" * 262144)
            await theirs.send(b"b" * 300000)
            await theirs.send_eof()
            sock = net.Socket.from_stream(ours)
            sizes: list[int] = []
            sock.on("data", lambda chunk: sizes.append(len(chunk)))
            sock.on("end", sock.destroy)
            await closed(sock)
            await theirs.aclose()
    assert sizes == [262144, 262144, 300000 - 262144]


async def test_from_stream_reports_a_broken_stream_as_a_socket_error() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours)
            sock_closed = Waiter(sock, "close")
            assert isinstance(theirs, StapledByteStream)
            await theirs.receive_stream.aclose()  # nobody will read what we send
            sock.write(b"into the void")
            (error,) = await wait_for(sock, "error")
            assert error.code == "EPIPE"
            assert error.syscall == "write"
            assert await sock_closed.wait() == (True,)
            await theirs.aclose()


class StuckStream(ByteStream):
    """A stream whose peer takes nothing until ``release()``: send() waits until then (or
    until the stream is closed); what it took is in ``sent``."""

    def __init__(self) -> None:
        self.sending = anyio.Event()
        self.closed = anyio.Event()
        self.released = anyio.Event()
        self.sends = 0
        self.sent: list[bytes] = []

    def release(self) -> None:
        self.released.set()

    async def receive(self, max_bytes: int = 65536) -> bytes:
        await self.closed.wait()
        raise anyio.ClosedResourceError

    async def send(self, item: bytes) -> None:
        self.sends += 1
        self.sending.set()
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._cancel_when, self.closed, tg.cancel_scope)
            await self.released.wait()
            tg.cancel_scope.cancel()
            self.sent.append(item)
            return
        raise anyio.ClosedResourceError

    async def _cancel_when(self, event: anyio.Event, scope: anyio.CancelScope) -> None:
        await event.wait()
        scope.cancel()

    async def send_eof(self) -> None:
        pass

    async def aclose(self) -> None:
        self.closed.set()


async def test_from_stream_sends_what_a_data_listener_wrote_before_destroy() -> None:
    # Node hands a write to the kernel at once, so write() then destroy() still delivers
    # it, and the write's callback succeeds before 'close'. A stream is written from a task:
    # the closing task sends it first.
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours)
            order: list[Any] = []

            def on_data(chunk: bytes) -> None:
                sock.write(b"reply to " + chunk, lambda err: order.append(("written", err)))
                sock.destroy()

            sock.on("data", on_data)
            sock.on("close", lambda had_error: order.append(("close", had_error)))
            await theirs.send(b"hello")
            assert await read_all(theirs) == b"reply to hello"
            await closed(sock)
            await theirs.aclose()
    assert order == [("written", None), ("close", False)]
    assert sock.bytes_written == len(b"reply to hello")


async def test_from_stream_sends_writes_made_outside_listeners_before_destroy() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours)
            results: list[Any] = []
            sock.write(b"first, ", results.append)
            sock.write("second", "utf8", results.append)
            sock.destroy()
            assert await read_all(theirs) == b"first, second"
            await closed(sock)
            await theirs.aclose()
    assert results == [None, None]


async def test_destroy_with_an_error_after_a_write_calls_the_write_back_first() -> None:
    # Node: the write was handed to the kernel, so its callback (no error) comes before
    # destroy()'s 'error', then 'close'.
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours)
            events: list[Any] = []
            sock.on("error", lambda err: events.append(("error", str(err))))
            sock.on("close", lambda had_error: events.append(("close", had_error)))
            sock.write(b"bye", lambda err: events.append(("written", err)))
            sock.destroy(RuntimeError("boom"))
            assert await read_all(theirs) == b"bye"
            await closed(sock)
            await theirs.aclose()
    assert events == [("written", None), ("error", "boom"), ("close", True)]


async def test_destroy_right_after_from_stream_closes_the_stream() -> None:
    # Destroyed before its task ever ran: that task still closes the stream when it starts.
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours)
            sock.destroy()
            assert await closed(sock) == (False,)
            assert await read_all(theirs) == b""  # our side is closed: the end of its input
            await theirs.aclose()


async def test_destroy_does_not_wait_long_for_a_stream_that_takes_nothing() -> None:
    # What destroy() leaves to the stream is sent within a short grace: a peer that never
    # reads does not hold the close up, and the write fails as Node fails one it dropped.
    with anyio.fail_after(5):
        async with net.open_runtime():
            stuck = StuckStream()
            sock = net.Socket.from_stream(stuck)
            results: list[Any] = []
            sock.write(b"never taken", results.append)
            sock_closed = Waiter(sock, "close")
            sock.destroy()
            assert await sock_closed.wait() == (False,)
    assert stuck.sends == 1
    assert stuck.closed.is_set()
    assert [getattr(err, "code", None) for err in results] == ["ERR_STREAM_DESTROYED"]


async def test_destroy_gives_up_a_send_the_stream_does_not_finish() -> None:
    # A send under way is let end (see the next test), within the same grace: a stream
    # that takes nothing has it cut, and what waited behind it is not tried.
    with anyio.fail_after(5):
        async with net.open_runtime():
            stuck = StuckStream()
            sock = net.Socket.from_stream(stuck)
            results: list[Any] = []
            sock.write(b"under way", results.append)
            await stuck.sending.wait()
            sock.write(b"behind it", results.append)
            sock_closed = Waiter(sock, "close")
            sock.destroy()
            assert await sock_closed.wait() == (False,)
    assert stuck.sends == 1  # nothing more was tried
    assert [getattr(err, "code", None) for err in results] == ["ERR_STREAM_DESTROYED"] * 2


async def test_destroy_lets_a_send_under_way_end_then_sends_the_rest() -> None:
    # Over TLS a send takes a few steps, so destroy() often finds one under way: cut in the
    # middle, a TLS record is lost and the peer cannot read what follows. It is let end, its
    # write succeeds, and the writes behind it go next, as Node would have delivered both.
    with anyio.fail_after(5):
        async with net.open_runtime():
            slow = StuckStream()
            sock = net.Socket.from_stream(slow)
            events: list[Any] = []
            sock.on("close", lambda had_error: events.append(("close", had_error)))
            sock.write(b"under way, ", lambda err: events.append(("first", err)))
            await slow.sending.wait()
            sock.write(b"then this", lambda err: events.append(("second", err)))
            sock.destroy()
            slow.release()
            await closed(sock)
    assert b"".join(slow.sent) == b"under way, then this"
    assert events == [("first", None), ("second", None), ("close", False)]
    assert slow.closed.is_set()


async def test_tls_writes_around_a_send_under_way_survive_destroy() -> None:
    # The case above on a real TLS connection: write, let the send start, write again,
    # destroy(). The client reads both, then the end of the stream (no bad record).

    async def on_secure(secure: net.Socket) -> None:
        secure.write(b"a" * 100)
        await anyio.lowlevel.checkpoint()  # its send is under way
        secure.write(b"b" * 100)
        secure.destroy()

    with anyio.fail_after(10):
        async with net.open_runtime():
            server, client = await serve_tls_to_a_client(on_secure)
            got = await read_all(client)
            await client.aclose()
            server.close()
    assert got == b"a" * 100 + b"b" * 100


async def test_from_subprocess_pipes() -> None:
    code = "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().upper())"
    with anyio.fail_after(20):
        async with net.open_runtime():
            process = await anyio.open_process([sys.executable, "-c", code])
            assert process.stdin is not None
            assert process.stdout is not None
            sock = net.Socket.from_stream(StapledByteStream(process.stdin, process.stdout))
            sock.set_encoding("utf8")
            got: list[str] = []
            sock.on("data", got.append)
            sock.write("hello, ")
            sock.end("pipes")  # closes the child's stdin
            await closed(sock)
            assert await process.wait() == 0
            await process.aclose()
    assert "".join(got) == "HELLO, PIPES"


async def test_from_anyio_tcp_stream_knows_its_addresses() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.end(b"hi"))
            server.listen(0, LOCALHOST)
            stream = await anyio.connect_tcp(LOCALHOST, port_of(server))
            sock = net.Socket.from_stream(stream)
            assert sock.remote_port == port_of(server)
            assert sock.remote_address == LOCALHOST
            got: list[bytes] = []
            sock.on("data", got.append)
            await closed(sock)
            server.close()
    assert got == [b"hi"]


@pytest.mark.parametrize("kind", ["tcp", "unix"])
async def test_from_anyio_socket_stream_reads_and_writes_its_socket(
    backend_name: str, kind: str
) -> None:
    # AnyIO's socket streams only forward to their connection: the Socket uses it directly,
    # as its own sockets do (on asyncio the TCP one's transport hands its connection over).
    # Not AnyIO's Unix stream on asyncio: nothing would tell the Socket of its owner's
    # aclose() (see the next tests), so it goes through the stream.
    with anyio.fail_after(5), tempfile.TemporaryDirectory(prefix="anet-", dir="/tmp") as where:
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.pipe(conn))  # echo
            stream: ByteStream
            if kind == "unix":
                path = f"{where}/s.sock"
                server.listen(path)
                await net.once(server, "listening")
                stream = await anyio.connect_unix(path)
            else:
                server.listen(0, LOCALHOST)
                stream = await anyio.connect_tcp(LOCALHOST, port_of(server))
            raw = stream.extra(SocketAttribute.raw_socket)
            sock = net.Socket.from_stream(stream)
            direct = type(sock._transport) is not StreamTransport
            assert direct == (kind == "tcp" or backend_name == "trio")
            got: list[bytes] = []
            ended: list[bool] = []
            sock.on("data", got.append)
            sock.on("end", lambda: ended.append(True))
            sock.write(b"echo ")
            sock.end(b"me")
            assert await closed(sock) == (False,)
            server.close()
    assert b"".join(got) == b"echo me"
    assert ended == [True]
    assert raw.fileno() == -1  # closed with the Socket


async def test_from_an_accepted_anyio_stream_keeps_what_it_had_read() -> None:
    # AnyIO's asyncio streams read an accepted connection into their protocol at once: the
    # Socket that takes the connection gets those bytes first, then the rest, then 'end'.
    with anyio.fail_after(5):
        async with (
            net.open_runtime(),
            await anyio.create_tcp_listener(local_host=LOCALHOST) as listener,
        ):
            port = listener.extra(SocketAttribute.local_port)
            client = await anyio.connect_tcp(LOCALHOST, port)
            await client.send(b"sent early, ")
            stream = await listener.listeners[0].accept()  # type: ignore[attr-defined]
            queue = getattr(getattr(stream, "_protocol", None), "read_queue", None)
            if queue is not None:  # asyncio: wait until the stream has read it
                await until(lambda: queue)
            sock = net.Socket.from_stream(stream)
            got: list[bytes] = []
            sock.on("data", got.append)
            sock_ended = Waiter(sock, "end")
            await client.send(b"then late")
            await client.send_eof()
            await sock_ended.wait()
            assert b"".join(got) == b"sent early, then late"
            assert sock.bytes_read == len(b"sent early, then late")
            await closed(sock)
            await client.aclose()


@pytest.mark.parametrize(
    ("when", "kind"),
    [
        ("before it reads", "tcp"),
        ("while it reads and writes", "tcp"),
        # (Not while it reads and writes: AnyIO's asyncio Unix stream closed under a send
        # and a receive raises in the loop's callbacks itself, with or without anyio-net.)
        ("before it reads", "unix"),
    ],
)
async def test_an_anyio_stream_closed_by_its_owner_gives_the_socket_error_then_close(
    when: str, kind: str
) -> None:
    # Whether the Socket goes through the stream or its socket, the owner's aclose() is a
    # broken connection to it: 'error' (ECONNRESET) then 'close', the run goes on.
    with anyio.fail_after(5), tempfile.TemporaryDirectory(prefix="anet-", dir="/tmp") as where:
        async with net.open_runtime():
            server = net.create_server({"pauseOnConnect": True}, lambda conn: None)
            stream: ByteStream
            if kind == "unix":
                server.listen(f"{where}/s.sock")
                await net.once(server, "listening")
                stream = await anyio.connect_unix(f"{where}/s.sock")
            else:
                server.listen(0, LOCALHOST)
                stream = await anyio.connect_tcp(LOCALHOST, port_of(server))
            sock = net.Socket.from_stream(stream)
            events: list[tuple[Any, ...]] = []
            written: list[Any] = []
            sock.on("error", lambda err: events.append(("error", err.code, err.syscall)))
            sock.on("close", lambda had_error: events.append(("close", had_error)))
            sock_closed = Waiter(sock, "close")
            sock.resume()
            if when != "before it reads":
                # More than the kernel buffers while the peer reads nothing: a write waits.
                sock.write(b"x" * (16 << 20), lambda err: written.append(err.code))
                await settle()
            await stream.aclose()
            await sock_closed.wait()
            server.close()
            for conn in list(server._sockets):
                conn.destroy()
    # One 'error', from whichever of the reading and the writing task woke first.
    broken = [("error", "ECONNRESET", "read"), ("error", "EPIPE", "write")]
    assert events[0] in (broken[:1] if when == "before it reads" else broken)
    assert events[1:] == [("close", True)]
    if when != "before it reads":
        assert written in (["ERR_STREAM_DESTROYED"], ["EPIPE"])


async def reconnect_from_close_listener(port: int, wait_first: bool) -> list[tuple[Any, ...]]:
    """Destroy a Socket over an AnyIO stream whose first 'close' connects it again."""
    sock = net.Socket.from_stream(await anyio.connect_tcp(LOCALHOST, port))
    events: list[tuple[Any, ...]] = []
    done = anyio.Event()

    def on_close(had_error: bool) -> None:
        events.append(("close", had_error))
        if len(events) == 1:
            sock.connect(port, LOCALHOST)
        else:
            done.set()

    def on_connect() -> None:
        events.append(("connect",))
        sock.end()

    sock.on("close", on_close)
    sock.on("error", lambda err: events.append(("error", err.code)))
    sock.on("connect", on_connect)
    if wait_first:
        await settle()  # its task now waits to read
    sock.destroy()
    await done.wait()
    return events


@pytest.mark.parametrize("when", ["at once", "once it reads"])
async def test_a_socket_from_a_stream_connects_again_from_its_close_listener(when: str) -> None:
    # destroy() finalizes at once and 'close' may run before the task that read the old
    # connection wakes: that task must leave the new connection alone (no ECONNRESET).
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.on("end", conn.end))
            server.listen(0, LOCALHOST)
            for _ in range(5):
                events = await reconnect_from_close_listener(port_of(server), when != "at once")
                assert events == [("close", False), ("connect",), ("close", False)]
            server.close()


async def test_a_socket_from_a_stream_destroyed_by_a_data_listener_connects_again() -> None:
    # The same from inside the task that reads: a 'data' listener destroys the socket and
    # 'close' (run as the chunk's callback returns) connects it again, before that task
    # goes on. It must leave the new connection to its own task.
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.pipe(conn))  # echo
            server.listen(0, LOCALHOST)
            sock = net.Socket.from_stream(await anyio.connect_tcp(LOCALHOST, port_of(server)))
            events: list[tuple[Any, ...]] = []

            def on_data(chunk: bytes) -> None:
                events.append(("data", chunk))
                if chunk == b"first":
                    sock.destroy()
                else:
                    sock.end()

            def on_close(had_error: bool) -> None:
                events.append(("close", had_error))
                if len([e for e in events if e[0] == "close"]) == 1:
                    sock.connect(port_of(server), LOCALHOST)
                else:
                    server.close()

            def on_connect() -> None:
                # (The old task, had it gone on, would have parked on the new connection:
                # reading stopped, and the socket no longer keeping the runtime.)
                events.append(("connect", sock._active, sock._read_parked))
                sock.write(b"second")

            sock.on("data", on_data)
            sock.on("close", on_close)
            sock.on("connect", on_connect)
            sock.on("error", lambda err: events.append(("error", err.code)))
            sock.write(b"first")
            server.unref()
            # No wait here: leaving the block waits for the socket as long as it is in use
            # (the old task, parked on the new connection, made it look idle).
    assert events == [
        ("data", b"first"),
        ("close", False),
        ("connect", True, False),
        ("data", b"second"),
        ("close", False),
    ]


async def test_from_a_subclass_of_an_anyio_socket_stream_goes_through_the_stream() -> None:
    # A subclass may change what receive() and send() do: only AnyIO's own classes are
    # bypassed.
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.end(b"hi"))
            server.listen(0, LOCALHOST)
            stream = await anyio.connect_tcp(LOCALHOST, port_of(server))
            stream.__class__ = type("Wrapped", (type(stream),), {})
            sock = net.Socket.from_stream(stream)
            assert type(sock._transport) is StreamTransport
            got: list[bytes] = []
            sock.on("data", got.append)
            await closed(sock)
            server.close()
    assert got == [b"hi"]


# -- socket.as_stream ----------------------------------------------------------------------


async def test_as_stream_over_a_real_socket() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            conn_closed = Waiter(conn, "close")
            stream = client.as_stream()
            assert stream.socket is client
            assert stream.extra(SocketAttribute.remote_port) == client.remote_port
            assert stream.extra(SocketAttribute.local_address)[1] == client.local_port
            await stream.send(b"hello")
            await until(lambda: conn.readable_length == 5)
            assert conn.read() == b"hello"
            conn.write(b"0123456789")
            assert await stream.receive(4) == b"0123"  # max_bytes is honoured
            assert await stream.receive() == b"456789"
            assert client.readable_high_water_mark == 16384  # not raised by max_bytes
            conn.end(b"bye")
            assert await stream.receive() == b"bye"
            with pytest.raises(anyio.EndOfStream):
                await stream.receive()
            await stream.send_eof()
            assert client.writable_finished
            await stream.aclose()
            assert client._closed
            with pytest.raises(anyio.ClosedResourceError):
                await stream.receive()
            with pytest.raises(anyio.ClosedResourceError):
                await stream.send(b"late")
            await conn_closed.wait()
            server.close()


async def test_as_stream_send_waits_while_the_write_queue_is_full() -> None:
    chunk = b"y" * 65536
    with anyio.fail_after(20):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            conn.pause()
            stream = client.as_stream()
            blocked = False
            with anyio.move_on_after(1) as scope:
                for _ in range(8192):  # 512 MiB: far more than the kernel buffers hold
                    await stream.send(chunk)
            blocked = scope.cancelled_caught
            assert blocked, "send() never waited for the peer"
            assert client.writable_length <= 2 * 65536 + client.writable_high_water_mark
            await stream.aclose()
            conn.destroy()
            server.close()


async def test_as_stream_reports_a_reset_as_broken_resource() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            stream = client.as_stream()
            conn.reset_and_destroy()
            with pytest.raises(anyio.BrokenResourceError) as broken:
                await stream.receive()
            assert getattr(broken.value.__cause__, "code", None) == "ECONNRESET"
            await stream.aclose()
            server.close()


async def test_as_stream_refuses_a_socket_with_an_encoding() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            client.set_encoding("utf8")
            with pytest.raises(TypeError) as refused:
                client.as_stream()
            assert refused.value.code == "ERR_INVALID_ARG_VALUE"  # type: ignore[attr-defined]
            client.destroy()
            await closed(conn)
            server.close()


async def test_as_stream_of_a_memory_backed_socket_round_trips() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            ours, theirs = memory_pair()
            sock = net.Socket.from_stream(ours, allowHalfOpen=True)
            stream = sock.as_stream()
            await theirs.send(b"in")
            assert await stream.receive() == b"in"
            await stream.send(b"out")
            assert await theirs.receive() == b"out"
            await theirs.send_eof()
            with pytest.raises(anyio.EndOfStream):
                await stream.receive()
            await stream.send(b"still open")  # half-open: our side still writes
            assert await theirs.receive() == b"still open"
            await stream.aclose()
            await theirs.aclose()


# -- TLS: an AnyIO TLSStream over as_stream(), and a Socket over the TLSStream ---------------


def tls_contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for localhost, and a client context trusting it."""
    trustme = pytest.importorskip("trustme", reason="trustme (the 'test' extra) is missing")
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    return server_context, client_context


async def test_tls_round_trip_over_anyio_net_sockets() -> None:
    server_context, client_context = tls_contexts()
    message = b"secret " * 5000
    with anyio.fail_after(10):
        async with net.open_runtime():

            async def on_connection(conn: net.Socket) -> None:
                tls = await TLSStream.wrap(
                    conn.as_stream(), server_side=True, ssl_context=server_context
                )
                secure = net.Socket.from_stream(tls)
                secure.pipe(secure)  # echo, inside TLS

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            tls = await TLSStream.wrap(
                client.as_stream(), hostname="localhost", ssl_context=client_context
            )
            assert tls.extra(TLSAttribute.tls_version).startswith("TLS")
            secure = net.Socket.from_stream(tls)
            got: list[bytes] = []
            secure.on("data", got.append)
            secure_closed = Waiter(secure, "close")
            secure.write(message)
            await until(lambda: sum(map(len, got)) >= len(message))
            secure.destroy()
            await secure_closed.wait()
            await closed(client)
            server.close()
    assert b"".join(got) == message


async def test_tls_reply_written_before_destroy_reaches_the_client() -> None:
    # Node's HTTPS server answers a bad request with write() then destroy(): the answer
    # gets out, as TLS hands it to the kernel at once. Over a TLSStream, so does ours.

    def on_secure(secure: net.Socket) -> None:
        def on_data(chunk: bytes) -> None:
            secure.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            secure.destroy()

        secure.on("data", on_data)

    with anyio.fail_after(10):
        async with net.open_runtime():
            server, client = await serve_tls_to_a_client(on_secure)
            await client.send(b"nonsense\r\n\r\n")
            got = await read_all(client)
            await client.aclose()
            server.close()
    assert got == b"HTTP/1.1 400 Bad Request\r\n\r\n"


async def serve_tls_to_a_client(
    on_secure: Callable[[net.Socket], Awaitable[None] | None],
) -> tuple[net.Server, ByteStream]:
    """A server that hands ``on_secure`` a Socket over TLS over each connection, and a
    client connected to it over TLS (AnyIO's)."""
    server_context, client_context = tls_contexts()

    async def on_connection(conn: net.Socket) -> None:
        tls = await TLSStream.wrap(conn.as_stream(), server_side=True, ssl_context=server_context)
        waiting = on_secure(net.Socket.from_stream(tls))
        if waiting is not None:
            await waiting

    server = net.create_server(on_connection)
    server.listen(0, LOCALHOST)
    client = await anyio.connect_tcp(
        LOCALHOST, port_of(server), ssl_context=client_context, tls_hostname="localhost"
    )
    return server, client
