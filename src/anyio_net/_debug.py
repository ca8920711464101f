"""Tracing each handle's life on the ``anyio_net`` logger, like Node's ``NODE_DEBUG=net``.

How it works:
- Messages go to ``logging.getLogger("anyio_net")`` at DEBUG: listen, accept, connect,
  end, close and errors, one line each, naming the handle (``Socket 3``, ``Server 1``).
- Off by default and free when off: library code guards each trace with
  ``if _debug.enabled:``, a plain module flag, so nothing is formatted and the logger is
  not asked. The flag is refreshed when a runtime opens (``refresh()`` asks the logger
  once), so a level set before ``run`` / ``open_runtime`` takes effect. Nothing is traced
  per chunk of data.
- ``ANYIO_NET_DEBUG=1`` (or ``net``, as in ``NODE_DEBUG=net``) in the environment sets the
  logger to DEBUG and, unless the logger already has a handler, prints to stderr as Node
  does: ``NET 4242: Server 1 listening on [::]:8124``.
"""

from __future__ import annotations

import logging
import os
import sys
import weakref
from typing import Any, Final

logger: Final = logging.getLogger("anyio_net")

#: Whether traces are emitted; checked by the library before each trace.
enabled = False

_ENV: Final = "ANYIO_NET_DEBUG"
_serials: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_counters: dict[str, int] = {}


def refresh() -> bool:
    """Read the logger's level once (called when a runtime opens)."""
    global enabled
    enabled = logger.isEnabledFor(logging.DEBUG)
    return enabled


def _switched_on_by_environment() -> bool:
    value = os.environ.get(_ENV, "").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def configure_from_environment() -> None:
    """Apply ``ANYIO_NET_DEBUG``: DEBUG level and a stderr handler in Node's format."""
    if not _switched_on_by_environment():
        return
    logger.setLevel(logging.DEBUG)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("NET %(process)d: %(message)s"))
        logger.addHandler(handler)
    refresh()


def name_of(handle: object) -> str:
    """``Socket 3``: the class name and a number given in order of first trace."""
    kind = type(handle).__name__
    try:
        serial = _serials[handle]
    except KeyError:
        serial = _counters[kind] = _counters.get(kind, 0) + 1
        _serials[handle] = serial
    except TypeError:  # not weak-referenceable: fall back to its id
        return f"{kind} {id(handle):#x}"
    return f"{kind} {serial}"


def trace(handle: object | None, message: str, *args: object) -> None:
    """Log ``message % args`` about ``handle`` (callers check ``enabled`` first)."""
    if handle is None:
        logger.debug(message, *args)
    else:
        logger.debug("%s " + message, name_of(handle), *args)


def endpoint(address: object, port: object = None) -> str:
    """``127.0.0.1:80``, ``[::1]:80`` or a Unix path."""
    if port is None:
        return str(address)
    text = str(address)
    return f"[{text}]:{port}" if ":" in text else f"{text}:{port}"


def peer_of(sock: Any) -> str:
    """The remote end of a socket, as text."""
    address = sock.remote_address
    if address is not None:
        return endpoint(address, sock.remote_port)
    local = sock.address()
    return local if isinstance(local, str) and local else "a Unix socket"


def deferred_event(handle: Any, name: str, args: tuple[Any, ...]) -> None:
    """Trace an event a handle queues for later (``'listening'``, ``'error'``, ``'close'``)."""
    if name == "listening":
        address = handle.address()
        if isinstance(address, dict):
            where = endpoint(address.get("address"), address.get("port"))
        else:
            where = str(address)
        trace(handle, "listening on %s", where)
    elif name == "error":
        error = args[0] if args else None
        code = getattr(error, "code", None) or type(error).__name__
        trace(handle, "error %s: %s", code, error)
    elif name == "close":
        trace(handle, "close")


configure_from_environment()
