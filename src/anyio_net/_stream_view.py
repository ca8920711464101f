"""Async views of a Socket: ``async for chunk in socket`` and ``socket.as_stream()``.

How it works:
- Both read in paused mode, as Node's async iterator does: a 'readable' listener plus
  ``read()``. Nothing is read from the network while the consumer is busy beyond the
  socket's high-water mark, so a slow consumer backs the peer up.
- Whatever ``read()`` returns is still emitted as 'data', so other 'data' listeners keep
  seeing every chunk.
- Errors: an 'error' of the socket is raised by the next call; a 'close' before 'end' is
  Node's ``ERR_STREAM_PREMATURE_CLOSE`` for the iterator. The view turns them into AnyIO's
  exceptions (``BrokenResourceError`` from the error, ``ClosedResourceError`` after our own
  ``aclose()``, ``EndOfStream`` after 'end').
- Leaving an ``async for`` early (``break``) only detaches the iterator: the socket stays
  open and keeps its unread data (Node destroys it; AnyIO's streams do not close on a
  break, and that is what Python code expects).
- ``send()`` returns at once while ``write()`` returns True; when the write queue is full
  it waits for that write's callback, so a fast sender is held back by a slow network.
"""

from __future__ import annotations

import socket as _socket_mod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel
from anyio.abc import ByteStream, SocketAttribute

from ._errors import coded

if TYPE_CHECKING:
    from ._socket import Socket

__all__ = ["ChunkIterator", "SocketByteStream"]


class _Chunks:
    """The iterator's state; the socket's listeners are its methods.

    Kept apart from ``ChunkIterator`` so that the socket never references the iterator: a
    loop left with ``break`` drops the iterator, whose finalizer then detaches this.
    """

    __slots__ = ("attached", "done", "error", "sock", "wake")

    def __init__(self, sock: Socket) -> None:
        self.sock = sock
        self.wake: anyio.Event | None = None
        self.error: BaseException | None = None
        self.done = sock.readable_ended
        if not self.done and sock._closed:
            self.error = sock._error or coded("ERR_STREAM_PREMATURE_CLOSE")
        sock.on("readable", self.on_readable)
        sock.on("end", self.on_end)
        sock.on("error", self.on_error)
        sock.on("close", self.on_close)
        self.attached = True

    def wake_up(self) -> None:
        wake = self.wake
        if wake is not None:
            self.wake = None
            wake.set()

    def on_readable(self) -> None:
        self.wake_up()

    def on_end(self) -> None:
        self.done = True
        self.wake_up()

    def on_error(self, error: BaseException) -> None:
        if self.error is None and not self.done:
            self.error = error
        self.wake_up()

    def on_close(self) -> None:
        if not self.done and self.error is None:
            self.error = coded("ERR_STREAM_PREMATURE_CLOSE")
        self.wake_up()

    def detach(self) -> None:
        if not self.attached:
            return
        self.attached = False
        sock = self.sock
        sock.remove_listener("readable", self.on_readable)
        sock.remove_listener("end", self.on_end)
        sock.remove_listener("error", self.on_error)
        sock.remove_listener("close", self.on_close)
        self.wake_up()


class ChunkIterator:
    """``async for chunk in socket``: each item is what ``socket.read()`` returned.

    Ends after 'end'; raises the socket's error, or ``ERR_STREAM_PREMATURE_CLOSE`` when it
    closes before 'end'. ``aclose()`` (or dropping it) detaches it from the socket.

    Node: ``readable[Symbol.asyncIterator]()``
    """

    __slots__ = ("_state",)

    def __init__(self, sock: Socket) -> None:
        self._state = _Chunks(sock)

    def __aiter__(self) -> ChunkIterator:
        return self

    async def __anext__(self) -> Any:
        state = self._state
        sock = state.sock
        while True:
            chunk = None if sock._destroyed or not state.attached else sock.read()
            if chunk is not None:
                return chunk
            error = state.error
            if error is not None:
                state.error = None
                state.done = True
                state.detach()
                raise error
            if state.done or not state.attached:
                state.detach()
                raise StopAsyncIteration
            wake = state.wake = anyio.Event()
            await wake.wait()

    async def aclose(self) -> None:
        """Detach from the socket (which stays open, with its unread data)."""
        self._state.detach()

    def __del__(self) -> None:
        # A loop left with `break` drops the iterator: CPython finalizes it at once.
        state = getattr(self, "_state", None)
        if state is not None and state.attached:
            try:
                state.detach()
            except Exception:  # pragma: no cover - interpreter shutdown
                pass


