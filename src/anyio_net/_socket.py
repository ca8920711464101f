"""``Socket``: Node's ``net.Socket`` over a raw socket or any AnyIO byte stream.

How it works:
- The host task of a socket connects (if asked), then reads inside an I/O cancel scope that
  ``destroy()`` cancels; closing the descriptor and ``'close'`` happen when that scope ends.
- Readable side: Node's Readable state, modes, ``read()`` and ``pipe()`` live in
  ``_readable.Readable`` (a mixin); the reader task pushes each chunk into it and stops
  reading when it says the buffer is full (16 KiB), so a paused socket backs its peer up;
  ``_read_more()`` starts it again. ``'end'`` comes only once the buffer has been consumed.
- Writable side: the write queue, the writer task, ``end()`` and ``cork()`` live in
  ``_writable.Writable`` (a mixin): ``write()`` hands data to the kernel at once when
  nothing is queued (as libuv's try-write), else queues it for the writer task.
- Auto-destroy, as Node's streams: once ``'end'`` has been emitted and ``'finish'`` too (or
  the other side does not exist), the socket destroys itself and emits ``'close'`` once.
- Without ``allowHalfOpen`` the socket ends its own side right after ``'end'``.
- What Node defers to the next tick (``'error'``, ``'close'``, write callbacks, resume)
  goes through the runtime's FIFO soon queue, so ``'error'`` always precedes ``'close'``.
"""

from __future__ import annotations

import errno as _errno
import math
import socket as _socket_mod
import time
from collections.abc import Callable
from typing import Any

import anyio
from anyio.abc import ByteStream

from . import _debug
from ._aliases import SocketNodeNames
from ._connect import connect_tcp, connect_unix, lookup
from ._errors import NetError, coded, invalid_address_family, system_error
from ._handle import Handle
from ._ip import is_ip
from ._options import (
    ConnectConfig,
    SocketConfig,
    parse_connect,
    parse_socket_options,
)
from ._readable import READABLE_SLOTS, Readable
from ._runtime import UNCAUGHT, _live
from ._stream_view import ChunkIterator, SocketByteStream
from ._transport import (
    CLOSE_GRACE_S,
    LoopTransport,
    SocketTransport,
    StreamTransport,
    Transport,
    closed_under_us,
    connection_reset,
    socket_from_fd,
    socket_transport,
    take_socket_of,
)
from ._validators import validate_function, validate_timer_duration
from ._writable import WRITABLE_SLOTS, Writable

Listener = Callable[..., object]

_DEFAULT_HWM = 16384
# What parse_socket_options gives an accepted socket (only allowHalfOpen varies) and a
# Socket() without options, parsed once.
_ACCEPTED_CONFIGS = {False: SocketConfig(), True: SocketConfig(allow_half_open=True)}


def _stop(scope: anyio.CancelScope, let_send_end: bool) -> None:
    # destroy()'s stop of a task: at once, or, when it is sending over a stream, once its
    # send has ended (the task returns then) or the grace is over.
    if let_send_end:
        try:
            deadline = anyio.current_time() + CLOSE_GRACE_S
        except RuntimeError:  # (no event loop: nothing runs to end it anyway)
            scope.cancel()
            return
        scope.deadline = min(scope.deadline, deadline)
    else:
        scope.cancel()


class _LookupFailed(Exception):
    """Carries a failed lookup's error (whatever its type) to the socket's 'error'."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error


def _keep_alive_delay_s(initial_delay: object) -> int:
    """Node's ``~~(initialDelay / 1000)``: whole seconds; what is not a finite number is 0."""
    number: float
    if isinstance(initial_delay, (int, float)):
        number = float(initial_delay)
    elif isinstance(initial_delay, str):
        try:
            number = float(initial_delay)
        except ValueError:
            return 0
    else:
        return 0
    if not math.isfinite(number):
        return 0
    return max(0, int(number / 1000))


