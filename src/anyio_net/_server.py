"""``Server``: Node's ``net.Server`` — listen forms, accept loop, max_connections, close.

How it works:
- ``listen()`` binds and listens synchronously with the standard library (as Node does for
  a port, a path or a handle), so ``address()`` is valid when it returns; only a host *name*
  waits for a lookup. ``'listening'`` (or ``'error'``) is emitted soon after, never inside.
- No host means one dual-stack ``::`` socket (``IPV6_V6ONLY`` off), else ``0.0.0.0``;
  ``SO_REUSEADDR`` is set and the default backlog is 511, as in Node.
- The accept loop is ours, not ``Listener.serve()``: an accept error such as ``EMFILE`` is
  emitted as ``'error'`` on the server, which keeps listening (after a short pause so it
  does not spin), as Node does.
- Each accepted socket lives in the server's task group; ``close()`` stops accepting at
  once and ``'close'`` follows when the last connection has closed.
- Unix paths follow libuv: a path that exists is ``EADDRINUSE``; a missing directory is
  ``EACCES``; ``close()`` unlinks the file it bound (never for an abstract ``"\\0name"``);
  errors carry the path and port -1. ``reusePort`` sets ``SO_REUSEPORT``.
- ``listen({"fd": n})`` takes ownership of ``n`` only if it is a stream socket (else
  ``EINVAL``, ``n`` untouched); a Unix socket opened that way has no ``address()``.
- ``listen(server)`` moves the other server's listening socket here, as Node moves its handle:
  the other stops accepting (it still reads as listening, with its old address) and closing
  this one closes, and for a path unlinks, what the other had bound.
"""

from __future__ import annotations

import asyncio
import errno as _errno
import os
import socket as _socket_mod
import stat
from collections.abc import Callable
from typing import Any

import anyio

from . import _debug, _transport
from ._aliases import ServerNodeNames
from ._errors import NetError, coded, system_error
from ._handle import Handle
from ._ip import family_name, is_ip
from ._options import (
    ListenConfig,
    ServerConfig,
    SocketConfig,
    parse_listen,
    parse_server_options,
)
from ._runtime import UNCAUGHT, open_native_nursery
from ._socket import Socket
from ._transport import socket_from_fd

Listener = Callable[..., object]

_ACCEPT_BATCH = 32


