"""Module-level factories: ``create_server``, ``connect`` / ``create_connection``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._options import parse_connect
from ._server import Server
from ._socket import Socket

Listener = Callable[..., object]

# Socket options that belong to the constructor rather than to connect().
_SOCKET_KEYS = ("allowHalfOpen", "allow_half_open", "highWaterMark", "high_water_mark")


def create_server(
    options: Any = None, connection_listener: Listener | None = None, /, **kwargs: Any
) -> Server:
    """Create a TCP or Unix server; ``connection_listener`` handles ``'connection'``.

    Args:
        options: ``allowHalfOpen``, ``pauseOnConnect``, ``noDelay``, ``keepAlive``,
            ``keepAliveInitialDelay``, ``highWaterMark`` (or the listener itself).
        connection_listener: added as a ``'connection'`` listener.

    Node: ``net.createServer([options][, connectionListener])``
    """
    return Server(options, connection_listener, **kwargs)


def connect(*args: Any, **kwargs: Any) -> Socket:
    """Create a Socket and connect it; returns at once, ``'connect'`` follows.

    Forms: ``(options, listener=None)``, ``(port, host=None, listener=None)``,
    ``(path, listener=None)``; options also as snake_case keywords.

    Node: ``net.connect()`` / ``net.createConnection()``
    """
    parse_connect(args, kwargs)  # bad arguments raise before a socket exists
    socket_options: dict[str, Any] = {}
    if args and isinstance(args[0], dict):
        socket_options = {k: v for k, v in args[0].items() if k in _SOCKET_KEYS}
    for key in _SOCKET_KEYS:
        if key in kwargs:
            socket_options[key] = kwargs.pop(key)
    sock = Socket(socket_options)
    if args and isinstance(args[0], dict):
        args = ({k: v for k, v in args[0].items() if k not in _SOCKET_KEYS}, *args[1:])
    return sock.connect(*args, **kwargs)


create_connection = connect
