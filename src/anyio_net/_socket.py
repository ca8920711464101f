"""``Socket``: Node's ``net.Socket`` over a raw socket or any AnyIO byte stream.

How it works:
- The host task of a socket connects (if asked), then reads inside an I/O cancel scope that
  ``destroy()`` cancels; closing the descriptor and ``'close'`` happen when that scope ends.
- Readable side, Node's rules: ``flowing`` is None until a ``'data'`` listener, ``resume()``
  or ``pipe()`` makes it True; ``pause()`` makes it False. Without flowing, data is buffered
  and reading stops at the high-water mark (16 KiB), so a paused peer backs up. ``'end'``
  comes only once the buffer has been consumed, never while data waits unread.
- Writable side: ``write()`` hands data to the kernel at once when nothing is queued (as
  libuv's try-write), else queues it for the writer task; it returns False once the queue
  reaches the high-water mark and ``'drain'`` follows when it empties. ``end()`` sends FIN
  after the queue, then ``'finish'``.
- Auto-destroy, as Node's streams: once ``'end'`` has been emitted and ``'finish'`` too (or
  the other side does not exist), the socket destroys itself and emits ``'close'`` once.
- Without ``allowHalfOpen`` the socket ends its own side right after ``'end'``.
- What Node defers to the next tick (``'error'``, ``'close'``, write callbacks, resume)
  goes through the runtime's FIFO soon queue, so ``'error'`` always precedes ``'close'``.
"""

from __future__ import annotations

import errno as _errno
import socket as _socket_mod
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Any

import anyio
from anyio.abc import ByteStream

from ._connect import connect_tcp, connect_unix, lookup
from ._encoding import encode, make_decoder, normalize_encoding
from ._errors import NetError, coded, system_error
from ._handle import Handle
from ._ip import family_name, is_ip
from ._options import (
    ConnectConfig,
    SocketConfig,
    parse_connect,
    parse_socket_options,
)
from ._transport import SocketTransport, StreamTransport, Transport
from ._validators import validate_function, validate_timer_duration

Listener = Callable[..., object]

_DEFAULT_HWM = 16384
_BYTES_LIKE = (bytes, bytearray, memoryview)


