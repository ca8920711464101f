"""The writable side of a ``Socket``: Node's Writable state over the socket's transport.

How it works:
- ``write()`` hands data to the kernel at once when nothing is queued (as libuv's
  try-write), else queues it for the writer task; it returns False once the queue reaches
  the high-water mark and ``'drain'`` follows when it empties.
- One send is in flight at a time (``_sending``): the writer task's, or, over an AnyIO
  stream, the reading task's, which sends what a chunk's listeners wrote right after them.
  Small queued writes are joined into one send, up to 64 KiB.
- ``end()`` sends FIN after the queue (at once when nothing is queued), then ``'finish'``.
  ``cork()`` holds writes in the queue; the last ``uncork()`` hands them to the kernel at
  once, joined (Node's writev).
"""

from __future__ import annotations

import errno as _errno
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import anyio

from . import _debug
from ._encoding import encode, normalize_encoding
from ._errors import NetError, coded, system_error
from ._transport import StreamTransport, Transport

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._options import ConnectConfig
    from ._runtime import Runtime

Listener = Callable[..., object]

_JOIN_LIMIT = 65536  # queued writes joined into one send up to this size
_BYTES_LIKE = (bytes, bytearray, memoryview)
_ENDED_BY_PEER = "This socket has been ended by the other party"

# The attributes of Writable's state, for the __slots__ of the class that mixes it in.
WRITABLE_SLOTS = (
    "_bytes_sent",
    "_corked",
    "_final_started",
    "_finish_cbs",
    "_finished",
    "_need_drain",
    "_ending",
    "_reader_flushes",
    "_send_idle",
    "_sending",
    "_whwm",
    "_wlen",
    "_wq",
    "_writable_opt",
    "_writer_running",
    "_writer_scope",
    "_writer_wake",
)


class _EndedByPeerError(NetError):
    """Node's writeAfterFIN error: code ``EPIPE`` with its own message."""

    def __str__(self) -> str:
        return _ENDED_BY_PEER


