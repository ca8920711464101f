"""What a Socket reads from and writes to: a raw non-blocking socket or any AnyIO ByteStream.

How it works:
- ``SocketTransport`` drives a non-blocking ``socket.socket`` with ``anyio.wait_readable`` /
  ``wait_writable`` (AnyIO's public API; native on Trio, ``add_reader`` on asyncio). It can
  write synchronously (``try_send``), as libuv's ``uv_try_write`` does, so ``write()`` hands
  data to the kernel at once and a ping-pong needs no task switch to answer.
- After a short read the kernel buffer is probably empty, so the next read waits for
  readiness first instead of paying for a read that fails with EAGAIN; after a full read it
  reads again at once, yielding to the scheduler (a checkpoint) so one busy peer cannot
  starve the others.
- ``LoopTransport`` (asyncio and uvloop): ``wait_readable`` costs an ``add_reader`` /
  ``remove_reader`` pair and a task switch per read there. Instead, while the socket's host
  task waits in ``receive(deliver)`` (on a future), a reader callback stays registered and
  pushes each chunk straight to ``deliver`` (the Socket), as asyncio's own transports call
  ``data_received``: one ``recv`` per chunk, no task switch, no extra system call.
  ``deliver`` returning False (paused, buffer full), EOF or an error end the wait; the
  reader is registered again by the next ``receive``. Writing is unchanged.
- The reader callbacks are registered in an epoll set of the runtime's (``Poller``), which
  the loop watches as one descriptor: one ``epoll_ctl`` to register a socket and one to
  remove it, where the loop's ``add_reader`` / ``remove_reader`` made four to six on uvloop
  plus an ``ioctl``. Without epoll they go to the loop itself; uvloop reports an error
  event to such a reader once and then drops it, so after a short read there the socket is
  asked for a pending error (a reset that came with the last bytes).
- ``push_to(deliver, done)`` is the same reader with no task waiting at all: an accepted
  socket on asyncio reads this way, as a Protocol does, and ``done`` reports the stop.
- After a short read the next goes into one 64 KiB buffer per thread and only what came is
  copied (a fresh 64 KiB object costs more than the copy for a small chunk). After a big
  read (16 KiB or more: bulk) the next reads up to 256 KiB straight into a fresh object, as
  asyncio's own transports do: a quarter of the system calls and no copy at all, and that
  object is the chunk. (Node's chunks are at most 64 KiB; cutting ours to that size cost a
  copy of every byte, about a fifth of the server's time in a bulk echo.)
- ``socket_transport()`` picks ``LoopTransport`` when an asyncio loop runs (override with
  ``ANYIO_NET_LOOP_TRANSPORT=0``), else ``SocketTransport``.
- ``StreamTransport`` wraps any ``anyio.abc.ByteStream`` (TLS, memory streams, ...): it asks
  for up to 256 KiB at a time and has no synchronous write, so every write goes through a
  task (the reading one after a chunk's listeners, else the socket's writer task).
- ``socket_from_fd`` sorts a descriptor the way libuv's ``uv_guess_handle`` does (``TCP``,
  ``PIPE``, ``UDP``, ``FILE``, ``TTY``, ``UNKNOWN``), so ``Socket({"fd": n})`` and
  ``listen({"fd": n})`` refuse what Node refuses, with Node's type name.
"""

from __future__ import annotations

import asyncio
import contextvars
import errno
import os
import select
import socket
import stat
import struct
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import anyio
from anyio.abc import ByteStream

from ._runtime import Runtime

_READ_SIZE = 65536  # a read after a short one (Node reads 64 KiB)
_BIG_READ_SIZE = 262144  # a read after a big one (asyncio's own transports read 256 KiB)
_BIG_READ = 16384  # a read this big is taken for bulk
USE_LOOP_TRANSPORT = os.environ.get("ANYIO_NET_LOOP_TRANSPORT", "1") != "0"
# How long closing a socket over a stream waits on the stream: what destroy() left to send
# (Socket._flush_before_close), then the stream's own aclose() (a TLS close_notify answered).
# Enough for a stream that takes bytes without its peer reading them and for a peer on a
# slow link to answer; short enough that a peer that stopped reading does not hold the
# close up (Node's destroy() waits for neither).
CLOSE_GRACE_S = 0.25