class Socket(Handle):
    """A TCP or Unix stream socket with Node's events.

    Events:
        'lookup', 'connect', 'ready', 'data', 'end', 'finish', 'drain', 'timeout',
        'error', 'close'.

    Node: ``net.Socket``
    """

    def __init__(self, options: Any = None, /, **kwargs: Any) -> None:
        parent = kwargs.pop("_parent", None)
        super().__init__(parent)
        cfg = parse_socket_options(options, kwargs)
        self._cfg = cfg
        self.allow_half_open = cfg.allow_half_open
        self._server: Any = None
        #: The Server that accepted this socket (None for a client). Node: ``socket.server``
        self.server: Any = None
        self._transport: Transport | None = None
        self._io_scope: anyio.CancelScope | None = None
        self._connect_cfg: ConnectConfig | None = None
        self.connecting = False
        self._destroyed = False
        self._closed = False
        self._finalized = False
        self._error: BaseException | None = None
        self._reset = False
        self._had_fd = False
        # readable side
        self._rhwm = cfg.high_water_mark if cfg.high_water_mark is not None else _DEFAULT_HWM
        self._flowing: bool | None = None
        self._rbuf: deque[bytes] = deque()
        self._rlen = 0
        self._eof = False
        self._end_emitted = False
        self._read_started = False
        self._read_wake: anyio.Event | None = None
        self._decoder: Any = None
        self._readable_opt = cfg.readable is not False
        self._pipes: list[Any] = []
        self._resume_scheduled = False
        # writable side
        self._whwm = cfg.high_water_mark if cfg.high_water_mark is not None else _DEFAULT_HWM
        self._wq: deque[list[Any]] = deque()
        self._wlen = 0
        self._need_drain = False
        self._ending = False
        self._finished = False
        self._final_started = False
        self._finish_cbs: list[Listener] = []
        self._writer_wake: anyio.Event | None = None
        self._writer_running = False
        self._corked = 0
        self._writable_opt = cfg.writable is not False
        # counters and addresses
        self._bytes_read = 0
        self._bytes_sent = 0
        self._peer: tuple[str | None, int | None, str | None] | None = None
        self._local: tuple[str | None, int | None, str | None] | None = None
        self._unix_path: str | None = None
        # options applied once connected
        self._no_delay: bool | None = True if cfg.no_delay else None
        self._keep_alive: tuple[bool, int] | None = (
            (True, cfg.keep_alive_initial_delay_s) if cfg.keep_alive else None
        )
        # idle timer
        self._timeout_ms: float | None = None
        self._timeout_s = 0.0
        self._deadline = 0.0
        self._timer_scope: anyio.CancelScope | None = None
        self._timer_wake: anyio.Event | None = None
        self._timer_running = False
        if cfg.fd is not None:
            self._open_fd(cfg.fd)

    # ------------------------------------------------------------------ construction paths

    def _open_fd(self, fd: int) -> None:
        sock = _socket_mod.socket(fileno=fd)
        if sock.type != _socket_mod.SOCK_STREAM:
            sock.detach()
            raise coded("ERR_INVALID_FD_TYPE", value=fd)
        self._had_fd = True
        self._readable_opt = bool(self._cfg.readable)
        self._writable_opt = bool(self._cfg.writable)
        self._attach(SocketTransport(sock))
        self._start_io()

    @classmethod
    def _accepted(cls, server: Any, sock: _socket_mod.socket, cfg: SocketConfig) -> Socket:
        self = cls(_parent=server, allowHalfOpen=cfg.allow_half_open)
        self._server = server
        self._attach(SocketTransport(sock))
        if cfg.pause_on_create:
            self._flowing = False
        return self

    @classmethod
    def from_stream(cls, stream: ByteStream, options: Any = None, /, **kwargs: Any) -> Socket:
        """Wrap any connected ``anyio.abc.ByteStream`` as a Socket with the same events.

        Node: no equivalent (a ``net.Socket`` over a custom handle).
        """
        self = cls(options, **kwargs)
        self._attach(StreamTransport(stream))
        self._start_io()
        return self

    def _attach(self, transport: Transport) -> None:
        self._transport = transport
        raw = transport.raw
        if raw is not None:
            self._cache_addresses(raw)
        self._set_active(True)

    def _cache_addresses(self, raw: _socket_mod.socket) -> None:
        try:
            if raw.family == _socket_mod.AF_UNIX:
                name = raw.getsockname()
                self._unix_path = name if isinstance(name, str) else name.decode(errors="replace")
                self._peer = (None, None, None)
                self._local = (None, None, None)
                return
            local = raw.getsockname()
            self._local = (local[0], local[1], family_name(local[0]))
        except OSError:
            pass
        try:
            peer = raw.getpeername()
            self._peer = (peer[0], peer[1], family_name(peer[0]))
        except OSError:
            pass

    def _start_io(self) -> None:
        if self._flowing is not False:
            self._read_started = True
        self._start_host()

    # ------------------------------------------------------------------ connect

    def connect(self, *args: Any, **kwargs: Any) -> Socket:
        """Open the connection; returns at once, ``'connect'`` follows.

        Forms: ``(options, listener)``, ``(port, host=None, listener)``, ``(path, listener)``.

        Raises:
            TypeError/ValueError: with Node's code for bad arguments.

        Node: ``socket.connect()``
        """
        cfg, callback = parse_connect(args, kwargs)
        if self._destroyed and self._closed:
            self._undestroy()
        if self.connecting or (self._transport is not None and not self._destroyed):
            # Node lets the second connect fail on the handle: EISCONN as an 'error'.
            self.destroy(NetError(_errno.EISCONN, "connect"))
            return self
        if callback is not None:
            self.once("connect", callback)
        if cfg.timeout_ms:
            self.set_timeout(cfg.timeout_ms)
        if cfg.no_delay is not None:
            self._no_delay = cfg.no_delay
        if cfg.keep_alive is not None:
            self._keep_alive = (cfg.keep_alive, cfg.keep_alive_initial_delay_s)
        self._connect_cfg = cfg
        self.connecting = True
        self._set_active(True)
        self._start_host()
        return self

    def _undestroy(self) -> None:
        self._destroyed = self._closed = self._finalized = False
        self._error = None
        self._reset = False
        self._eof = self._end_emitted = False
        self._rbuf.clear()
        self._rlen = 0
        self._ending = self._finished = self._final_started = False
        self._wq.clear()
        self._wlen = 0
        self._need_drain = False
        self._transport = None
        self._peer = self._local = None
        self._bytes_read = 0
        self._bytes_sent = 0
        self._host_state = 0
        self._tg = None
        self._writer_running = False
        self._read_started = False
        if self._flowing is None or self._flowing:
            pass

    async def _do_connect(self, cfg: ConnectConfig) -> bool:
        try:
            if cfg.path is not None:
                sock = await connect_unix(cfg.path)
                self._unix_path = cfg.path
            else:
                ip_family = is_ip(cfg.host)
                if ip_family:
                    addresses = [(cfg.host, ip_family)]
                else:
                    try:
                        addresses = await lookup(cfg)
                    except NetError as lookup_error:
                        self.emit("lookup", lookup_error, None, None, cfg.host)
                        raise
                    if cfg.family in (4, 6):
                        addresses = [a for a in addresses if a[1] == cfg.family] or addresses
                    if not cfg.auto_select_family:
                        addresses = addresses[:1]

                def on_attempt(address: str, family: int) -> None:
                    if not ip_family:
                        self.emit("lookup", None, address, family, cfg.host)

                sock = await connect_tcp(cfg, addresses, on_attempt)
        except (NetError, OSError) as exc:
            self.destroy(
                exc
                if isinstance(exc, NetError)
                else system_error(exc, "connect", cfg.host, cfg.port)
            )
            return False
        if self._destroyed:
            sock.close()
            return False
        self._transport = SocketTransport(sock)
        self._cache_addresses(sock)
        self._apply_socket_options()
        self.connecting = False
        self.emit("connect")
        self.emit("ready")
        if self._flowing is not False:
            self._read_started = True
        return True

    def _apply_socket_options(self) -> None:
        raw = self._transport.raw if self._transport is not None else None
        if raw is None or raw.family == _socket_mod.AF_UNIX:
            return
        try:
            if self._no_delay is not None:
                raw.setsockopt(
                    _socket_mod.IPPROTO_TCP, _socket_mod.TCP_NODELAY, int(self._no_delay)
                )
            if self._keep_alive is not None:
                enable, delay_s = self._keep_alive
                raw.setsockopt(_socket_mod.SOL_SOCKET, _socket_mod.SO_KEEPALIVE, int(enable))
                if enable and delay_s > 0 and hasattr(_socket_mod, "TCP_KEEPIDLE"):
                    raw.setsockopt(_socket_mod.IPPROTO_TCP, _socket_mod.TCP_KEEPIDLE, delay_s)
        except OSError:
            pass

    # ------------------------------------------------------------------ host task

    async def _main(self) -> None:
        try:
            with anyio.CancelScope() as scope:
                self._io_scope = scope
                if self._destroyed:
                    return
                cfg = self._connect_cfg
                if self._transport is None and cfg is not None and not await self._do_connect(cfg):
                    return
                if self._transport is None:
                    return
                if self._wq or self._ending:
                    self._ensure_writer()
                if self._timeout_s:
                    self._touch()
                if self._readable_opt:
                    await self._read_loop()
                await anyio.sleep_forever()
        finally:
            self._io_scope = None
            await self._finalize()

    async def _read_loop(self) -> None:
        transport = self._transport
        assert transport is not None
        while True:
            if not (self._flowing or (self._read_started and self._rlen < self._rhwm)):
                wake = self._read_wake = anyio.Event()
                await wake.wait()
                continue
            try:
                data = await transport.receive()
            except OSError as exc:
                self.destroy(system_error(exc, "read"))
                return
            if not data:
                self._on_eof()
                return
            self._on_chunk(data)

    def _wake_reader(self) -> None:
        wake = self._read_wake
        if wake is not None:
            self._read_wake = None
            wake.set()

    def _on_chunk(self, data: bytes) -> None:
        self._bytes_read += len(data)
        if self._timeout_s:
            self._deadline = time.monotonic() + self._timeout_s
        if self._flowing and not self._rbuf:
            decoder = self._decoder
            self.emit("data", decoder.write(data) if decoder is not None else data)
        else:
            self._rbuf.append(data)
            self._rlen += len(data)

    def _on_eof(self) -> None:
        self._eof = True
        self._maybe_end()

    def _maybe_end(self) -> None:
        # Node reads once more at EOF: with nothing buffered, 'end' comes even when nobody
        # consumes (paused or not); buffered data holds it back until it is read.
        if self._eof and not self._rbuf and not self._end_emitted:
            self._runtime.call_soon(self._emit_end)

    def _emit_end(self) -> None:
        if self._end_emitted or self._destroyed or self._rbuf:
            return
        self._end_emitted = True
        decoder = self._decoder
        if decoder is not None:
            rest = decoder.end()
            if rest:
                self.emit("data", rest)
        self.emit("end")
        if not self.allow_half_open:
            self._runtime.call_soon(self._end_after_peer)
        self._maybe_auto_destroy()

    def _end_after_peer(self) -> None:
        if not self._ending and not self._destroyed:
            self.end()

    def _maybe_auto_destroy(self) -> None:
        if self._destroyed:
            return
        read_done = self._end_emitted or not self._readable_opt
        write_done = self._finished or not self._writable_opt
        if read_done and write_done:
            self.destroy()

    async def _finalize(self) -> None:
        if self._finalized:
            return
        self._finalized = True
        self._destroyed = True
        self.connecting = False
        self._stop_timer()
        transport = self._transport
        if transport is not None:
            await transport.aclose(self._reset)
        self._after_close()

    def _after_close(self) -> None:
        self._set_active(False)
        server = self._server
        if server is not None:
            server._connection_closed(self)
        self._runtime.call_soon(self._emit_close)

    def _emit_close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.emit("close", self._error is not None)

    # ------------------------------------------------------------------ reading API

    def pause(self) -> Socket:
        """Stop emitting ``'data'``; reading stops once the buffer is full.

        Node: ``socket.pause()``
        """
        if self._flowing is not False:
            self._flowing = False
        return self

    def resume(self) -> Socket:
        """Switch to flowing mode: buffered data, then new data, as ``'data'`` events.

        Node: ``socket.resume()``
        """
        if not self._flowing:
            self._flowing = True
            self._read_started = True
            if not self._resume_scheduled:
                self._resume_scheduled = True
                self._runtime.call_soon(self._flow)
        return self

    def is_paused(self) -> bool:
        """Node: ``readable.isPaused()``"""
        return self._flowing is False

    def _flow(self) -> None:
        self._resume_scheduled = False
        buf = self._rbuf
        while self._flowing and buf and not self._destroyed:
            chunk = buf.popleft()
            self._rlen -= len(chunk)
            decoder = self._decoder
            self.emit("data", decoder.write(chunk) if decoder is not None else chunk)
        self._maybe_end()
        self._wake_reader()

    def _listener_added(self, name: Hashable) -> None:
        if name == "data" and self._flowing is not False:
            self.resume()

    def set_encoding(self, encoding: str | None = None) -> Socket:
        """Decode ``'data'`` chunks to ``str``; characters split across chunks stay whole.

        Node: ``socket.setEncoding()``
        """
        self._decoder = make_decoder(normalize_encoding(encoding))
        return self

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
        if callback is not None:
            validate_function(callback, "cb")
        if self._ending or self._destroyed:
            return self._write_after_end(callback)
        transport = self._transport
        if (
            transport is not None
            and not self._wq
            and not self._corked
            and not self.connecting
            and transport.raw is not None
            and type(transport) is SocketTransport
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
        self._wq.append([chunk, callback])
        self._wlen += len(chunk)
        ok = self._wlen < self._whwm
        if not ok:
            self._need_drain = True
        if transport is not None and not self.connecting:
            self._ensure_writer()
        return ok

    def _write_after_end(self, callback: Listener | None) -> bool:
        if self._destroyed:
            err: BaseException = coded("ERR_STREAM_DESTROYED", method="write")
            if callback is not None:
                self._runtime.call_soon(callback, err)
            return False
        if self._eof and not self.allow_half_open and self._end_emitted:
            err = NetError(32, "write", code="EPIPE")
            err.args = (32, "This socket has been ended by the other party")
            err._message = "This socket has been ended by the other party"  # type: ignore[attr-defined]
        else:
            err = coded("ERR_STREAM_WRITE_AFTER_END")
        if callback is not None:
            self._runtime.call_soon(callback, err)
        self.destroy(err)
        return False

    def _ensure_writer(self) -> None:
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
        finally:
            self._writer_running = False
            self._writer_wake = None

    async def _write_loop_body(self) -> None:
        queue = self._wq
        while not self._destroyed:
            transport = self._transport
            if transport is None:
                return
            if queue and not self._corked:
                if len(queue) == 1:
                    entry = queue[0]
                    data = entry[0]
                    callbacks = [entry[1]] if entry[1] is not None else []
                    count = 1
                else:
                    parts = []
                    callbacks = []
                    count = 0
                    for data_part, cb in queue:
                        parts.append(data_part)
                        if cb is not None:
                            callbacks.append(cb)
                        count += 1
                        if count >= 64:
                            break
                    data = b"".join(parts)
                try:
                    await transport.send_all(data)
                except OSError as exc:
                    err = system_error(exc, "write")
                    for cb in callbacks:
                        cb(err)
                    self.destroy(err)
                    return
                for _ in range(count):
                    queue.popleft()
                self._wlen -= len(data)
                self._bytes_sent += len(data)
                if self._timeout_s:
                    self._deadline = time.monotonic() + self._timeout_s
                for cb in callbacks:
                    cb(None)
                continue
            if self._need_drain and self._wlen == 0:
                self._need_drain = False
                self.emit("drain")
                continue
            if self._ending and not queue and not self._final_started:
                self._final_started = True
                try:
                    await transport.send_eof()
                except OSError:
                    pass
                self._on_finish()
                return
            wake = self._writer_wake = anyio.Event()
            await wake.wait()

    def _on_finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        callbacks, self._finish_cbs = self._finish_cbs, []
        for cb in callbacks:
            cb()
        self.emit("finish")
        self._maybe_auto_destroy()

    def end(
        self, data: Any = None, encoding: Any = None, callback: Listener | None = None
    ) -> Socket:
        """Half-close: send FIN once everything queued has been written.

        Node: ``socket.end()``
        """
        if callable(data) and encoding is None and callback is None:
            data, callback = None, data
        elif callable(encoding) and callback is None:
            encoding, callback = None, encoding
        if data is not None:
            self.write(data, encoding)
        if callback is not None:
            if self._finished:
                self._runtime.call_soon(callback)
            elif self._destroyed:
                self._runtime.call_soon(callback, coded("ERR_STREAM_DESTROYED", method="end"))
            else:
                self._finish_cbs.append(callback)
        if self._ending or self._destroyed:
            return self
        self._ending = True
        self._corked = 0
        if self._transport is not None and not self.connecting:
            self._ensure_writer()
        elif self._transport is None and not self.connecting and self._connect_cfg is None:
            # Never connected: Node finishes the writable side at once.
            self._runtime.call_soon(self._on_finish)
        return self

    def cork(self) -> None:
        """Node: ``writable.cork()``"""
        self._corked += 1

    def uncork(self) -> None:
        """Node: ``writable.uncork()``"""
        if self._corked:
            self._corked -= 1
            if not self._corked and self._wq and self._transport is not None:
                self._ensure_writer()

    # ------------------------------------------------------------------ closing

    def destroy(self, error: BaseException | None = None) -> Socket:
        """Close at once; ``'error'`` (if given) then ``'close'`` follow.

        Node: ``socket.destroy()``
        """
        if self._destroyed:
            return self
        self._destroyed = True
        if error is not None:
            self._error = error
        self._stop_timer()
        was_connecting = self.connecting
        self.connecting = False
        pending = [entry[1] for entry in self._wq if entry[1] is not None]
        self._wq.clear()
        self._wlen = 0
        if pending:
            code = (
                "ERR_SOCKET_CLOSED_BEFORE_CONNECTION" if was_connecting else "ERR_STREAM_DESTROYED"
            )
            for cb in pending:
                err = coded(code) if was_connecting else coded(code, method="write")
                self._runtime.call_soon(cb, err)
        if error is not None:
            self._emit_soon("error", error)
        if self._host_state in (1, 2) and not self._finalized:
            scope = self._io_scope
            if scope is not None:
                scope.cancel()
            writer = getattr(self, "_writer_scope", None)
            if writer is not None:
                writer.cancel()
        elif not self._finalized:
            self._finalized = True
            transport = self._transport
            if transport is not None:
                transport.close(self._reset)
            self._after_close()
        return self

    def destroy_soon(self) -> None:
        """End, then destroy once the queue is flushed.

        Node: ``socket.destroySoon()``
        """
        if not self._ending:
            self.end()
        if self._finished:
            self.destroy()
        else:
            self.once("finish", self.destroy)

    def reset_and_destroy(self) -> Socket:
        """Close with a TCP RST instead of a FIN.

        Node: ``socket.resetAndDestroy()``
        """
        if self._transport is None and not self.connecting:
            self.destroy(coded("ERR_SOCKET_CLOSED"))
            return self
        if self.connecting:
            self.once("connect", self._reset_now)
        else:
            self._reset_now()
        return self

    def _reset_now(self) -> None:
        self._reset = True
        self.destroy()

    # ------------------------------------------------------------------ timeout

    def set_timeout(self, timeout: float, callback: Listener | None = None) -> Socket:
        """Emit ``'timeout'`` after ``timeout`` ms of inactivity (0 turns it off).

        Node: ``socket.setTimeout()``
        """
        ms = validate_timer_duration(timeout, "msecs")
        if callback is not None:
            validate_function(callback, "callback")
        if self._destroyed:
            return self
        if ms == 0:
            self._timeout_ms = 0
            self._timeout_s = 0.0
            if callback is not None:
                self.remove_listener("timeout", callback)
            self._stop_timer()
            return self
        if callback is not None:
            self.once("timeout", callback)
        self._timeout_ms = ms
        self._timeout_s = ms / 1000
        self._touch()
        if not self._timer_running:
            self._timer_running = True
            self._spawn(self._timer_loop)
        else:
            scope = self._timer_scope
            if scope is not None:
                scope.cancel()
            wake = self._timer_wake
            if wake is not None:
                self._timer_wake = None
                wake.set()
        return self

    def _touch(self) -> None:
        self._deadline = time.monotonic() + self._timeout_s
        wake = self._timer_wake
        if wake is not None:
            self._timer_wake = None
            wake.set()

    def _stop_timer(self) -> None:
        self._timeout_s = 0.0
        scope = self._timer_scope
        if scope is not None:
            scope.cancel()
        wake = self._timer_wake
        if wake is not None:
            self._timer_wake = None
            wake.set()

    async def _timer_loop(self) -> None:
        try:
            while self._timeout_s and not self._destroyed:
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    with anyio.CancelScope() as scope:
                        self._timer_scope = scope
                        await anyio.sleep(remaining)
                    self._timer_scope = None
                    continue
                self._deadline = float("inf")
                self.emit("timeout")
                if self._deadline == float("inf") and self._timeout_s:
                    wake = self._timer_wake = anyio.Event()
                    await wake.wait()
        finally:
            self._timer_running = False
            self._timer_scope = None

    # ------------------------------------------------------------------ socket options

    def set_no_delay(self, no_delay: bool = True) -> Socket:
        """Turn Nagle's algorithm off (True) or on.

        Node: ``socket.setNoDelay()``
        """
        self._no_delay = bool(no_delay)
        if self._transport is not None and not self.connecting:
            self._apply_socket_options()
        return self

    def set_keep_alive(self, enable: bool = False, initial_delay: float = 0) -> Socket:
        """Turn TCP keep-alive on or off; ``initial_delay`` in ms.

        Node: ``socket.setKeepAlive()``
        """
        delay_s = max(0, int((initial_delay or 0) // 1000))
        self._keep_alive = (bool(enable), delay_s)
        if self._transport is not None and not self.connecting:
            self._apply_socket_options()
        return self

    # ------------------------------------------------------------------ addresses

    def address(self) -> dict[str, Any] | str:
        """The local end: ``{"port", "family", "address"}``, or ``{}`` when not open.

        Node: ``socket.address()``
        """
        if self._unix_path is not None and self._local == (None, None, None):
            return self._unix_path
        if self._local is None or self._local[0] is None:
            return {}
        return {"address": self._local[0], "family": self._local[2], "port": self._local[1]}

    @property
    def remote_address(self) -> str | None:
        """Node: ``socket.remoteAddress``"""
        return self._peer[0] if self._peer else None

    @property
    def remote_port(self) -> int | None:
        """Node: ``socket.remotePort``"""
        return self._peer[1] if self._peer else None

    @property
    def remote_family(self) -> str | None:
        """Node: ``socket.remoteFamily``"""
        return self._peer[2] if self._peer else None

    @property
    def local_address(self) -> str | None:
        """Node: ``socket.localAddress``"""
        return self._local[0] if self._local else None

    @property
    def local_port(self) -> int | None:
        """Node: ``socket.localPort``"""
        return self._local[1] if self._local else None

    @property
    def local_family(self) -> str | None:
        """Node: ``socket.localFamily``"""
        return self._local[2] if self._local else None

    # ------------------------------------------------------------------ state properties

    @property
    def bytes_read(self) -> int:
        """Node: ``socket.bytesRead``"""
        return self._bytes_read

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
    def readable_high_water_mark(self) -> int:
        """Node: ``readable.readableHighWaterMark``"""
        return self._rhwm

    @property
    def readable_length(self) -> int:
        """Node: ``readable.readableLength``"""
        return self._rlen

    @property
    def readable_flowing(self) -> bool | None:
        """Node: ``readable.readableFlowing``"""
        return self._flowing

    @property
    def pending(self) -> bool:
        """True until connected. Node: ``socket.pending``"""
        return self._transport is None or self.connecting or (self._destroyed and self._closed)

    @property
    def destroyed(self) -> bool:
        """Node: ``socket.destroyed``"""
        return self._destroyed

    @property
    def readable(self) -> bool:
        """Node: ``readable.readable``"""
        return self._readable_opt and not self._destroyed and not self._end_emitted

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
    def readable_ended(self) -> bool:
        """Node: ``readable.readableEnded``"""
        return self._end_emitted

    @property
    def ready_state(self) -> str:
        """``'opening'``, ``'open'``, ``'readOnly'``, ``'writeOnly'`` or ``'closed'``.

        Node: ``socket.readyState``
        """
        if self.connecting:
            return "opening"
        readable, writable = self.readable, self.writable
        if readable and writable:
            return "open"
        if readable:
            return "readOnly"
        if writable:
            return "writeOnly"
        return "closed"

    @property
    def timeout(self) -> float | None:
        """The idle timeout in ms set by ``set_timeout``. Node: ``socket.timeout``"""
        return self._timeout_ms if self._timeout_ms else None

    # ------------------------------------------------------------------ pipe and iteration

    def pipe(self, destination: Any, end: bool = True) -> Any:
        """Write everything read into ``destination``, honouring its backpressure.

        Node: ``readable.pipe()``
        """
        self._pipes.append(destination)
        source = self

        def on_data(chunk: Any) -> None:
            if destination.write(chunk) is False:
                source.pause()

        def on_drain() -> None:
            if source in getattr(destination, "_pipe_sources", [source]):
                source.resume()

        def on_end() -> None:
            if end:
                destination.end()

        self._pipe_handlers = getattr(self, "_pipe_handlers", {})
        self._pipe_handlers[id(destination)] = (on_data, on_drain, on_end)
        destination.on("drain", on_drain)
        self.on("data", on_data)
        self.on("end", on_end)
        if hasattr(destination, "emit"):
            destination.emit("pipe", self)
        if self._flowing is not True:
            self.resume()
        return destination

    def unpipe(self, destination: Any = None) -> Socket:
        """Node: ``readable.unpipe()``"""
        handlers = getattr(self, "_pipe_handlers", {})
        targets = [destination] if destination is not None else list(self._pipes)
        for dest in targets:
            if dest not in self._pipes:
                continue
            self._pipes.remove(dest)
            on_data, on_drain, on_end = handlers.pop(id(dest))
            self.remove_listener("data", on_data)
            self.remove_listener("end", on_end)
            dest.remove_listener("drain", on_drain)
            if hasattr(dest, "emit"):
                dest.emit("unpipe", self)
        if not self._pipes:
            self.pause()
        return self

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Any]:
        queue: deque[Any] = deque()
        state: dict[str, Any] = {"done": False, "error": None, "wake": None}

        def wake() -> None:
            event = state["wake"]
            if event is not None:
                state["wake"] = None
                event.set()

        def on_data(chunk: Any) -> None:
            queue.append(chunk)
            self.pause()
            wake()

        def on_end(*_: Any) -> None:
            state["done"] = True
            wake()

        def on_error(err: BaseException) -> None:
            state["error"] = err
            wake()

        self.on("data", on_data)
        self.on("end", on_end)
        self.on("close", on_end)
        self.on("error", on_error)
        try:
            while True:
                if queue:
                    yield queue.popleft()
                    continue
                if state["error"] is not None:
                    raise state["error"]
                if state["done"]:
                    return
                event = state["wake"] = anyio.Event()
                self.resume()
                await event.wait()
        finally:
            self.remove_listener("data", on_data)
            self.remove_listener("end", on_end)
            self.remove_listener("close", on_end)
            self.remove_listener("error", on_error)

    # ------------------------------------------------------------------ misc

    def _listen_handle_socket(self) -> _socket_mod.socket | None:
        return self._transport.raw if self._transport is not None else None

    async def __aenter__(self) -> Socket:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.destroy()

    def __repr__(self) -> str:
        state = self.ready_state
        peer = f" {self.remote_address}:{self.remote_port}" if self.remote_address else ""
        return f"<anyio_net.Socket {state}{peer}>"