class Socket(Readable, Writable, Handle, SocketNodeNames):
    """A TCP or Unix stream socket with Node's events.

    Events:
        'lookup', 'connect', 'ready', 'data', 'end', 'finish', 'drain', 'timeout',
        'error', 'close'.

    Node: ``net.Socket``
    """

    _own_group = False  # its tasks run in its parent's group (see _handle)

    __slots__ = (
        *READABLE_SLOTS,
        *WRITABLE_SLOTS,
        "_bytes_read",
        "_cb_read",
        "_cfg",
        "_close_flush",
        "_closed",
        "_connect_cfg",
        "_deadline",
        "_destroyed",
        "_done_wake",
        "_error",
        "_finalized",
        "_had_fd",
        "_handle_reading",
        "_io_scope",
        "_keep_alive",
        "_local",
        "_no_delay",
        "_peer",
        "_read_parked",
        "_read_wake",
        "_readable_opt",
        "_reset",
        "_server",
        "_timeout_ms",
        "_timeout_s",
        "_timer_running",
        "_timer_scope",
        "_timer_wake",
        "_transport",
        "_unix_path",
        "allow_half_open",
        "connecting",
        "server",
    )

    allow_half_open: bool
    """Whether the socket stays writable after the peer's FIN. Node: ``socket.allowHalfOpen``"""
    connecting: bool
    """True while ``connect()`` is in progress. Node: ``socket.connecting``"""

    def __init__(self, options: Any = None, /, **kwargs: Any) -> None:
        parent = kwargs.pop("_parent", None)
        super().__init__(parent)
        cfg = kwargs.pop("_cfg", None)  # already parsed (an accepted socket's)
        if cfg is None:
            cfg = (
                _ACCEPTED_CONFIGS[False]  # no options: the defaults, parsed once
                if options is None and not kwargs
                else parse_socket_options(options, kwargs)
            )
        self._cfg = cfg
        self.allow_half_open = cfg.allow_half_open
        self._server: Any = None
        #: The Server that accepted this socket (None for a client). Node: ``socket.server``
        self.server: Any = None
        self._transport: Transport | None = None
        self._io_scope: anyio.CancelScope | None = None
        self._close_flush: Any = None  # writes destroy() left for the stream to send first
        self._done_wake: anyio.Event | None = None  # the host's last wait, set by destroy()
        self._connect_cfg: ConnectConfig | None = None
        self.connecting = False
        self._destroyed = False
        self._closed = False
        self._finalized = False
        self._error: BaseException | None = None
        self._reset = False
        self._had_fd = False
        # readable side: Node's Readable state is in _readable.Readable
        self._init_readable(
            cfg.high_water_mark if cfg.high_water_mark is not None else _DEFAULT_HWM
        )
        self._handle_reading = False  # the reader task reads (libuv's handle.reading)
        self._read_wake: anyio.Event | None = None
        self._read_parked = False  # the reader waits: libuv's handle would not be reading
        self._cb_read = False  # reads in the event loop's callbacks: no host task (asyncio)
        self._readable_opt = cfg.readable is not False
        # writable side: Node's Writable state is in _writable.Writable
        self._init_writable(
            cfg.high_water_mark if cfg.high_water_mark is not None else _DEFAULT_HWM,
            cfg.writable is not False,
        )
        # counters and addresses
        self._bytes_read = 0
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
        sock, kind = socket_from_fd(fd)
        if sock is None:
            raise coded("ERR_INVALID_FD_TYPE", value=kind)
        self._had_fd = True
        # Node v20: a socket over an fd is readable and writable unless told otherwise; a side
        # turned off starts out ended, as a Duplex built with readable/writable false.
        self._readable_opt = self._cfg.readable is not False
        self._writable_opt = self._cfg.writable is not False
        if not self._readable_opt:
            self._end_emitted = True
        if not self._writable_opt:
            self._ending = self._finished = True
        self._attach(socket_transport(sock, self._runtime))
        self._start_io()

    @classmethod
    def _accepted(cls, server: Any, sock: _socket_mod.socket, cfg: SocketConfig) -> Socket:
        self = cls(_parent=server, _cfg=_ACCEPTED_CONFIGS[cfg.allow_half_open])
        self._server = server
        transport = socket_transport(sock, self._runtime)
        transport.read_first()
        self._attach(transport)
        if cfg.pause_on_create:
            self._flowing = False
        return self

    @classmethod
    def from_stream(cls, stream: ByteStream, options: Any = None, /, **kwargs: Any) -> Socket:
        """Wrap any connected ``anyio.abc.ByteStream`` as a Socket with the same events.

        Node: no equivalent (a ``net.Socket`` over a custom handle).
        """
        self = cls(options, **kwargs)
        taken = take_socket_of(stream)
        if taken is not None:
            # One of AnyIO's own socket streams: its connection, read and written directly
            # (the stream holds nothing else, and closes with it); what it had read first.
            transport = socket_transport(taken.sock, self._runtime)
            transport.husk = taken.husk
            taken.on_lost(self._stream_lost)
            self._attach(transport)
            for chunk in taken.early:
                self._on_chunk(chunk)
        else:
            self._attach(StreamTransport(stream))
        self._start_io()
        return self

    def _stream_lost(self) -> None:
        # The owner of the AnyIO stream this socket took its connection from closed it (or
        # its socket, under our wait): a broken connection, as on every other path.
        if not self._destroyed:
            self.destroy(system_error(connection_reset(), "read"))

    def _attach(self, transport: Transport) -> None:
        self._transport = transport
        self._set_active(True)

    def _names(self) -> None:
        # Both ends' addresses, asked of the socket on first use and kept (two system calls
        # that most connections never need). As in Node, a socket closed before anyone
        # asked has none.
        transport = self._transport
        raw = transport.raw if transport is not None else None
        if raw is not None and not self._finalized and not self.connecting:
            self._cache_addresses(raw)

    def _cache_addresses(self, raw: _socket_mod.socket) -> None:
        # Once per connection: the shape of the address tells the family (a Unix socket's is
        # its path, an IPv6 one has four fields), cheaper than asking the socket or the text.
        try:
            local = raw.getsockname()
            if not isinstance(local, tuple):
                name = local
                self._unix_path = name if isinstance(name, str) else name.decode(errors="replace")
                self._peer = (None, None, None)
                self._local = (None, None, None)
                return
            self._local = (local[0], local[1], "IPv6" if len(local) == 4 else "IPv4")
        except OSError:
            pass
        try:
            peer = raw.getpeername()
            self._peer = (peer[0], peer[1], "IPv6" if len(peer) == 4 else "IPv4")
        except OSError:
            pass

    def _start_io(self) -> None:
        # Node's constructor with a handle: read(0) starts reading, unless pauseOnCreate.
        if self._readable_opt and self._flowing is not False:
            self.read(0)
        server = self._server
        if (
            server is not None
            and type(self._transport) is LoopTransport
            and self._host_state == 0
            and server._adopt_taskless(self)
        ):
            # An accepted socket on asyncio needs no task: the event loop's reader callback
            # pushes its chunks (as a Protocol's data_received), writes go straight to the
            # kernel, and a writer or timer task starts only when one is needed. The server
            # closes it if its group is cancelled (_adopt_taskless).
            self._cb_read = True
            if self._readable_opt:
                self._pump()
            return
        if server is not None and type(self._transport) is SocketTransport:
            if self._host_state == 0:
                self._host_state = 1
                tg = server._tg
                server._adopt_taskless(self)  # the keeper runs while connections do
                nursery = server._nursery
                if nursery is not None:
                    nursery.start_soon(
                        self._serve, self._next_host(), name="anyio_net.Socket._serve"
                    )
                elif server._host_state == 2 and tg is not None:
                    # Straight into the server's group: _serve reports its own failures
                    # (no _guard frame kept for every idle connection).
                    tg.start_soon(self._serve, self._next_host(), name="anyio_net.Socket._serve")
                else:
                    self._spawn_in_parent(self._serve, self._next_host())
            return
        nursery = self._runtime._nursery
        if (
            nursery is not None
            and type(self._transport) is SocketTransport
            and self._parent is None
            and self._host_state == 0
        ):
            # A socket of the runtime's own on Trio (over an AnyIO stream's socket, or a
            # descriptor): _serve, as an accepted socket, started straight in the runtime's
            # nursery (no cancel scope, no _guard frame: _serve reports its own failures).
            self._host_state = 1
            nursery.start_soon(self._serve, self._next_host(), name="anyio_net.Socket._serve")
            return
        self._start_host()

    async def _serve(self, token: object) -> None:
        # The task of an accepted socket that reads with a task (Trio): the host and the read
        # loop in one coroutine, with no cancel scope: destroy() closes the socket under it
        # (_close_under_host). An idle connection holds this one frame, which matters with
        # thousands of them. destroy() finalizes at once, so a 'close' listener may connect
        # the socket again before this task wakes: it checks that it is still this
        # generation's (``token``, see Handle._next_host) before it starts and after each wait.
        if self._host_token is not token:
            return  # destroyed, then connected again, before this task started
        self._host_state = 2
        transport = self._transport
        assert type(transport) is SocketTransport
        sock = transport.raw
        detached = False
        _live["tasks"] += 1
        try:
            if sock is None:
                return  # destroyed before this task started
            if self._wq or (self._ending and not self._final_started):
                self._ensure_writer()
            if self._timeout_s:
                self._touch()
            while self._readable_opt and not self._destroyed and self._host_token is token:
                if not self._handle_reading:
                    await self._parked()
                    if self._host_token is not token:
                        return
                    continue
                try:
                    # transport.receive(), inlined: one coroutine frame fewer per connection
                    how = transport.wait_first()
                    if how == 1:
                        await anyio.lowlevel.checkpoint()
                    elif how == 2:
                        await anyio.wait_readable(sock)
                    while not self.destroyed and self._host_token is token:
                        try:
                            data = transport.read_now()
                            break
                        except (BlockingIOError, InterruptedError):
                            await anyio.wait_readable(sock)
                    else:
                        return  # destroyed while waiting
                except (anyio.ClosedResourceError, ValueError, OSError) as exc:
                    if self.destroyed or self._host_token is not token:
                        return  # closed by destroy() while waiting, or connected again
                    if closed_under_us(exc, sock):
                        self._stream_lost()  # as SocketTransport.receive() reports it
                    elif isinstance(exc, OSError):
                        self.destroy(system_error(exc, "read"))
                    else:
                        raise
                    return
                if not data:
                    self._on_eof()
                    break
                self._runtime.run_held(self._on_chunk, data)  # (as in _read_loop)
            if self._host_token is not token:
                return  # connected again by a listener of the last chunk or of 'close'
            server = self._server
            if not self._destroyed and server is not None and server._adopt_taskless(self):
                # Done reading, and a socket closes without a task: the task ends here;
                # destroy() closes the socket, or the server if its group is cancelled first.
                detached = True
                return
            if not self._destroyed:
                done = self._done_wake = anyio.Event()
                await done.wait()
        except UNCAUGHT as exc:
            self._runtime.fail(exc)
        finally:
            _live["tasks"] -= 1
            if self._host_token is token:
                self._done_wake = None
                self._host_state = 3
                if not detached:
                    self._finalize_now()
            # (else a later generation runs: this one was finalized before its 'close')

    def _close_under_host(self) -> None:
        # destroy() of a socket whose _serve task waits to read: wake it with the socket
        # closing (no cancel scope to cancel), then close.
        transport = self._transport
        raw = transport.raw if transport is not None else None
        if raw is not None and raw.fileno() >= 0:  # (-1: closed under us by its first owner)
            try:
                anyio.notify_closing(raw)
            except RuntimeError:
                pass  # no event loop (the runtime is gone)
        self._wake_reader()
        self._finalize_now()

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
        if _debug.enabled:
            where = cfg.path if cfg.path is not None else _debug.endpoint(cfg.host, cfg.port)
            _debug.trace(self, "connect to %s", where)
        self._set_active(True)
        self._start_host()
        return self

    def _undestroy(self) -> None:
        self._host_token = None  # the previous generation's task, if still waking, stops
        self._destroyed = self._closed = self._finalized = False
        self._close_flush = None
        self._error = None
        self._reset = False
        self._reset_readable()
        self._ending = self._finished = self._final_started = False
        self._wq = ()
        self._wlen = 0
        self._need_drain = False
        self._transport = None
        self._peer = self._local = None
        self._bytes_read = 0
        self._bytes_sent = 0
        self._host_state = 0
        self._tg = None
        self._writer_running = False
        self._sending = 0
        self._reader_flushes = False
        self._handle_reading = False
        self._read_parked = False
        self._cb_read = False

    def _lookup_idle(self, waiting: bool) -> None:
        # A custom lookup that has not answered keeps nothing of ours busy: as in Node (where
        # only a socket's handle or a pending dns request does), the runtime may end then.
        if self.connecting and not self._destroyed:
            self._set_active(not waiting)

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
                        addresses = await lookup(cfg, self._lookup_idle)
                    except Exception as lookup_error:
                        # A custom lookup's error is passed on as it is (Node's emitLookup).
                        self.emit("lookup", lookup_error, None, None, cfg.host)
                        raise _LookupFailed(lookup_error) from None
                    valid = [a for a in addresses if is_ip(a[0]) and a[1] in (4, 6)]
                    if not valid:
                        # Node: a lookup answer that is no IP fails with ERR_INVALID_IP_ADDRESS,
                        # one of another family than 4 or 6 with ERR_INVALID_ADDRESS_FAMILY.
                        address, family = addresses[0]
                        self.emit("lookup", None, address, family, cfg.host)
                        if is_ip(address):
                            bad = invalid_address_family(family, cfg.host, cfg.port)
                        else:
                            bad = coded("ERR_INVALID_IP_ADDRESS", value=address)
                        raise _LookupFailed(bad)
                    addresses = valid
                    if cfg.family in (4, 6):
                        addresses = [a for a in addresses if a[1] == cfg.family] or addresses
                    if not cfg.auto_select_family:
                        addresses = addresses[:1]

                def on_attempt(address: str, family: int) -> None:
                    if not ip_family:
                        self.emit("lookup", None, address, family, cfg.host)

                sock = await connect_tcp(cfg, addresses, on_attempt)
        except _LookupFailed as failed:
            self.destroy(failed.error)
            return False
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
        self._transport = socket_transport(sock, self._runtime)
        self._cache_addresses(sock)
        self._apply_socket_options()
        self.connecting = False
        if _debug.enabled:
            _debug.trace(self, "connected to %s", _debug.peer_of(self))
        self.emit("connect")
        self.emit("ready")
        # Node: start the first read (or get an immediate EOF) unless paused.
        if self._readable_opt and not self.is_paused():
            self.read(0)
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
        # The task of a client socket (connect, then read), of one over a descriptor or a
        # stream; accepted sockets have _serve or none (_start_io). It starts from connect()
        # or _start_io, so it has a transport or a connect config.
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
                if self._wq or (self._ending and not self._final_started):
                    self._ensure_writer()
                if self._timeout_s:
                    self._touch()
                if self._readable_opt:
                    await self._read_loop()
                if not self._destroyed:
                    # Done reading: wait for destroy(), which sets this rather than cancelling
                    # the scope (a cancellation costs far more, on every backend).
                    done = self._done_wake = anyio.Event()
                    if type(self._transport) is StreamTransport and not self._writer_running:
                        # A stream writes only from a task: this one is the writer from now
                        # on (the FIN after the peer's, the last writes), instead of a new one.
                        self._writer_running = True
                        await self._write_loop()
                    if not self.destroyed:  # (the property: mypy keeps _destroyed narrowed)
                        await done.wait()
        finally:
            self._io_scope = None
            self._done_wake = None
            await self._finalize()

    async def _read_loop(self) -> None:
        transport = self._transport
        assert transport is not None
        push = self._push
        inline = type(transport) is StreamTransport
        while not self._destroyed:
            if not self._want_read():
                await self._parked()
                continue
            try:
                data = await transport.receive(push)
            except OSError as exc:
                self.destroy(system_error(exc, "read"))
                return
            if data is None:
                continue  # the transport pushed chunks to _push until it said stop
            if not data:
                self._on_eof()
                return
            # Node drains its nextTick queue after each callback from libuv: so do we, in
            # this task, as soon as the chunk's listeners return (Runtime.run_held).
            self._reader_flushes = inline
            try:
                self._runtime.run_held(self._on_chunk, data)
            finally:
                self._reader_flushes = False
            if inline:
                await self._send_after_chunk(transport)

    async def _send_after_chunk(self, transport: Transport) -> None:
        # A stream has no synchronous write: what a chunk's listeners wrote to this very
        # socket (an echo, a reply) is sent by the reading task right after them, as raw
        # AnyIO code reads then sends, instead of waking the writer task for every chunk.
        if self._wq and not self._corked and not self._sending and not self._destroyed:
            if not await self._send_batch(transport, by_reader=True):
                return  # destroyed (destroy() let this send end; the closing task does the rest)
            if self._need_drain and self._wlen == 0 and not self._destroyed:
                self._need_drain = False
                if not self._ending:  # as the writer task does (Node's afterWrite)
                    self._runtime.run_held(self.emit, "drain")
        if self._wq or self._need_drain or (self._ending and not self._final_started):
            self._ensure_writer()

    async def _parked(self) -> None:
        # The reading task waits while reading is off (paused, buffer full), until read().
        wake = self._read_wake = anyio.Event()
        self._park_reader(True)
        await wake.wait()
        self._park_reader(False)

    def _want_read(self) -> bool:
        # Node reads until push() says the buffer is full; read() starts it again.
        return self._handle_reading

    def _push(self, data: bytes) -> bool:
        # A chunk handed over by the transport from the event loop's callback (asyncio), so
        # no task switch per chunk, nor for what its listeners defer; True asks for more.
        # What a listener raises ends the run, as it would from the host task.
        try:
            self._runtime.run_held(self._on_chunk, data)
        except UNCAUGHT as exc:
            self._runtime.fail(exc)
            return False
        return not self._destroyed and self._want_read()

    def _pump(self) -> None:
        # Callback mode: (re)register the reader callback, or park while reading is off.
        transport = self._transport
        if self._destroyed or self._eof or type(transport) is not LoopTransport:
            return
        if self._want_read():
            transport.push_to(self._push, self._pump_done)
            if self._read_parked:
                self._park_reader(False)
        elif not self._read_parked:
            self._park_reader(True)

    def _pump_done(self, data: bytes | None, error: OSError | None) -> None:
        # Callback mode: the reader stopped (paused, EOF or a read error). A listener's
        # exception ends the run, as it would from a task.
        try:
            if error is not None:
                self.destroy(system_error(error, "read"))
            elif data == b"":
                self._on_eof()
            else:
                self._pump()
        except UNCAUGHT as exc:
            self._runtime.fail(exc)

    def _wake_reader(self) -> None:
        if self._cb_read:
            if self._read_parked:
                self._pump()
            return
        wake = self._read_wake
        if wake is not None:
            self._read_wake = None
            wake.set()

    def _on_chunk(self, data: bytes) -> None:
        if self._destroyed:
            # Read before destroy() took effect (another listener destroyed this socket
            # while its read was under way): Node drops what is pushed after destroy().
            return
        self._bytes_read += len(data)
        if self._timeout_s:
            self._deadline = time.monotonic() + self._timeout_s
        if not self._push_data(data):
            self._handle_reading = False

    def _read_more(self) -> None:
        # Node's Socket._read: the reader task reads (again) once it is connected.
        if not self._handle_reading:
            self._handle_reading = True
            self._wake_reader()

    def _on_eof(self) -> None:
        self._push_eof()
        self._track_eof_activity()

    def _track_eof_activity(self) -> None:
        # libuv stops a stream's handle at EOF: from then on only queued writes or a pending
        # shutdown keep Node's process alive, so a socket that is done writing but holds
        # unread data (no 'end' yet) does not keep the runtime from finishing.
        # The same holds while reading is stopped (paused before it started, or a full
        # buffer): libuv's handle is not reading, as in test-net-connect-paused-connection.
        if (self._eof or self._read_parked) and not self._finalized:
            self._set_active(bool(self._wq) or (self._ending and not self._finished))

    def _park_reader(self, parked: bool) -> None:
        self._read_parked = parked
        if parked:
            self._track_eof_activity()
        elif not self._eof and not self._finalized:
            self._set_active(True)

    def _after_end(self) -> None:
        # Called by Readable right after 'end' (Node's endReadableNT).
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

    def _holds_descriptor(self) -> bool:
        # Inactive at EOF (it no longer keeps the runtime alive) but open until finalized.
        return not self._finalized

    async def _finalize(self) -> None:
        if self._finalized:
            return
        transport = self._transport
        if type(transport) is not StreamTransport:
            self._finalize_now()
            return
        self._finalized = True
        self._destroyed = True
        self.connecting = False
        self._stop_timer()
        try:
            if self._sending:
                # The writer task's send that destroy() let end (it ends within the grace:
                # this wait is only a guard).
                idle = self._send_idle = anyio.Event()
                with anyio.move_on_after(2 * CLOSE_GRACE_S):
                    await idle.wait()
                if self._sending:
                    self._fail_close_flush(coded("ERR_STREAM_DESTROYED", method="write"))
            flush = self._close_flush
            if flush is not None:
                self._close_flush = None
                try:
                    await self._flush_before_close(transport, flush)
                finally:
                    # Node calls back the writes it had handed to the kernel before it
                    # emits destroy()'s error.
                    if self._error is not None:
                        self._emit_soon("error", self._error)
        finally:
            await transport.aclose(self._reset)
            self._after_close()

    async def _flush_before_close(self, transport: StreamTransport, queue: Any) -> None:
        # The writes destroy() left to the stream (see destroy): one send, bounded in time;
        # their callbacks get its outcome, before 'close' as in Node.
        data = b"".join(entry[0] for entry in queue)
        error: BaseException | None = coded("ERR_STREAM_DESTROYED", method="write")
        try:
            with anyio.move_on_after(CLOSE_GRACE_S):
                await transport.send_all(data)
                self._bytes_sent += len(data)
                error = None
        except OSError as exc:
            error = system_error(exc, "write")
        finally:
            for entry in queue:
                if entry[1] is not None:
                    self._runtime.call_soon(entry[1], error)

    def _finalize_now(self) -> None:
        # Close the descriptor now (a socket, not a stream: that closes in a task).
        if self._finalized:
            return
        self._finalized = True
        self._destroyed = True
        self.connecting = False
        self._stop_timer()
        transport = self._transport
        if transport is not None:
            transport.close(self._reset)
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
        if _debug.enabled:
            _debug.trace(self, "close (had_error=%s)", self._error is not None)
        self.emit("close", self._error is not None)

    # ------------------------------------------------------------------ closing

    def destroy(self, error: BaseException | None = None) -> Socket:
        """Close at once; ``'error'`` (if given) then ``'close'`` follow.

        Node: ``socket.destroy()``
        """
        if self._destroyed:
            return self
        if _debug.enabled:
            _debug.trace(self, "destroy%s", "" if error is None else f" with {error!r}")
        self._destroyed = True
        if error is not None:
            self._error = error
        self._stop_timer()
        was_connecting = self.connecting
        self.connecting = False
        queue = self._wq
        self._wq = ()
        self._wlen = 0
        over_stream = (
            type(self._transport) is StreamTransport and not self._reset and not self._finalized
        )
        if queue and over_stream and not self._corked:
            # Node hands a write to the kernel at once, so a destroy() right after write()
            # still delivers it (and its callback succeeds). A stream is written from a task:
            # the closing task sends what waits (_finalize), after a send under way, which
            # settles its own writes (_send_batch).
            self._close_flush = queue
            queue = ()
        pending = [entry[1] for entry in queue if entry[1] is not None]
        if not self._finished:
            # Node's errorBuffer: end() callbacks still waiting for 'finish' fail.
            finish_cbs, self._finish_cbs = self._finish_cbs, []
            for cb in finish_cbs:
                self._runtime.call_soon(cb, coded("ERR_STREAM_DESTROYED", method="end"))
        if pending:
            code = (
                "ERR_SOCKET_CLOSED_BEFORE_CONNECTION" if was_connecting else "ERR_STREAM_DESTROYED"
            )
            for cb in pending:
                err = coded(code) if was_connecting else coded(code, method="write")
                self._runtime.call_soon(cb, err)
        if error is not None and self._close_flush is None:
            self._emit_soon("error", error)  # (else after the flush's callbacks: _finalize)
        if self._finalized:
            return self
        # A stream's send under way is let end, within the grace (cut in the middle, a TLS
        # record is lost and the peer cannot read what follows); anything else stops now.
        sending = self._sending if over_stream else 0
        writer = self._writer_scope
        if writer is not None:
            _stop(writer, sending == 1)
        if self._host_state in (1, 2):
            # The host task closes it.
            scope = self._io_scope
            done = self._done_wake
            if done is not None:
                done.set()
            elif scope is not None:
                _stop(scope, sending == 2)
            elif type(self._transport) is StreamTransport:
                pass  # _main has not started: it closes the stream when it does (_finalize)
            else:
                self._close_under_host()  # _serve, waiting to read (or not started yet)
        elif not self._writer_running:
            self._finalize_now()
        # else: the writer task closes it once cancelled (it may be waiting on the socket)
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
        self._keep_alive = (bool(enable), _keep_alive_delay_s(initial_delay))
        if self._transport is not None and not self.connecting:
            self._apply_socket_options()
        return self

    # ------------------------------------------------------------------ addresses

    def address(self) -> dict[str, Any] | str:
        """The local end: ``{"port", "family", "address"}``, or ``{}`` when not open.

        Node: ``socket.address()``
        """
        # Node has no name for either end of a Unix socket: ``{}``, as when not open.
        if self._local is None:
            self._names()
        if self._local is None or self._local[0] is None:
            return {}
        return {"address": self._local[0], "family": self._local[2], "port": self._local[1]}

    @property
    def remote_address(self) -> str | None:
        """Node: ``socket.remoteAddress``"""
        if self._peer is None:
            self._names()
        return self._peer[0] if self._peer else None

    @property
    def remote_port(self) -> int | None:
        """Node: ``socket.remotePort``"""
        if self._peer is None:
            self._names()
        return self._peer[1] if self._peer else None

    @property
    def remote_family(self) -> str | None:
        """Node: ``socket.remoteFamily``"""
        if self._peer is None:
            self._names()
        return self._peer[2] if self._peer else None

    @property
    def local_address(self) -> str | None:
        """Node: ``socket.localAddress``"""
        if self._local is None:
            self._names()
        return self._local[0] if self._local else None

    @property
    def local_port(self) -> int | None:
        """Node: ``socket.localPort``"""
        if self._local is None:
            self._names()
        return self._local[1] if self._local else None

    @property
    def local_family(self) -> str | None:
        """Node: ``socket.localFamily``"""
        if self._local is None:
            self._names()
        return self._local[2] if self._local else None

    # ------------------------------------------------------------------ state properties

    @property
    def bytes_read(self) -> int:
        """Node: ``socket.bytesRead``"""
        return self._bytes_read

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

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        # Node: a plain property; assigning it stores the number and leaves the timer alone.
        self._timeout_ms = value

    # ------------------------------------------------------------------ async views

    def __aiter__(self) -> ChunkIterator:
        """``async for chunk in socket``: the data until 'end', read in paused mode.

        The socket reads no more than its buffer holds while the loop body runs, so a slow
        consumer holds the peer back. Raises the socket's error, or
        ``ERR_STREAM_PREMATURE_CLOSE`` when it closes before 'end'. Leaving the loop early
        does not destroy the socket (Node does).

        Node: ``readable[Symbol.asyncIterator]()``
        """
        return ChunkIterator(self)

    def as_stream(self) -> SocketByteStream:
        """An ``anyio.abc.ByteStream`` over this socket, for code written for AnyIO streams.

        ``receive()`` reads in paused mode (backpressure), ``send()`` writes and waits
        while the write queue is full, ``send_eof()`` is ``end()``, ``aclose()`` is
        ``destroy()``. Errors become ``anyio.BrokenResourceError`` (the socket's error is
        its ``__cause__``).

        Raises:
            TypeError: an encoding was set with ``set_encoding`` (``ERR_INVALID_ARG_VALUE``).

        Node: no equivalent (the reverse of ``Socket.from_stream``).
        """
        return SocketByteStream(self)

    # ------------------------------------------------------------------ misc

    def _listen_handle_socket(self) -> _socket_mod.socket | None:
        return self._transport.raw if self._transport is not None else None

    def fileno(self) -> int:
        """The OS descriptor of the connection, or -1 when there is none (yet, or any more).

        Hand it to another process (``socket.send_fds``) and ``Socket({"fd": n})`` there
        picks the connection up; pair it with ``pauseOnConnect`` so nothing is read here
        first, and ``destroy()`` this socket after sending (that closes only this copy).

        Node: ``socket._handle.fd``
        """
        raw = self._transport.raw if self._transport is not None else None
        return raw.fileno() if raw is not None else -1

    async def __aenter__(self) -> Socket:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.destroy()

    def __repr__(self) -> str:
        state = self.ready_state
        peer = f" {self.remote_address}:{self.remote_port}" if self.remote_address else ""
        return f"<anyio_net.Socket {state}{peer}>"