Deliver = Callable[[bytes], bool]
"""Takes a pushed chunk; returns whether the transport should keep reading. Never raises."""
Done = Callable[[bytes | None, OSError | None], None]
"""Told why pushing stopped: (None, None) paused, (b"", None) EOF, (None, error)."""


class SocketTransport:
    """A connected, non-blocking stream socket."""

    __slots__ = ("_big", "_eager", "_full", "husk", "raw")

    def __init__(self, sock: socket.socket) -> None:
        if sock.gettimeout() != 0.0:  # (a system call; accepted sockets are non-blocking)
            sock.setblocking(False)
        self.raw: socket.socket | None = sock
        self._full = False  # the last read filled its buffer: more is probably waiting
        self._big = False  # the last read was big: read up to 256 KiB next
        self._eager = False  # read before waiting: see read_first()
        # The paused asyncio transport of an AnyIO stream this socket was taken from (see
        # take_socket_of): it holds the other descriptor of the connection until close().
        self.husk: asyncio.Transport | None = None

    def read_first(self) -> None:
        """Try the first read before waiting for readiness (an accepted connection's first
        bytes have usually arrived with it: that saves a wait, as Trio's own sockets do)."""
        self._eager = True

    def wait_first(self) -> int:
        """What ``receive`` does before reading: 0 nothing, 1 a checkpoint, 2 wait until
        readable (for a caller that inlines ``receive``, saving a coroutine frame)."""
        if self._eager:
            self._eager = False
            return 0
        return 1 if self._full else 2

    def read_now(self) -> bytes:
        """One read; ``BlockingIOError`` when nothing is there."""
        sock = self.raw
        assert sock is not None
        return self._read(sock)

    async def receive(self, deliver: Deliver | None = None) -> bytes | None:
        """The next chunk, ``b""`` at EOF. (Only ``LoopTransport`` pushes to ``deliver``.)"""
        sock = self.raw
        assert sock is not None
        try:
            how = self.wait_first()
            if how == 1:
                await anyio.lowlevel.checkpoint()
            elif how == 2:
                await anyio.wait_readable(sock)
            while True:
                try:
                    return self._read(sock)
                except (BlockingIOError, InterruptedError):
                    await anyio.wait_readable(sock)
        except (anyio.ClosedResourceError, ValueError, OSError) as exc:
            if not closed_under_us(exc, sock):
                raise
            raise connection_reset() from exc

    def _read(self, sock: socket.socket) -> bytes:
        # One recv(): see the module's docstring for the two kinds.
        if self._big:
            data = sock.recv(_BIG_READ_SIZE)
            size = len(data)
            self._full = size == _BIG_READ_SIZE
            self._big = size >= _BIG_READ
            return data
        view = _buffer()
        size = sock.recv_into(view)
        self._full = size == _READ_SIZE
        self._big = size >= _BIG_READ
        return bytes(view[:size])

    def try_send(self, data: Any) -> int:
        sock = self.raw
        assert sock is not None
        try:
            return sock.send(data)
        except (BlockingIOError, InterruptedError):
            return 0

    async def send_all(self, data: Any) -> None:
        sock = self.raw
        assert sock is not None
        view = memoryview(data)
        while view:
            try:
                sent = sock.send(view)
            except (BlockingIOError, InterruptedError):
                try:
                    await anyio.wait_writable(sock)
                except (anyio.ClosedResourceError, ValueError) as exc:
                    if not closed_under_us(exc, sock):
                        raise
                    raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)) from exc
                continue
            view = view[sent:]

    async def send_eof(self) -> None:
        sock = self.raw
        assert sock is not None
        sock.shutdown(socket.SHUT_WR)

    def shutdown_now(self) -> bool:
        """Send FIN right away (the queue is empty); False when only a task can do it."""
        sock = self.raw
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the peer is gone: the writer would ignore it too
        return True

    def close(self, reset: bool = False) -> None:
        sock, self.raw = self.raw, None
        if sock is None:
            return
        if reset:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        husk = self.husk
        if husk is not None:
            self.husk = None
            release_husk(husk)
        sock.close()

    async def aclose(self, reset: bool = False) -> None:
        self.close(reset)


