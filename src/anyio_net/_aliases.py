"""Every camelCase name of Node's ``net`` / ``events`` surface, bound to its snake_case twin.

The one place camelCase is written. Module functions are plain assignments (so type
checkers see them); methods and properties are the very same objects set on the class;
plain instance attributes get a forwarding property.
"""

from __future__ import annotations

import inspect
from typing import Any

from ._api import connect, create_connection, create_server
from ._emitter import EventEmitter, get_event_listeners
from ._ip import is_ip, is_ipv4, is_ipv6
from ._server import Server
from ._socket import Socket

createServer = create_server
createConnection = create_connection
connect = connect
isIP = is_ip
isIPv4 = is_ipv4
isIPv6 = is_ipv6
getEventListeners = get_event_listeners

MODULE_NAMES = {
    "createServer": "create_server",
    "createConnection": "create_connection",
    "isIP": "is_ip",
    "isIPv4": "is_ipv4",
    "isIPv6": "is_ipv6",
    "getEventListeners": "get_event_listeners",
}

_EMITTER = {
    "addListener": "add_listener",
    "removeListener": "remove_listener",
    "removeAllListeners": "remove_all_listeners",
    "prependListener": "prepend_listener",
    "prependOnceListener": "prepend_once_listener",
    "listenerCount": "listener_count",
    "rawListeners": "raw_listeners",
    "eventNames": "event_names",
    "setMaxListeners": "set_max_listeners",
    "getMaxListeners": "get_max_listeners",
}

NODE_NAMES: dict[type, dict[str, str]] = {
    EventEmitter: _EMITTER,
    Socket: {
        "setEncoding": "set_encoding",
        "setTimeout": "set_timeout",
        "setNoDelay": "set_no_delay",
        "setKeepAlive": "set_keep_alive",
        "destroySoon": "destroy_soon",
        "resetAndDestroy": "reset_and_destroy",
        "isPaused": "is_paused",
        "remoteAddress": "remote_address",
        "remotePort": "remote_port",
        "remoteFamily": "remote_family",
        "localAddress": "local_address",
        "localPort": "local_port",
        "localFamily": "local_family",
        "bytesRead": "bytes_read",
        "bytesWritten": "bytes_written",
        "bufferSize": "buffer_size",
        "writableLength": "writable_length",
        "writableHighWaterMark": "writable_high_water_mark",
        "readableHighWaterMark": "readable_high_water_mark",
        "readableLength": "readable_length",
        "readableFlowing": "readable_flowing",
        "writableEnded": "writable_ended",
        "writableFinished": "writable_finished",
        "readableEnded": "readable_ended",
        "readyState": "ready_state",
        "allowHalfOpen": "allow_half_open",
        "fromStream": "from_stream",
    },
    Server: {
        "getConnections": "get_connections",
        "maxConnections": "max_connections",
    },
}


def _forwarding_property(name: str) -> property:
    def get(self: Any) -> Any:
        return getattr(self, name)

    def set_(self: Any, value: Any) -> None:
        setattr(self, name, value)

    return property(get, set_, doc=f"Alias of ``{name}``.")


def install() -> None:
    for cls, names in NODE_NAMES.items():
        for node_name, name in names.items():
            try:
                target = inspect.getattr_static(cls, name)
            except AttributeError:
                target = _forwarding_property(name)  # a plain instance attribute
            if isinstance(target, (classmethod, staticmethod)):
                target = getattr(cls, name) if isinstance(target, classmethod) else target
                if isinstance(target, classmethod) or inspect.ismethod(target):
                    target = inspect.getattr_static(cls, name)
            setattr(cls, node_name, target)


install()
