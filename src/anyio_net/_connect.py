"""Client connections: host lookup (Node's ``dns.lookup`` contract), family choice, connect.

How it works:
- An IP literal is used as it is and emits no ``'lookup'``; a name is resolved with AnyIO's
  ``getaddrinfo`` (or the user's ``lookup(host, options, callback)``), in the order the
  resolver gives (Node's ``verbatim`` order).
- With ``autoSelectFamily`` (Node's default) every address is tried in turn, each given
  ``autoSelectFamilyAttemptTimeout`` (250 ms) while others remain; the last error wins.
- Sockets are made and connected here with the standard library, non-blocking, waiting
  with ``anyio.wait_writable``: so ``localAddress``/``localPort`` can be bound and the
  errno of a failure is the kernel's own, never a backend's wrapper message.
"""

from __future__ import annotations

import errno as _errno
import os
import socket
from collections.abc import Callable
from typing import Any

import anyio

from ._errors import NetError, system_error
from ._ip import is_ip
from ._options import ConnectConfig

LookupResult = list[tuple[str, int]]


async def lookup(cfg: ConnectConfig, idle: Callable[[bool], None] | None = None) -> LookupResult:
    """Resolve ``cfg.host`` to ``[(address, family), ...]``; raises NetError (getaddrinfo).

    ``idle(True)`` is called while a custom lookup has returned without answering yet (and
    ``idle(False)`` once it answers): nothing of ours is pending then, as in Node, where
    such a lookup does not keep the process alive.
    """
    host = cfg.host
    if cfg.lookup is not None:
        return await _custom_lookup(cfg, idle)
    family = {4: socket.AF_INET, 6: socket.AF_INET6}.get(cfg.family, socket.AF_UNSPEC)
    try:
        infos = await anyio.getaddrinfo(
            host, cfg.port, family=family, type=socket.SOCK_STREAM, flags=cfg.hints
        )
    except OSError as exc:
        raise system_error(exc, "getaddrinfo", hostname=host) from None
    seen: LookupResult = []
    for fam, _type, _proto, _name, sockaddr in infos:
        entry = (str(sockaddr[0]), 6 if fam == socket.AF_INET6 else 4)
        if entry not in seen:
            seen.append(entry)
    if not seen:
        raise NetError(3008, "getaddrinfo", code="ENOTFOUND", hostname=host)
    return seen


async def _custom_lookup(cfg: ConnectConfig, idle: Callable[[bool], None] | None) -> LookupResult:
    """Call a Node-style ``lookup(host, options, callback)`` and wait for its callback."""
    done = anyio.Event()
    outcome: list[Any] = []

    def callback(err: BaseException | None, address: Any = None, family: Any = None) -> None:
        if not done.is_set():
            outcome[:] = [err, address, family]
            done.set()

    want_all = cfg.family not in (4, 6) and cfg.local_address is None and cfg.auto_select_family
    opts = {"family": cfg.family, "hints": cfg.hints, "all": want_all}
    assert cfg.lookup is not None
    result = cfg.lookup(cfg.host, opts, callback)
    if result is not None and hasattr(result, "__await__"):
        await result
    if not done.is_set():
        if idle is not None:
            idle(True)
        await done.wait()
        if idle is not None:
            idle(False)
    err, address, family = outcome
    if err is not None:
        if isinstance(err, BaseException):
            raise err
        raise NetError(3008, "getaddrinfo", code="ENOTFOUND", hostname=cfg.host)
    if isinstance(address, list):
        found: LookupResult = []
        for item in address:
            if isinstance(item, dict):
                ip = str(item["address"])
                found.append((ip, _family_of(item.get("family"), ip)))
            else:
                found.append((str(item), is_ip(str(item))))
        return found
    return [(str(address), _family_of(family, str(address)))]


def _family_of(family: Any, address: str) -> Any:
    # 4 and 6 (or 'IPv4'/'IPv6') as given; none at all is read from the address. Anything
    # else is kept, and the socket fails with ERR_INVALID_ADDRESS_FAMILY as Node's does.
    if family is None or (family == 0 and not isinstance(family, bool)):
        return is_ip(address)
    if family == "IPv4":
        return 4
    if family == "IPv6":
        return 6
    return family


def _new_socket(family: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if family == 6 else socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    return sock


async def _connect_raw(sock: socket.socket, address: Any) -> None:
    err = sock.connect_ex(address)
    if err in (_errno.EINPROGRESS, _errno.EAGAIN, _errno.EWOULDBLOCK, _errno.EALREADY):
        await anyio.wait_writable(sock)
        err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err and err != _errno.EISCONN:
        raise OSError(err, os.strerror(err))


async def connect_tcp(
    cfg: ConnectConfig,
    addresses: LookupResult,
    on_attempt: Callable[[str, int], None] | None = None,
) -> socket.socket:
    """Connect to the first address that answers; raises NetError (syscall ``connect``)."""
    last: NetError | None = None
    for index, (address, family) in enumerate(addresses):
        sock = _new_socket(family)
        try:
            if cfg.local_address is not None or cfg.local_port:
                local = cfg.local_address or ("::" if family == 6 else "0.0.0.0")
                try:
                    sock.bind((local, cfg.local_port or 0))
                except OSError as exc:
                    raise system_error(exc, "bind", local, cfg.local_port or 0) from None
            if on_attempt is not None:
                on_attempt(address, family)
            more = index + 1 < len(addresses) and cfg.auto_select_family
            if more:
                with anyio.fail_after(cfg.attempt_timeout_s):
                    await _connect_raw(sock, (address, cfg.port))
            else:
                await _connect_raw(sock, (address, cfg.port))
            return sock
        except TimeoutError:
            sock.close()
            last = NetError(_errno.ETIMEDOUT, "connect", address, cfg.port)
        except NetError as exc:
            sock.close()
            raise exc
        except OSError as exc:
            sock.close()
            last = system_error(
                exc,
                "connect",
                address,
                cfg.port,
                local_address=cfg.local_address,
                local_port=cfg.local_port,
            )
        except BaseException:
            sock.close()
            raise
    assert last is not None
    raise last


async def connect_unix(path: str) -> socket.socket:
    """Connect to a Unix socket path; raises NetError (syscall ``connect``)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.setblocking(False)
    target: Any = path
    if path.startswith("\0"):
        target = path.encode()
    try:
        await _connect_raw(sock, target)
    except OSError as exc:
        sock.close()
        if exc.errno is None:
            # Python refuses a name too long for sun_path without an errno (libuv truncates);
            # EINVAL, as Node gives since it stopped truncating.
            exc = OSError(_errno.EINVAL, os.strerror(_errno.EINVAL))
        raise system_error(exc, "connect", path) from None
    except BaseException:
        sock.close()
        raise
    return sock