def connection_reset() -> ConnectionResetError:
    """The error a broken stream or a socket closed under us is reported as."""
    return ConnectionResetError(errno.ECONNRESET, os.strerror(errno.ECONNRESET))


def closed_under_us(exc: Exception, sock: socket.socket) -> bool:
    """Whether a wait or a read failed because the socket was closed by someone else than
    destroy() (which nobody hears from then): the owner of the AnyIO stream it was adopted
    from, while we waited (ClosedResourceError), before (Trio refuses to wait for descriptor
    -1) or between the wait and the read (EBADF). The socket then reports it as a broken
    stream is reported (StreamTransport)."""
    if isinstance(exc, anyio.ClosedResourceError):
        return True
    if sock.fileno() >= 0:
        return False
    return isinstance(exc, ValueError) or (isinstance(exc, OSError) and exc.errno == errno.EBADF)


def _asked_raw_socket(stream: ByteStream) -> socket.socket | None:
    # The stream's socket through AnyIO's public attribute (which builds the stream's whole
    # table of extra attributes on every call); None for a stream without one.
    from anyio.abc import SocketAttribute

    try:
        return stream.extra(SocketAttribute.raw_socket)
    except Exception:
        return None


class Poller:
    """The sockets that read in event-loop callbacks, in one epoll set of their own (Linux).

    The loop watches the set's descriptor; when it is readable, ``_dispatch`` asks the set
    which sockets are and calls their handlers. Registering a socket so costs one
    ``epoll_ctl`` and removing it one more, where the loop's own ``add_reader`` /
    ``remove_reader`` cost four to six on uvloop (libuv checks each new descriptor with an
    add and a delete, then adds it again) plus a non-blocking ``ioctl`` and the Python-level
    bookkeeping of the standard selector; and an error event stays reported until the
    socket is removed, where uvloop reports it to a reader once (``probe``). Each handler
    runs in a copy of the context it was added from, as with ``add_reader``. Without epoll
    the handlers go to the loop's ``add_reader``. One per runtime (``runtime_poller``),
    closed with it.
    """

    __slots__ = ("_ep", "_fd", "_handlers", "_loop", "probe")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._handlers: dict[int, tuple[contextvars.Context, Callable[[], None]]] = {}
        self._ep: select.epoll | None = None
        self._fd = -1
        if _HAVE_EPOLL:
            self._ep = select.epoll()
            self._fd = self._ep.fileno()
            mark_asyncio()
            loop.add_reader(self._fd, self._dispatch)
        # uvloop reports an error event (a reset) to a reader of its own once and then
        # drops the registration: after a short read there, ask the socket for a pending
        # error. (Our own epoll set keeps reporting it.)
        self.probe = self._ep is None and type(loop).__module__.startswith("uvloop")

    def add(self, fd: int, handler: Callable[[], None]) -> None:
        mark_asyncio()
        if self._ep is None:
            self._loop.add_reader(fd, handler)
            return
        self._ep.register(fd, select.EPOLLIN)
        self._handlers[fd] = (contextvars.copy_context(), handler)

    def remove(self, fd: int, handler: Callable[[], None]) -> None:
        # Called while ``fd`` is still open: a closed descriptor leaves the set by itself
        # only when no other descriptor shares its file (one passed to another process).
        # Only ``handler``'s own registration goes: a descriptor closed by someone else (a
        # Socket({"fd": n}) whose owner closed n) may already be another socket's.
        if self._ep is None:
            self._loop.remove_reader(fd)
            return
        entry = self._handlers.get(fd)
        if entry is None or entry[1] != handler:
            return
        del self._handlers[fd]
        try:
            self._ep.unregister(fd)
        except OSError:
            pass

    def _dispatch(self) -> None:
        handlers = self._handlers
        if len(handlers) == 1:
            # The set is readable, so its one socket is (or was: a handler that finds
            # nothing to read returns): no need to ask the set, which would cost a system
            # call per round trip on a single connection. The kernel checks the socket
            # again before it reports the set readable again.
            context, handler = next(iter(handlers.values()))
            context.run(handler)
            return
        assert self._ep is not None
        for fd, _events in self._ep.poll(0, 256):
            entry = handlers.get(fd)
            if entry is not None:  # (removed by a handler that ran before it)
                entry[0].run(entry[1])

    def close(self) -> None:
        ep, self._ep = self._ep, None
        if ep is not None:
            try:
                self._loop.remove_reader(self._fd)
            except Exception:
                pass  # the loop is closed already
            ep.close()
            self._fd = -1
            self._handlers.clear()