class SocketByteStream(ByteStream):
    """An ``anyio.abc.ByteStream`` over a Socket, for code written against AnyIO streams.

    ``receive`` takes data from the socket in paused mode (backpressure: nothing more is
    read from the network while it is not called); ``send`` is ``write`` and waits while
    the write queue is full; ``send_eof`` is ``end()`` and waits for 'finish'; ``aclose``
    is ``destroy()`` and waits for 'close'.

    Node: no equivalent.
    """

    def __init__(self, sock: Socket) -> None:
        if sock.readable_encoding is not None:
            raise coded(
                "ERR_INVALID_ARG_VALUE",
                name="socket",
                value=sock,
                reason="reads bytes: as_stream() needs a socket without set_encoding()",
            )
        self._sock = sock
        self._closed = False
        self._eof_sent = False
        self._error: BaseException | None = None
        self._wake: anyio.Event | None = None
        sock.on("readable", self._on_event)
        sock.on("end", self._on_event)
        sock.on("error", self._on_error)
        sock.on("close", self._on_event)
        sock.on("finish", self._on_event)

    @property
    def socket(self) -> Socket:
        """The Socket this stream reads from and writes to."""
        return self._sock

    # -- listeners ------------------------------------------------------------------------

    def _on_event(self, *_: Any) -> None:
        wake = self._wake
        if wake is not None:
            self._wake = None
            wake.set()

    def _on_error(self, error: BaseException) -> None:
        if self._error is None:
            self._error = error
        self._on_event()

    async def _wait(self) -> None:
        wake = self._wake
        if wake is None:
            wake = self._wake = anyio.Event()
        await wake.wait()

    def _check_open(self) -> None:
        if self._closed:
            raise anyio.ClosedResourceError
        if self._error is not None:
            raise anyio.BrokenResourceError from self._error

    # -- ByteStream -----------------------------------------------------------------------

    async def receive(self, max_bytes: int = 65536) -> bytes:
        await anyio.lowlevel.checkpoint()
        sock = self._sock
        while True:
            self._check_open()
            available = sock._rlen
            if available:
                if available <= max_bytes:
                    chunk: bytes = sock.read()
                else:
                    chunk = sock._read(max_bytes, False)  # without raising the mark
                return chunk
            if sock._eof or sock.readable_ended:
                sock.read()  # lets 'end' be emitted, as Node's last read() does
                raise anyio.EndOfStream
            if sock._closed or sock._destroyed:
                # The socket's error, even before its 'error' event has been emitted.
                raise anyio.BrokenResourceError from (self._error or sock._error)
            sock.read(0)  # make sure the reader is reading
            await self._wait()

    async def send(self, item: bytes) -> None:
        await anyio.lowlevel.checkpoint()
        self._check_open()
        sock = self._sock
        if self._eof_sent:
            raise anyio.ClosedResourceError
        if sock._destroyed or sock.writable_ended:
            raise anyio.BrokenResourceError
        outcome: list[BaseException | None] = []
        done = anyio.Event()

        def written(error: BaseException | None = None) -> None:
            outcome.append(error)
            done.set()

        if sock.write(item, written):
            return
        await done.wait()
        if outcome[0] is not None:
            raise anyio.BrokenResourceError from outcome[0]

    async def send_eof(self) -> None:
        await anyio.lowlevel.checkpoint()
        self._check_open()
        sock = self._sock
        self._eof_sent = True
        sock.end()
        while not sock.writable_finished:
            if self._error is not None:
                raise anyio.BrokenResourceError from self._error
            if sock._closed:
                raise anyio.BrokenResourceError
            await self._wait()

    async def aclose(self) -> None:
        sock = self._sock
        if not self._closed:
            self._closed = True
            sock.remove_listener("readable", self._on_event)
            sock.remove_listener("end", self._on_event)
            sock.remove_listener("finish", self._on_event)
            sock.destroy()
        await anyio.lowlevel.checkpoint()
        while not _closed(sock):
            await self._wait()
        sock.remove_listener("error", self._on_error)
        sock.remove_listener("close", self._on_event)

    @property
    def extra_attributes(self) -> Mapping[Any, Callable[[], Any]]:
        transport = self._sock._transport
        raw = transport.raw if transport is not None else None
        if raw is None:
            inner = getattr(transport, "stream", None)
            return inner.extra_attributes if inner is not None else {}
        attributes: dict[Any, Callable[[], Any]] = {
            SocketAttribute.family: lambda: raw.family,
            SocketAttribute.local_address: lambda: _address(raw.getsockname()),
            SocketAttribute.raw_socket: lambda: raw,
        }
        try:
            peer = raw.getpeername()
        except OSError:
            return attributes
        attributes[SocketAttribute.remote_address] = lambda: _address(peer)
        if raw.family in (_socket_mod.AF_INET, _socket_mod.AF_INET6):
            attributes[SocketAttribute.local_port] = lambda: raw.getsockname()[1]
            attributes[SocketAttribute.remote_port] = lambda: peer[1]
        return attributes


def _closed(sock: Socket) -> bool:
    return sock._closed


def _address(name: Any) -> Any:
    # AnyIO reports (host, port) for both IP families.
    return tuple(name[:2]) if isinstance(name, tuple) else name
