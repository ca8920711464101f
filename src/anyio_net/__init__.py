"""anyio-net: Node.js's ``net`` module (Server, Socket, EventEmitter) on AnyIO.

One program runs unchanged on asyncio, asyncio with uvloop, and Trio.
"""

from __future__ import annotations

from ._aliases import (
    createConnection,
    createServer,
    errorMonitor,
    getEventListeners,
    getMaxListeners,
    isIP,
    isIPv4,
    isIPv6,
    listenerCount,
    setMaxListeners,
)
from ._api import connect, create_connection, create_server
from ._emitter import (
    EventEmitter,
    MaxListenersExceededWarning,
    error_monitor,
    get_event_listeners,
    get_max_listeners,
    listener_count,
    set_max_listeners,
)
from ._errors import CodedError, NetError
from ._ip import is_ip, is_ipv4, is_ipv6
from ._runtime import open_runtime, run
from ._server import Server
from ._socket import Socket
from ._waiting import on, once

__version__ = "0.1.0"

__all__ = [
    "CodedError",
    "EventEmitter",
    "MaxListenersExceededWarning",
    "NetError",
    "Server",
    "Socket",
    "connect",
    "createConnection",
    "createServer",
    "create_connection",
    "create_server",
    "errorMonitor",
    "error_monitor",
    "getEventListeners",
    "getMaxListeners",
    "get_event_listeners",
    "get_max_listeners",
    "isIP",
    "isIPv4",
    "isIPv6",
    "is_ip",
    "is_ipv4",
    "is_ipv6",
    "listenerCount",
    "listener_count",
    "on",
    "once",
    "open_runtime",
    "run",
    "setMaxListeners",
    "set_max_listeners",
]