_HAVE_EPOLL = hasattr(select, "epoll")


def runtime_poller(runtime: Runtime) -> Poller | None:
    """``runtime``'s Poller, made by its first socket; None where sockets do not read in
    loop callbacks (Trio, ``ANYIO_NET_LOOP_TRANSPORT=0``).

    Decided once per runtime: ``asyncio.get_running_loop()`` costs a ``getpid()`` system
    call (a check for a fork), and raises on Trio. The socket's own runtime, not the
    caller's: the set closes with it, and ``connect()`` may be called from anywhere.
    """
    poller = runtime._poller
    if poller is None:
        loop = callback_loop()
        poller = runtime._poller = Poller(loop) if loop is not None else False
    return poller or None


class LoopTransport(SocketTransport):
    """asyncio: a reader callback of the event loop reads and pushes each chunk."""

    __slots__ = ("_deliver", "_done", "_fd", "_loop", "_poller", "_probe", "_reading", "_waiter")

    def __init__(self, sock: socket.socket, poller: Poller) -> None:
        SocketTransport.__init__(self, sock)
        self._poller = poller
        self._loop = poller._loop
        self._fd = sock.fileno()
        self._reading = False  # whether _on_readable is registered
        self._probe = poller.probe
        self._deliver: Deliver | None = None
        self._waiter: asyncio.Future[bytes | None] | None = None  # the pumping task's
        self._done: Done | None = None  # callback mode's end of pushing (push_to)

    def _start(self) -> None:
        self._poller.add(self._fd, self._on_readable)
        self._reading = True

    async def receive(self, deliver: Deliver | None = None) -> bytes | None:
        """Push chunks to ``deliver`` until it returns False (then None) or EOF (``b""``).

        Without ``deliver``: the next chunk, as ``SocketTransport.receive``.
        """
        if deliver is None:
            return await SocketTransport.receive(self)
        waiter: asyncio.Future[bytes | None] = self._loop.create_future()
        self._waiter = waiter
        self._deliver = deliver
        self._start()
        try:
            return await waiter
        finally:
            self._stop()

    def push_to(self, deliver: Deliver, done: Done) -> None:
        """Callback mode: push chunks to ``deliver`` with no task waiting at all.

        Pushing stops when ``deliver`` returns False, then ``done(None, None)`` is called; at
        EOF ``done(b"", None)``; on a read error ``done(None, error)``.
        """
        self._deliver = deliver
        self._done = done
        if not self._reading:
            self._start()

    def _stop(self) -> None:
        # Only the registration we made is removed: once the socket is closed, its number
        # may already belong to another socket.
        if self._reading:
            self._reading = False
            self._poller.remove(self._fd, self._on_readable)
        self._deliver = None
        self._waiter = None
        self._done = None

    def _on_readable(self) -> None:
        sock = self.raw
        deliver = self._deliver
        if sock is None or deliver is None:
            self._stop()
            return
        try:
            data = self._read(sock)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._finish(None, exc)
            return
        if not data:
            self._finish(b"", None)
        elif not deliver(data):
            self._finish(None, None)
        elif self._probe and not self._full and self._reading:
            error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:  # a reset came with the last data: report it as recv() would
                self._finish(None, OSError(error, os.strerror(error)))

    def _finish(self, result: bytes | None, error: OSError | None) -> None:
        waiter = self._waiter
        done = self._done
        self._stop()
        if waiter is not None and not waiter.done():
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(result)
        elif done is not None:
            done(result, error)

    def close(self, reset: bool = False) -> None:
        self._stop()  # before the descriptor goes
        SocketTransport.close(self, reset)

    async def aclose(self, reset: bool = False) -> None:
        self.close(reset)