def _unix_bind_error(exc: OSError) -> OSError:
    """The error libuv's ``uv_pipe_bind`` would give for a failed ``bind``."""
    if exc.errno is None:
        # Python refuses a name too long for sun_path before calling bind (and gives no
        # errno); libuv would silently truncate it, which we do not copy: EINVAL, as Node
        # gives since it stopped truncating (test-net-pipe-with-long-path.js).
        return OSError(_errno.EINVAL, os.strerror(_errno.EINVAL))
    if exc.errno == _errno.ENOENT:
        # libuv turns ENOENT (a missing directory) into EACCES, as Windows reports it.
        return OSError(_errno.EACCES, os.strerror(_errno.EACCES))
    return exc


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class Server(Handle, ServerNodeNames):
    """A TCP or Unix socket server with Node's events.

    Events:
        'listening', 'connection' (socket), 'close', 'error' (err), 'drop' (info).

    Node: ``net.Server``
    """

    max_connections: int | None
    """Connections past this count are closed at once (``'drop'``).

    Node: ``server.maxConnections``
    """

    def __init__(
        self,
        options: Any = None,
        connection_listener: Listener | None = None,
        /,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if callable(options) and connection_listener is None:
            options, connection_listener = None, options
        self._config: ServerConfig = parse_server_options(options, kwargs)
        self._socket_config = SocketConfig(
            allow_half_open=self._config.allow_half_open,
            pause_on_create=self._config.pause_on_connect,
        )
        self._lsock: _socket_mod.socket | None = None
        self._unix = False  # the listening socket is a Unix one
        self._binding = False
        self._bind_scope: anyio.CancelScope | None = None
        self._accept_scope: anyio.CancelScope | None = None
        self._stop_accepting: Callable[[], object] | None = None  # _accept_in_callbacks'
        self._connections = 0
        self._sockets: set[Socket] = set()
        self._keeper_running = False  # _keep_connections runs
        self._nursery: Any = None  # on Trio, the keeper's nursery for the sockets' tasks
        self._keeper_wake: anyio.Event | None = None
        self._pipe_name: str | None = None  # what address() gives for a path server
        self._unlink_path: str | None = None  # the socket file close() removes
        self._handed_over = False  # another server took our listening socket (listen(handle))
        self._handed_address: dict[str, Any] | str | None = None
        self.max_connections: int | None = None
        if callable(connection_listener):  # Node ignores a listener that is not a function
            self.on("connection", connection_listener)

    # ------------------------------------------------------------------ listen

    def listen(self, *args: Any, **kwargs: Any) -> Server:
        """Start accepting connections; ``'listening'`` follows.

        Forms: ``(port=None, host=None, backlog=None, callback)``, ``(path, callback)``,
        ``(handle, callback)``, ``(options, callback)``.

        Raises:
            ValueError: bad port (``ERR_SOCKET_BAD_PORT``).
            TypeError: bad options (``ERR_INVALID_ARG_VALUE``).
            RuntimeError: already listening (``ERR_SERVER_ALREADY_LISTEN``).

        Events:
            'listening': once bound; 'error': if binding failed (the server can listen again).

        Node: ``server.listen()``
        """
        cfg, callback = parse_listen(args, kwargs)
        if self._lsock is not None or self._binding or self._handed_over:
            raise coded("ERR_SERVER_ALREADY_LISTEN")
        if callback is not None:
            self.once("listening", callback)
        if cfg.kind == "tcp":
            if cfg.host is None or is_ip(cfg.host):
                self._bind_tcp(cfg, cfg.host)
            else:
                self._binding = True
                self._set_active(True)
                self._spawn(self._lookup_and_bind, cfg)
        elif cfg.kind == "path":
            self._bind_path(cfg)
        elif cfg.kind == "fd":
            assert cfg.fd is not None
            self._listen_fd(cfg.fd, cfg)
        else:
            self._listen_handle(cfg)
        return self

    def _bind_tcp(self, cfg: ListenConfig, host: str | None) -> None:
        port = cfg.port
        try:
            if host is None:
                sock = self._bind_wildcard(cfg)
            else:
                family = _socket_mod.AF_INET6 if is_ip(host) == 6 else _socket_mod.AF_INET
                sock = self._new_listener(family, cfg)
                try:
                    sock.bind((host, port))
                except BaseException:
                    sock.close()
                    raise
            sock.listen(cfg.backlog)
        except OSError as exc:
            address = host if host is not None else "::"
            self._emit_soon("error", system_error(exc, "listen", address, port))
            return
        self._start_listening(sock)

    def _new_listener(self, family: int, cfg: ListenConfig) -> _socket_mod.socket:
        sock = _socket_mod.socket(family, _socket_mod.SOCK_STREAM)
        try:
            sock.setsockopt(_socket_mod.SOL_SOCKET, _socket_mod.SO_REUSEADDR, 1)
            if cfg.reuse_port and hasattr(_socket_mod, "SO_REUSEPORT"):
                sock.setsockopt(_socket_mod.SOL_SOCKET, _socket_mod.SO_REUSEPORT, 1)
            if family == _socket_mod.AF_INET6:
                sock.setsockopt(
                    _socket_mod.IPPROTO_IPV6, _socket_mod.IPV6_V6ONLY, int(cfg.ipv6_only)
                )
        except BaseException:
            sock.close()
            raise
        return sock

    def _bind_wildcard(self, cfg: ListenConfig) -> _socket_mod.socket:
        try:
            sock = self._new_listener(_socket_mod.AF_INET6, cfg)
        except OSError:
            sock = None
        if sock is not None:
            try:
                sock.bind(("::", cfg.port))
                return sock
            except OSError as exc:
                sock.close()
                if exc.errno in (_errno.EADDRINUSE, _errno.EACCES):
                    raise
        sock = self._new_listener(_socket_mod.AF_INET, cfg)
        try:
            sock.bind(("0.0.0.0", cfg.port))
        except BaseException:
            sock.close()
            raise
        return sock

    async def _lookup_and_bind(self, cfg: ListenConfig) -> None:
        assert cfg.host is not None
        try:
            with anyio.CancelScope() as scope:
                self._bind_scope = scope
                try:
                    infos = await anyio.getaddrinfo(
                        cfg.host, cfg.port, type=_socket_mod.SOCK_STREAM
                    )
                except OSError as exc:
                    self._binding = False
                    self._set_active(False)
                    self.emit("error", system_error(exc, "getaddrinfo", hostname=cfg.host))
                    return
        except BaseException:
            # Cancelled from outside (the runtime is ending): the server never listened.
            if self._binding:
                self._binding = False
                self._set_active(False)
            raise
        finally:
            self._bind_scope = None
        if scope.cancel_called:
            return
        self._binding = False
        self._set_active(False)
        address = str(infos[0][4][0])
        self._bind_tcp(cfg, address)

    def _bind_path(self, cfg: ListenConfig) -> None:
        path = cfg.path
        assert path is not None
        sock = _socket_mod.socket(_socket_mod.AF_UNIX, _socket_mod.SOCK_STREAM)
        target: Any = path.encode() if path.startswith("\0") else path
        try:
            try:
                sock.bind(target)
            except OSError as exc:
                raise _unix_bind_error(exc) from None
            sock.listen(cfg.backlog)
        except OSError as exc:
            sock.close()
            # Node's listen error for a path: the path as address, port -1.
            self._emit_soon("error", system_error(exc, "listen", path, -1))
            return
        if cfg.readable_all or cfg.writable_all:
            try:
                mode = os.stat(path).st_mode
                if cfg.readable_all:
                    mode |= stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
                if cfg.writable_all:
                    mode |= stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
                os.chmod(path, mode)
            except OSError as exc:
                # Node closes the handle (removing the file) and throws.
                sock.close()
                _unlink_quietly(path)
                raise system_error(exc, "uv_pipe_chmod") from None
        self._pipe_name = path
        self._unlink_path = None if path.startswith("\0") else path
        self._start_listening(sock)

    def _listen_fd(self, fd: int, cfg: ListenConfig) -> None:
        sock, _kind = socket_from_fd(fd)
        if sock is None:
            # Node cannot make a handle of it: EINVAL, and the descriptor is left alone.
            self._emit_soon("error", NetError(_errno.EINVAL, "listen"))
            return
        self._adopt(sock, cfg)

    def _adopt(self, sock: _socket_mod.socket, cfg: ListenConfig) -> bool:
        try:
            sock.listen(cfg.backlog)
        except OSError as exc:
            # Node closes the handle it opened over the descriptor.
            sock.close()
            self._emit_soon("error", system_error(exc, "listen"))
            return False
        # A Unix socket bound elsewhere has no name here: address() is None, as in Node.
        self._start_listening(sock)
        return True

    def _listen_handle(self, cfg: ListenConfig) -> None:
        handle = cfg.handle
        getter = getattr(handle, "_listen_handle_socket", None)
        raw = getter() if getter is not None else None
        if raw is None:
            raise coded("ERR_INVALID_ARG_VALUE", name="options", value=handle)
        if not self._adopt(_socket_mod.socket(fileno=os.dup(raw.fileno())), cfg):
            return
        if isinstance(handle, Server) and handle is not self:
            # Node moves a server's handle to the new server: connections come here only,
            # and closing this server closes (for a path, unlinks) what the other had bound.
            self._unlink_path, handle._unlink_path = handle._unlink_path, None
            handle._give_away()

    def _give_away(self) -> None:
        self._handed_address = self.address()
        self._close_listener()
        self._handed_over = True  # still "listening", as Node's server keeps its handle
        self._set_active(False)

    def _start_listening(self, sock: _socket_mod.socket) -> None:
        sock.setblocking(False)
        self._lsock = sock
        self._unix = sock.family == _socket_mod.AF_UNIX
        if _debug.enabled:
            _debug.deferred_event(self, "listening", ())
        self._set_active(True)
        self._spawn(self._accept_loop, sock)
        self._runtime.call_soon(self._emit_listening, sock)

    def _emit_listening(self, sock: _socket_mod.socket) -> None:
        # Node's emitListeningNT: a server closed before the tick emits no 'listening'.
        if self._lsock is sock:
            self.emit("listening")

    def _listen_handle_socket(self) -> _socket_mod.socket | None:
        return self._lsock

    def fileno(self) -> int:
        """The listening socket's OS descriptor, or -1 when not listening.

        Another process can serve the same socket with ``listen({"fd": n})`` on a copy.

        Node: ``server._handle.fd``
        """
        return self._lsock.fileno() if self._lsock is not None else -1

    # ------------------------------------------------------------------ accept

    async def _accept_loop(self, lsock: _socket_mod.socket) -> None:
        try:
            loop = _transport.callback_loop()
            if loop is not None:
                await self._accept_in_callbacks(lsock, loop)
            else:
                await self._accept_until_closed(lsock)
        finally:
            if self._lsock is lsock:
                # Cancelled by the runtime (its end, or an uncaught error): no events, but the
                # descriptor goes.
                self._close_listener()
                self._set_active(False)

    async def _accept_in_callbacks(
        self, lsock: _socket_mod.socket, loop: asyncio.AbstractEventLoop
    ) -> None:
        # asyncio: the listening socket stays registered with the loop, whose reader callback
        # accepts what is waiting (as asyncio's own servers do), instead of an add_reader /
        # remove_reader pair and a task switch for every wait. This task only holds the
        # listener's place in the group until close() or cancellation.
        fd = lsock.fileno()
        closed = anyio.Event()
        state = {"registered": False}
        accept = _accepter(lsock)

        def register() -> None:
            if self._lsock is lsock and not state["registered"]:
                _transport.mark_asyncio()  # AnyIO must see asyncio in the callbacks
                loop.add_reader(fd, on_readable)
                state["registered"] = True

        def unregister() -> None:
            if state["registered"]:
                state["registered"] = False
                loop.remove_reader(fd)

        def on_readable() -> None:
            for _ in range(_ACCEPT_BATCH):
                if self._lsock is not lsock:
                    return
                try:
                    conn = accept()
                except (BlockingIOError, InterruptedError):
                    return
                except OSError as exc:
                    if exc.errno in (_errno.ECONNABORTED, _errno.EPROTO):
                        continue
                    unregister()  # still readable: pause, so we do not spin
                    loop.call_later(0.1, register)
                    try:
                        self.emit("error", system_error(exc, "accept"))
                    except UNCAUGHT as error:
                        self._runtime.fail(error)
                    return
                try:
                    self._on_accept(conn)
                except UNCAUGHT as error:
                    self._runtime.fail(error)
                    return

        def stop() -> None:
            unregister()
            closed.set()

        self._stop_accepting = stop
        register()
        try:
            await closed.wait()
        finally:
            unregister()
            self._stop_accepting = None

    async def _accept_until_closed(self, lsock: _socket_mod.socket) -> None:
        accept = _accepter(lsock)
        with anyio.CancelScope() as scope:
            self._accept_scope = scope
            accepted = 0
            while self._lsock is lsock:
                try:
                    conn = accept()
                except (BlockingIOError, InterruptedError):
                    accepted = 0
                    try:
                        await anyio.wait_readable(lsock)
                    except anyio.ClosedResourceError:
                        return
                    continue
                except OSError as exc:
                    if self._lsock is not lsock:
                        return  # closed under us
                    if exc.errno in (_errno.ECONNABORTED, _errno.EPROTO):
                        continue
                    self.emit("error", system_error(exc, "accept"))
                    # The listening socket stays readable: pause so we do not spin.
                    await anyio.sleep(0.1)
                    continue
                self._on_accept(conn)
                accepted += 1
                if accepted >= _ACCEPT_BATCH:
                    accepted = 0
                    await anyio.lowlevel.checkpoint()

    def _on_accept(self, conn: _socket_mod.socket) -> None:
        limit = self.max_connections
        if limit is not None and self._connections >= limit:
            info: dict[str, Any] = {}
            if conn.family != _socket_mod.AF_UNIX:
                try:
                    local, peer = conn.getsockname(), conn.getpeername()
                    info = {
                        "localAddress": local[0],
                        "localPort": local[1],
                        "localFamily": family_name(local[0]),
                        "remoteAddress": peer[0],
                        "remotePort": peer[1],
                        "remoteFamily": family_name(peer[0]),
                    }
                except OSError:
                    pass
            conn.close()
            if _debug.enabled:
                _debug.trace(self, "drop a connection: max_connections is %s", limit)
            self.emit("drop", info)
            return
        conn.setblocking(False)
        config = self._config
        if not self._unix:
            try:
                if config.no_delay:
                    conn.setsockopt(_socket_mod.IPPROTO_TCP, _socket_mod.TCP_NODELAY, 1)
                if config.keep_alive:
                    conn.setsockopt(_socket_mod.SOL_SOCKET, _socket_mod.SO_KEEPALIVE, 1)
                    delay = config.keep_alive_initial_delay_s
                    if delay > 0 and hasattr(_socket_mod, "TCP_KEEPIDLE"):
                        conn.setsockopt(_socket_mod.IPPROTO_TCP, _socket_mod.TCP_KEEPIDLE, delay)
            except OSError:
                pass
        sock = Socket._accepted(self, conn, self._socket_config)
        if config.high_water_mark is not None:
            sock._whwm = sock._rhwm = config.high_water_mark
        self._connections += 1
        self._sockets.add(sock)
        sock.server = self
        if _debug.enabled:
            _debug.trace(self, "accept %s from %s", _debug.name_of(sock), _debug.peer_of(sock))
        self.emit("connection", sock)
        sock._start_io()

    def _connection_closed(self, sock: Socket) -> None:
        if sock in self._sockets:
            self._sockets.discard(sock)
            self._connections -= 1
            if not self._sockets:
                wake = self._keeper_wake
                if wake is not None:
                    self._keeper_wake = None
                    wake.set()
            self._emit_close_if_drained()

    def _adopt_taskless(self, sock: Socket) -> bool:
        """Take charge of an accepted socket that runs without a task (reading in callbacks
        on asyncio, or done reading).

        False when this server's group is not running (the socket then gets a task).
        """
        if self._host_state != 2:
            return False
        if not self._keeper_running:
            self._keeper_running = True
            self._spawn(self._keep_connections)
        return True

    async def _keep_connections(self) -> None:
        # One task per server, not one per connection: it holds the server's group open
        # while connections are open, as their tasks would, and closes the task-less ones
        # when the group is cancelled (the runtime's end or an uncaught error), as a
        # cancelled task closes its socket.
        # Trio: the reading task of each accepted socket starts in a nursery of this task,
        # Trio's own, rather than in the AnyIO group: AnyIO keeps a task handle and a cancel
        # scope for each task it starts (0.9 KiB per idle connection, and time per
        # connection). The nursery sits inside the server's group, so cancelling that group
        # cancels these tasks too. Elsewhere there is no nursery (None).
        async with open_native_nursery() as nursery:
            self._nursery = nursery
            await self._watch_connections()

    async def _watch_connections(self) -> None:
        try:
            while self._sockets:
                wake = self._keeper_wake = anyio.Event()
                await wake.wait()
        finally:
            # Stops watching here, before any wait (the nursery's exit may wait for tasks
            # that are ending): from now on a new connection starts a new keeper.
            self._keeper_running = False
            self._keeper_wake = None
            self._nursery = None
            for sock in list(self._sockets):
                if sock._host_state not in (1, 2) and not sock._writer_running:
                    sock._finalize_now()  # no task of its own to close it

    # ------------------------------------------------------------------ close

    def close(self, callback: Listener | None = None) -> Server:
        """Stop accepting; ``'close'`` follows once every connection has ended.

        The callback gets an error with code ``ERR_SERVER_NOT_RUNNING`` if the server was
        not listening.

        Node: ``server.close()``
        """
        if callable(callback):
            if self._lsock is None and not self._binding and not self._handed_over:

                def not_running() -> None:
                    callback(coded("ERR_SERVER_NOT_RUNNING"))

                self.once("close", not_running)
            else:
                self.once("close", callback)
        if _debug.enabled:
            _debug.trace(self, "close: stop accepting, %d connection(s) open", self._connections)
        if self._binding:
            self._binding = False
            if self._bind_scope is not None:
                self._bind_scope.cancel()
        self._handed_over = False
        self._handed_address = None
        self._close_listener()
        self._set_active(False)
        self._emit_close_if_drained()
        return self

    def _close_listener(self) -> None:
        scope = self._accept_scope
        if scope is not None:
            self._accept_scope = None
            scope.cancel()
        stop = self._stop_accepting
        if stop is not None:
            self._stop_accepting = None
            stop()  # off the loop before the descriptor goes
        sock, self._lsock = self._lsock, None
        if sock is not None:
            try:
                anyio.notify_closing(sock)  # wake the accept loop before the fd goes
            except RuntimeError:
                pass  # no event loop (the runtime is gone)
            sock.close()
            if self._unlink_path is not None:
                # libuv removes the socket file when the handle closes; Node v20 does too.
                _unlink_quietly(self._unlink_path)
        self._pipe_name = self._unlink_path = None

    def _emit_close_if_drained(self) -> None:
        if self._lsock is not None or self._connections:
            return
        self._emit_soon("close")

    async def _main(self) -> None:
        # The server's group stays open while its connections live; close() ends it.
        return None

    # ------------------------------------------------------------------ info

    def address(self) -> dict[str, Any] | str | None:
        """``{"port", "family", "address"}``, the path of a Unix server, or None.

        Node: ``server.address()``
        """
        sock = self._lsock
        if sock is None:
            return self._handed_address if self._handed_over else None
        if sock.family == _socket_mod.AF_UNIX:
            return self._pipe_name
        name = sock.getsockname()
        return {"address": name[0], "family": family_name(name[0]), "port": name[1]}

    @property
    def listening(self) -> bool:
        """Node: ``server.listening``"""
        return self._lsock is not None or self._handed_over

    @property
    def connections(self) -> int:
        """The number of open connections (the seed's ``server.connections``)."""
        return self._connections

    def get_connections(self, callback: Listener) -> Server:
        """Call ``callback(None, count)`` soon.

        Node: ``server.getConnections()``
        """
        self._runtime.call_soon(callback, None, self._connections)
        return self

    async def __aenter__(self) -> Server:
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Node's server[Symbol.asyncDispose](): close, then resolve on 'close'. While an
        # exception propagates we only close: the runtime tears the connections down.
        if self._lsock is not None or self._binding or self._handed_over:
            if exc and exc[0] is not None:
                self.close()
                return
            closed = anyio.Event()
            self.close(lambda *_: closed.set())
            await closed.wait()

    def __repr__(self) -> str:
        return f"<anyio_net.Server listening={self.listening} address={self.address()!r}>"


def _accepter(lsock: _socket_mod.socket) -> Callable[[], _socket_mod.socket]:
    """``lsock.accept()`` without its address and without the standard library converting
    the family and type to enums for every connection (a few microseconds each)."""
    family, kind, proto = int(lsock.family), int(lsock.type), lsock.proto
    raw_accept = getattr(lsock, "_accept", None)
    if raw_accept is None:  # not CPython's socket: the public way
        return lambda: lsock.accept()[0]
    new = _socket_mod.socket

    def accept() -> _socket_mod.socket:
        fd, _addr = raw_accept()
        return new(family, kind, proto, fileno=fd)

    return accept