class Writable:
    """Mixin with Node's Writable state for a Socket: the write queue and the writer task.

    The host class provides the transport (``_transport``, ``connecting``), the state it
    shares with the readable side (``_eof``, ``_end_emitted``, ``_read_parked``,
    ``_track_eof_activity()``, ``allow_half_open``),
    the idle timer's ``_timeout_s`` / ``_deadline``, and ``emit``, ``destroy``, ``_spawn``,
    ``_maybe_auto_destroy``, ``_finalize_now``, ``_runtime``.
    """

    if TYPE_CHECKING:
        _runtime: Runtime
        _transport: Transport | None
        _connect_cfg: ConnectConfig | None
        connecting: bool
        _destroyed: bool
        _error: BaseException | None
        _eof: bool
        _end_emitted: bool
        allow_half_open: bool
        _read_parked: bool
        _host_state: int
        _timeout_s: float
        _deadline: float
        _close_flush: Any

        @property
        def destroyed(self) -> bool: ...
        def emit(self, name: Hashable, *args: Any) -> bool: ...
        def destroy(self, error: BaseException | None = None) -> Self: ...
        def _spawn(self, fn: Callable[..., Any], *args: Any, counted: bool = False) -> None: ...
        def _track_eof_activity(self) -> None: ...
        def _maybe_auto_destroy(self) -> None: ...
        def _finalize_now(self) -> None: ...

    def _init_writable(self, high_water_mark: int, writable: bool) -> None:
        self._whwm = high_water_mark
        # [chunk, callback] of each write not yet sent; () until a write has to wait
        self._wq: deque[list[Any]] | tuple[()] = ()
        self._wlen = 0
        self._bytes_sent = 0
        self._need_drain = False
        self._ending = False
        self._finished = False
        self._final_started = False
        self._finish_cbs: list[Listener] = []
        self._writer_wake: anyio.Event | None = None
        self._writer_running = False
        self._writer_scope: anyio.CancelScope | None = None
        # A send_all() in flight: 0 none, 1 the writer task's, 2 the reading task's
        # (_send_after_chunk); _send_idle is set when it ends, for whoever waits (_finalize).
        self._sending = 0
        self._send_idle: anyio.Event | None = None
        self._reader_flushes = False  # the reader sends what a chunk's listeners write
        self._corked = 0
        self._writable_opt = writable

    # ------------------------------------------------------------------ writing API

    def write(self, data: Any, encoding: Any = None, callback: Listener | None = None) -> bool:
        """Send ``data``; returns False once the queue has reached the high-water mark.

        Args:
            data: bytes-like, or ``str`` encoded with ``encoding`` (default utf8).
            encoding: a Node encoding name, or the callback.
            callback: called with None once the data is handed to the OS, or the error.

        Raises:
            TypeError: ``data`` is not bytes-like or str (``ERR_INVALID_ARG_TYPE``,
                ``ERR_STREAM_NULL_VALUES`` for None).

        Events:
            'drain': once the queue empties after ``write()`` returned False.

        Node: ``socket.write()``
        """
        if callable(encoding) and callback is None:
            callback, encoding = encoding, None
        if type(data) is bytes:
            chunk = data
        elif isinstance(data, str):
            chunk = (
                data.encode() if encoding is None else encode(data, normalize_encoding(encoding))
            )
        elif isinstance(data, _BYTES_LIKE):
            chunk = bytes(data)
        elif data is None:
            raise coded("ERR_STREAM_NULL_VALUES")
        else:
            raise coded(
                "ERR_INVALID_ARG_TYPE",
                name="chunk",
                expected=["string", "Buffer", "TypedArray", "DataView"],
                value=data,
            )
        if not callable(callback):
            callback = None  # Node: `if (typeof cb !== 'function') cb = nop`
        if self._ending or self._destroyed:
            return self._write_after_end(callback)
        transport = self._transport
        if transport is None and not self.connecting:
            # Node's _writeGeneric: neither connected nor connecting is ERR_SOCKET_CLOSED.
            closed = coded("ERR_SOCKET_CLOSED")
            if callback is not None:
                self._runtime.call_soon(callback, closed)
            self.destroy(closed)
            return False
        if (
            transport is not None
            and not self._wq
            and not self._corked
            and not self.connecting
            and type(transport) is not StreamTransport
            and transport.raw is not None
        ):
            try:
                sent = transport.try_send(chunk)
            except OSError as exc:
                err = system_error(exc, "write")
                if callback is not None:
                    self._runtime.call_soon(callback, err)
                self.destroy(err)
                return False
            self._bytes_sent += sent
            if self._timeout_s:
                self._deadline = time.monotonic() + self._timeout_s
            if sent == len(chunk):
                if callback is not None:
                    self._runtime.call_soon(callback, None)
                return True
            chunk = chunk[sent:]
        self._wqueue().append([chunk, callback])
        self._wlen += len(chunk)
        if self._eof or self._read_parked:
            self._track_eof_activity()
        ok = self._wlen < self._whwm
        if not ok:
            self._need_drain = True
        if transport is not None and not self.connecting:
            self._ensure_writer()
        return ok

    def _wqueue(self) -> deque[list[Any]]:
        """The write queue, to change it (created on first use)."""
        queue = self._wq
        if type(queue) is tuple:
            queue = self._wq = deque()
        return queue  # type: ignore[return-value]

    def _write_after_end(self, callback: Listener | None) -> bool:
        # Node's writeAfterFIN: once 'end' was emitted without allowHalfOpen and end() was
        # called, a write is EPIPE even if the socket has been destroyed since.
        peer_ended = self._eof and not self.allow_half_open and self._end_emitted
        if self._destroyed and not (peer_ended and self._ending):
            # Node's Writable.write: 'ending' is checked before 'destroyed'; no 'error' then.
            err: BaseException = (
                coded("ERR_STREAM_WRITE_AFTER_END")
                if self._ending
                else coded("ERR_STREAM_DESTROYED", method="write")
            )
            if callback is not None:
                self._runtime.call_soon(callback, err)
            return False
        if peer_ended:
            err = _EndedByPeerError(_errno.EPIPE, "write", code="EPIPE")
            err.args = (_errno.EPIPE, _ENDED_BY_PEER)
        else:
            err = coded("ERR_STREAM_WRITE_AFTER_END")
        if callback is not None:
            self._runtime.call_soon(callback, err)
        self.destroy(err)
        return False

    def _ensure_writer(self) -> None:
        if self._reader_flushes:
            return  # the reading task sends it once the chunk's listeners are done
        if self._writer_running:
            wake = self._writer_wake
            if wake is not None:
                self._writer_wake = None
                wake.set()
            return
        self._writer_running = True
        self._spawn(self._write_loop)

    async def _write_loop(self) -> None:
        try:
            with anyio.CancelScope() as scope:
                self._writer_scope = scope
                await self._write_loop_body()
        except BaseException:
            # Cancelled from outside (the runtime's end, an uncaught error): with no host
            # task to do it, the writer closes the socket.
            if self._host_state not in (1, 2):
                self._finalize_now()
            raise
        finally:
            self._writer_running = False
            self._writer_wake = None
            self._writer_scope = None
            if self._destroyed and self._host_state not in (1, 2):
                self._finalize_now()  # no host task to close it (callback mode)

    async def _send_batch(self, transport: Transport, by_reader: bool = False) -> bool:
        # One send of what is queued (small writes joined, up to 64 of them and 64 KiB), by
        # the writer task or by the reader (_send_after_chunk), never both at once
        # (_sending); False once destroyed. A big write goes alone: joining it would copy it.
        # Over a stream, destroy() lets a send under way end (a TLS stream cut in the middle
        # of a record is corrupt) and keeps the queue for the closing task (_close_flush):
        # this send settles its own writes there.
        queue = self._wqueue()
        entry = queue[0]
        if len(queue) == 1 or len(entry[0]) >= _JOIN_LIMIT:
            data = entry[0]
            callbacks = [entry[1]] if entry[1] is not None else []
            count = 1
        else:
            parts = []
            callbacks = []
            count = 0
            size = 0
            for data_part, cb in queue:
                if count and size + len(data_part) > _JOIN_LIMIT:
                    break
                parts.append(data_part)
                size += len(data_part)
                if cb is not None:
                    callbacks.append(cb)
                count += 1
                if count >= 64:
                    break
            data = b"".join(parts) if count > 1 else parts[0]
        self._sending = 2 if by_reader else 1
        try:
            await transport.send_all(data)
        except OSError as exc:
            if self.destroyed:  # (the property: mypy keeps _destroyed narrowed)
                # destroy() has failed every queued write, this one included, unless it
                # left them to the closing task: the stream is broken, none will go.
                if queue is self._close_flush:
                    self._fail_close_flush(system_error(exc, "write"))
                return False
            err = system_error(exc, "write")
            # Off the queue first: destroy() fails what is still queued, once each.
            for _ in range(count):
                queue.popleft()
            self._wlen -= len(data)
            for cb in callbacks:
                cb(err)
            self.destroy(err)
            return False
        except BaseException:
            if self._destroyed and queue is self._close_flush:
                # Cut short (destroy()'s grace is over): what the stream holds of it is
                # unknown, so nothing more is sent.
                self._fail_close_flush(coded("ERR_STREAM_DESTROYED", method="write"))
            raise
        finally:
            self._sending = 0
            idle = self._send_idle
            if idle is not None:
                self._send_idle = None
                idle.set()
        if self.destroyed:
            if queue is self._close_flush:
                # destroy() came while it was sent: it was, and the rest is the closing
                # task's to send.
                for _ in range(count):
                    queue.popleft()
                self._bytes_sent += len(data)
                for cb in callbacks:
                    cb(None)
            return False  # (else its callbacks have had their answer from destroy())
        for _ in range(count):
            queue.popleft()
        self._wlen -= len(data)
        if self._eof or self._read_parked:
            self._track_eof_activity()
        self._bytes_sent += len(data)
        if self._timeout_s:
            self._deadline = time.monotonic() + self._timeout_s
        for cb in callbacks:
            cb(None)
        return True

    def _fail_close_flush(self, error: BaseException) -> None:
        # The writes destroy() left to the closing task will not be sent: they fail.
        queue, self._close_flush = self._close_flush, None
        for entry in queue or ():
            if entry[1] is not None:
                self._runtime.call_soon(entry[1], error)

    async def _write_loop_body(self) -> None:
        while not self._destroyed:
            queue = self._wq
            transport = self._transport
            if transport is None:
                return
            if queue and not self._corked and not self._sending:
                if not await self._send_batch(transport):
                    return
                continue
            if self._need_drain and self._wlen == 0:
                self._need_drain = False
                if not self._ending:  # Node's afterWrite: no 'drain' once end() was called
                    self.emit("drain")
                continue
            if self._ending and not queue and not self._final_started and not self._sending:
                self._final_started = True
                try:
                    await transport.send_eof()
                except OSError:
                    pass
                self._on_finish()
                return
            wake = self._writer_wake = anyio.Event()
            await wake.wait()

    def _finish_after_shutdown(self) -> None:
        if not self._destroyed:
            self._on_finish()

    def _on_finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._track_eof_activity()
        callbacks, self._finish_cbs = self._finish_cbs, []
        for cb in callbacks:
            cb()
        self.emit("finish")
        self._maybe_auto_destroy()

    def end(self, data: Any = None, encoding: Any = None, callback: Listener | None = None) -> Self:
        """Half-close: send FIN once everything queued has been written.

        Node: ``socket.end()``
        """
        if callable(data) and encoding is None and callback is None:
            data, callback = None, data
        elif callable(encoding) and callback is None:
            encoding, callback = None, encoding
        if data is not None:
            self.write(data, encoding)
        # Node's Writable.end: only the first end() of a stream without an error ends it; a
        # later one reports a finished or destroyed stream to its callback. After a plain
        # destroy() the first end() still counts, so its callback waits for a 'finish' that
        # never comes, as in Node.
        first = not self._ending and self._error is None
        err: BaseException | None = None
        if not first:
            if self._finished:
                err = coded("ERR_STREAM_ALREADY_FINISHED", method="end")
            elif self._destroyed:
                err = coded("ERR_STREAM_DESTROYED", method="end")
        if callback is not None:
            if err is not None or self._finished:
                self._runtime.call_soon(callback, err)
            else:
                self._finish_cbs.append(callback)
        if not first:
            return self
        if self._destroyed:
            self._ending = True
            return self
        if _debug.enabled:
            _debug.trace(self, "end(): finishing our side once the queue is written")
        self._ending = True
        self._track_eof_activity()
        self._corked = 0
        transport = self._transport
        if transport is not None and not self.connecting:
            if self._wq or self._writer_running or self._need_drain or not transport.shutdown_now():
                self._ensure_writer()
            else:
                # Nothing queued: the FIN goes now, as libuv's shutdown, with no writer task;
                # 'finish' follows soon.
                self._final_started = True
                self._runtime.call_soon(self._finish_after_shutdown)
        elif self._transport is None and not self.connecting and self._connect_cfg is None:
            # Never connected: Node finishes the writable side at once.
            self._runtime.call_soon(self._on_finish)
        return self

    def cork(self) -> None:
        """Node: ``writable.cork()``"""
        self._corked += 1

    def uncork(self) -> None:
        """Send what was written since ``cork()`` (once every ``cork()`` is undone).

        Node: ``writable.uncork()``
        """
        if self._corked:
            self._corked -= 1
            if not self._corked and self._wq and self._transport is not None:
                if not self.connecting:
                    self._flush_corked()
                self._ensure_writer()

    def _flush_corked(self) -> None:
        # Node hands the corked writes to the kernel at once, as one writev: try the same
        # (one send of the joined chunks) unless the writer task is in the middle of a send.
        transport = self._transport
        if (
            transport is None
            or type(transport) is StreamTransport
            or transport.raw is None
            or (self._writer_running and self._writer_wake is None)
        ):
            return
        queue = self._wqueue()
        data = b"".join([entry[0] for entry in queue]) if len(queue) > 1 else queue[0][0]
        try:
            sent = transport.try_send(data)
        except OSError:
            return  # the writer task meets the error again and reports it
        self._bytes_sent += sent
        self._wlen -= sent
        if self._timeout_s:
            self._deadline = time.monotonic() + self._timeout_s
        while queue and sent >= len(queue[0][0]):
            chunk, callback = queue.popleft()
            sent -= len(chunk)
            if callback is not None:
                self._runtime.call_soon(callback, None)
        if sent:
            queue[0][0] = queue[0][0][sent:]
        if self._eof or self._read_parked:
            self._track_eof_activity()

    # ------------------------------------------------------------------ properties

    @property
    def bytes_written(self) -> int:
        """Bytes handed to the OS plus bytes still queued. Node: ``socket.bytesWritten``"""
        return self._bytes_sent + self._wlen

    @property
    def buffer_size(self) -> int:
        """Node: ``socket.bufferSize``"""
        return self._wlen

    @property
    def writable_length(self) -> int:
        """Node: ``writable.writableLength``"""
        return self._wlen

    @property
    def writable_high_water_mark(self) -> int:
        """Node: ``writable.writableHighWaterMark``"""
        return self._whwm

    @property
    def writable(self) -> bool:
        """Node: ``writable.writable``"""
        return self._writable_opt and not self._destroyed and not self._ending

    @property
    def writable_ended(self) -> bool:
        """Node: ``writable.writableEnded``"""
        return self._ending

    @property
    def writable_finished(self) -> bool:
        """Node: ``writable.writableFinished``"""
        return self._finished

    @property
    def writable_corked(self) -> int:
        """How many ``cork()`` calls wait for ``uncork()``. Node: ``writable.writableCorked``"""
        return self._corked

    @property
    def writable_need_drain(self) -> bool:
        """True after ``write()`` returned False, until 'drain'.

        Node: ``writable.writableNeedDrain``
        """
        return self._need_drain and not self._destroyed and not self._ending