_buffers = threading.local()


def _buffer() -> memoryview:
    try:
        return _buffers.view  # type: ignore[no-any-return]
    except AttributeError:
        view = _buffers.view = memoryview(bytearray(_READ_SIZE))
        return view


def mark_asyncio() -> None:
    # The loop runs reader callbacks in a copy of the context they were registered from,
    # outside any task: there sniffio (and so AnyIO, for whatever a listener calls) must be
    # told the library, as AnyIO does for its own callbacks from threads.
    try:
        import sniffio
    except ImportError:  # AnyIO then asks asyncio for a running loop, which works there
        return
    if sniffio.current_async_library_cvar.get() is None:
        sniffio.current_async_library_cvar.set("asyncio")


def callback_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio loop when sockets work in its callbacks, else None (Trio, or
    ``ANYIO_NET_LOOP_TRANSPORT=0``)."""
    if USE_LOOP_TRANSPORT:
        try:
            return asyncio.get_running_loop()
        except RuntimeError:  # Trio (or no loop at all)
            pass
    return None


def socket_transport(sock: socket.socket, runtime: Runtime) -> SocketTransport:
    """The transport for a plain stream socket of ``runtime``: reading in loop callbacks
    on asyncio."""
    poller = runtime_poller(runtime)
    return SocketTransport(sock) if poller is None else LoopTransport(sock, poller)


# AnyIO's own socket streams on Trio: nothing but a Trio socket each (no buffer, no state
# of their own besides it), and their owner's aclose() wakes our waits (notify_closing).
# AnyIO's Unix stream on asyncio holds only a socket too, but its aclose() just closes it:
# nothing would tell the Socket, which reads it in the runtime's epoll set. It goes
# through the stream.
_BARE_SOCKET_STREAMS = frozenset(
    {("anyio._backends._trio", "SocketStream"), ("anyio._backends._trio", "UNIXSocketStream")}
)


class Taken:
    """The connection under an AnyIO socket stream, taken by ``take_socket_of``."""

    __slots__ = ("early", "husk", "sock")

    def __init__(
        self, sock: socket.socket, early: tuple[bytes, ...] = (), husk: Any = None
    ) -> None:
        self.sock = sock
        self.early = early  # what the stream had read and not handed out yet
        self.husk: asyncio.Transport | None = husk  # its transport, paused (asyncio TCP)

    def on_lost(self, lost: Callable[[], object]) -> None:
        """Call ``lost()`` when the stream's owner closes it (asyncio TCP only)."""
        husk = self.husk
        protocol = husk.get_protocol() if husk is not None else None
        if isinstance(protocol, _Husk):
            protocol.lost = lost


def take_socket_of(stream: ByteStream) -> Taken | None:
    """The connection under ``stream`` when it is one of AnyIO's own socket streams.

    Such a stream only forwards to its socket, so a Socket over it can read and write the
    socket itself, as its own sockets do, instead of a task per write through the stream.
    Anything else (TLS, a buffered or memory stream, a subclass) is None: it goes through
    the stream.
    """
    cls = type(stream)
    key = (cls.__module__, cls.__name__)
    if key == ("anyio._backends._asyncio", "SocketStream"):
        return _take_from_transport(stream)
    if key not in _BARE_SOCKET_STREAMS:
        return None
    # Taken from where AnyIO 4 keeps it on Trio, which costs less than asking.
    raw = getattr(getattr(stream, "_trio_socket", None), "_sock", None)
    if raw is None:
        raw = _asked_raw_socket(stream)
    if not isinstance(raw, socket.socket) or raw.fileno() < 0:
        return None
    return Taken(raw)


class _Husk(asyncio.Protocol):
    """What is left listening on an AnyIO stream's transport once a Socket took its
    connection: told when the stream's owner closes it (``lost``)."""

    def __init__(self) -> None:
        self.lost: Callable[[], object] | None = None

    def connection_lost(self, exc: Exception | None) -> None:
        lost, self.lost = self.lost, None
        if lost is not None:
            lost()

    def eof_received(self) -> bool:
        return True  # (reading is paused: not called)


_TRANSPORT_METHODS = (
    "abort",
    "get_extra_info",
    "get_protocol",
    "get_write_buffer_size",
    "is_closing",
    "pause_reading",
    "set_protocol",
)


def _take_from_transport(stream: ByteStream) -> Taken | None:
    # AnyIO's TCP stream on asyncio is a loop transport and a protocol that reads into a
    # queue (from the moment it exists, for an accepted connection). Reading through it
    # costs a pause and a resume of the transport per receive(). The connection is taken
    # instead: the transport stops reading, what it read is handed over, and the Socket
    # gets a duplicate of its descriptor, to read and write as its own sockets do. The
    # transport stays open, paused, until the Socket closes (release_husk), so that the
    # owner's aclose() of the stream still reaches the Socket. This uses where AnyIO keeps
    # the two (the same from AnyIO 4.0 to 4.16 at least); anything unexpected, and a stream
    # with unsent data or a pending error, goes through the stream instead.
    transport: Any = getattr(stream, "_transport", None)
    protocol = getattr(stream, "_protocol", None)
    queue = getattr(protocol, "read_queue", None)
    if (
        not all(hasattr(transport, name) for name in _TRANSPORT_METHODS)  # (uvloop's are not
        or not isinstance(queue, deque)  # asyncio.Transport subclasses)
        or getattr(stream, "_closed", True) is not False
        or getattr(protocol, "exception", True) is not None
        or transport.is_closing()
        or transport.get_write_buffer_size()
    ):
        return None
    try:
        fd = transport.get_extra_info("socket").fileno()
        if fd < 0:
            return None
        transport.pause_reading()
        dup = os.dup(fd)
    except (AttributeError, OSError, RuntimeError):
        return None
    try:
        sock = socket.socket(fileno=dup)
    except OSError:
        os.close(dup)
        return None
    early = tuple(queue)
    queue.clear()
    transport.set_protocol(_Husk())
    return Taken(sock, early, transport)


def release_husk(husk: asyncio.Transport) -> None:
    """Close the transport a socket was taken from, without telling anyone."""
    protocol = husk.get_protocol()
    if isinstance(protocol, _Husk):
        protocol.lost = None
    husk.abort()


class StreamTransport:
    """Any AnyIO byte stream; writes always go through a task (no synchronous send)."""

    __slots__ = ("_raw", "stream")

    def __init__(self, stream: ByteStream) -> None:
        self.stream: ByteStream | None = stream
        self._raw: socket.socket | bool | None = False  # False: not asked yet

    @property
    def raw(self) -> socket.socket | None:
        """The socket under the stream, if any; asked of the stream on first use.

        (AnyIO builds a stream's whole table of extra attributes on every ``extra()``
        call, and most connections never need their socket.)
        """
        raw = self._raw
        if raw is False:
            stream = self.stream
            raw = self._raw = _asked_raw_socket(stream) if stream is not None else None
        return raw  # type: ignore[return-value]

    async def receive(self, deliver: Deliver | None = None) -> bytes | None:
        assert self.stream is not None
        try:
            # Up to 256 KiB, as our own reads after a big one: AnyIO's asyncio streams hand
            # out what their transport read (up to 256 KiB) and copy the rest of a chunk
            # that is bigger than asked for on every call.
            return await self.stream.receive(_BIG_READ_SIZE)
        except anyio.EndOfStream:
            return b""
        except (anyio.BrokenResourceError, anyio.ClosedResourceError) as exc:
            # The socket reports what it can: a stream that broke is a reset connection.
            raise connection_reset() from exc

    def try_send(self, data: Any) -> int:
        return 0

    async def send_all(self, data: Any) -> None:
        assert self.stream is not None
        try:
            await self.stream.send(bytes(data))
        except (anyio.BrokenResourceError, anyio.ClosedResourceError) as exc:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)) from exc

    def shutdown_now(self) -> bool:
        return False  # a stream half-closes in a task (send_eof)

    async def send_eof(self) -> None:
        # Every AnyIO ByteStream has send_eof(); some cannot half-close and say so.
        assert self.stream is not None
        try:
            await self.stream.send_eof()
        except NotImplementedError:
            pass
        except (anyio.BrokenResourceError, anyio.ClosedResourceError) as exc:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)) from exc

    def close(self, reset: bool = False) -> None:
        # A stream can only be closed from a task; the socket's host calls aclose().
        pass

    async def aclose(self, reset: bool = False) -> None:
        raw = self.raw if reset else None  # (asked before the stream is let go)
        stream, self.stream = self.stream, None
        if stream is None:
            return
        if raw is not None:
            try:
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        # Shielded (a cancelled task still closes what it owns) but bounded: a TLS stream's
        # aclose() sends its close_notify, then waits for the peer's, which a peer that no
        # longer reads never sends. Cut short, it closes the stream under it.
        with anyio.CancelScope(shield=True) as scope:
            scope.deadline = anyio.current_time() + CLOSE_GRACE_S
            try:
                await anyio.aclose_forcefully(stream) if reset else await stream.aclose()
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
                pass  # closing anyway (a TLS peer gone before its close_notify)
        if scope.cancelled_caught:
            with anyio.CancelScope(shield=True):
                await anyio.aclose_forcefully(stream)


Transport = SocketTransport | StreamTransport

_STREAM_FAMILIES = {socket.AF_INET: "TCP", socket.AF_INET6: "TCP", socket.AF_UNIX: "PIPE"}


def socket_from_fd(fd: int) -> tuple[socket.socket | None, str]:
    """Wrap descriptor ``fd`` when it is a stream socket; also return libuv's name for its type.

    The socket object owns ``fd`` from then on. For anything else (a file, a datagram socket,
    a FIFO, a closed descriptor) the socket is None and ``fd`` is left untouched.
    """
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return None, "UNKNOWN"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None, "FILE"
    if stat.S_ISCHR(mode):
        return None, "TTY" if os.isatty(fd) else "FILE"
    if stat.S_ISFIFO(mode):
        return None, "PIPE"  # libuv opens these as pipes; only sockets are supported here
    if not stat.S_ISSOCK(mode):
        return None, "UNKNOWN"
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return None, "UNKNOWN"
    if sock.type == socket.SOCK_STREAM and sock.family in _STREAM_FAMILIES:
        return sock, _STREAM_FAMILIES[sock.family]
    kind = "UDP" if sock.type == socket.SOCK_DGRAM and sock.family != socket.AF_UNIX else "UNKNOWN"
    sock.detach()
    return None, kind
