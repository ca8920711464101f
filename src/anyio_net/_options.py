"""Call forms of ``create_server``, ``listen`` and ``connect``, turned into frozen configs.

How it works:
- Node accepts ``(options[, cb])``, ``(port[, host][, backlog][, cb])``, ``(path[, cb])`` and
  ``(handle[, cb])``; the last argument is the callback when it is callable.
- A string that is not a non-negative number is a Unix socket path (Node's ``isPipeName``).
- Options come as a dict with Node's camelCase keys or as snake_case keyword arguments; both
  are folded into one dict with Node's keys before any check, so the checks are Node's.
- ``None`` plays both ``undefined`` and ``null``.
- Every check raises at the call with Node's code; nothing here does I/O.
"""

from __future__ import annotations

import math
import socket as _socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import coded
from ._ip import is_ip
from ._validators import (
    validate_boolean,
    validate_function,
    validate_int32,
    validate_number,
    validate_port,
    validate_timer_duration,
)

Listener = Callable[..., object]

# snake_case keyword -> Node's option key. Unknown keywords are rejected with a TypeError,
# as a Python user expects from a misspelt keyword.
_SNAKE_TO_NODE = {
    "allow_half_open": "allowHalfOpen",
    "pause_on_connect": "pauseOnConnect",
    "no_delay": "noDelay",
    "keep_alive": "keepAlive",
    "keep_alive_initial_delay": "keepAliveInitialDelay",
    "high_water_mark": "highWaterMark",
    "port": "port",
    "host": "host",
    "path": "path",
    "backlog": "backlog",
    "exclusive": "exclusive",
    "ipv6_only": "ipv6Only",
    "reuse_port": "reusePort",
    "readable_all": "readableAll",
    "writable_all": "writableAll",
    "fd": "fd",
    "handle": "handle",
    "local_address": "localAddress",
    "local_port": "localPort",
    "family": "family",
    "hints": "hints",
    "lookup": "lookup",
    "timeout": "timeout",
    "readable": "readable",
    "writable": "writable",
    "auto_select_family": "autoSelectFamily",
    "auto_select_family_attempt_timeout": "autoSelectFamilyAttemptTimeout",
    "signal": "signal",
}
_NODE_KEYS = frozenset(_SNAKE_TO_NODE.values())


def merge_options(options: Mapping[str, Any] | None, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Fold a Node options dict and snake_case keywords into one dict with Node's keys."""
    merged: dict[str, Any] = {}
    if options:
        for key, value in options.items():
            merged[_SNAKE_TO_NODE.get(key, key)] = value
    for key, value in kwargs.items():
        node_key = _SNAKE_TO_NODE.get(key)
        if node_key is None:
            if key in _NODE_KEYS:
                node_key = key
            else:
                raise TypeError(f"unexpected keyword argument {key!r}")
        merged[node_key] = value
    return merged


def _to_number(value: object) -> float | None:
    """Node's ``toNumber``: ``Number(x)`` when it is >= 0, else None."""
    if isinstance(value, (bool, int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            number = 0.0
        else:
            try:
                number = (
                    float(int(text, 0)) if text[:2].lower() in ("0x", "0o", "0b") else float(text)
                )
            except ValueError:
                return None
    else:
        return None
    return number if number >= 0 else None


def _is_set(value: object) -> bool:
    """Whether an option counts as given: Python truthiness, and NaN counts as unset, as in
    JS (an empty dict or list is unset too, see docs/differences.md)."""
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


def is_pipe_name(value: object) -> bool:
    """Node's ``isPipeName``: a string that does not read as a non-negative number."""
    return isinstance(value, str) and _to_number(value) is None


def normalize_args(args: tuple[Any, ...]) -> tuple[dict[str, Any], Listener | None]:
    """Node's ``normalizeArgs``: ``(options | port | path, [host], ..., [cb])``."""
    if not args:
        return {}, None
    first = args[0]
    options: dict[str, Any]
    if isinstance(first, Mapping):
        options = dict(first)
    elif isinstance(first, dict):
        options = first
    elif is_pipe_name(first):
        options = {"path": first}
    else:
        options = {"port": first}
        if len(args) > 1 and isinstance(args[1], str):
            options["host"] = args[1]
    last = args[-1]
    return options, (last if callable(last) else None)


# --- create_server -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerConfig:
    allow_half_open: bool = False
    pause_on_connect: bool = False
    no_delay: bool = False
    keep_alive: bool = False
    keep_alive_initial_delay_s: int = 0
    high_water_mark: int | None = None


def parse_server_options(options: object, kwargs: Mapping[str, Any]) -> ServerConfig:
    if options is None:
        merged = merge_options(None, kwargs)
    elif isinstance(options, Mapping):
        merged = merge_options(options, kwargs)
    else:
        raise coded("ERR_INVALID_ARG_TYPE", name="options", expected="object", value=options)
    delay = merged.get("keepAliveInitialDelay")
    delay_s = 0
    if delay is not None:
        validate_number(delay, "options.keepAliveInitialDelay")
        delay_s = max(0, int(delay // 1000)) if math.isfinite(delay) else 0
    hwm = merged.get("highWaterMark")
    if hwm is not None:
        # Node's createServer: a number is required; a negative one means the default.
        validate_number(hwm, "options.highWaterMark")
        hwm = int(hwm) if hwm >= 0 else None
    return ServerConfig(
        allow_half_open=bool(merged.get("allowHalfOpen", False)),
        pause_on_connect=bool(merged.get("pauseOnConnect", False)),
        no_delay=bool(merged.get("noDelay", False)),
        keep_alive=bool(merged.get("keepAlive", False)),
        keep_alive_initial_delay_s=delay_s,
        high_water_mark=hwm,
    )


# --- listen --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListenConfig:
    kind: str  # "tcp", "path", "fd" or "handle"
    port: int = 0
    host: str | None = None
    backlog: int = 511
    path: str | None = None
    fd: int | None = None
    handle: object = None
    exclusive: bool = False
    ipv6_only: bool = False
    reuse_port: bool = False
    readable_all: bool = False
    writable_all: bool = False


def _backlog(value: object, fallback: int) -> int:
    number = _to_number(value)
    if number is None or number == 0 or not math.isfinite(number):
        return fallback
    return int(number)


def parse_listen(
    args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[ListenConfig, Listener | None]:
    callback = kwargs.get("callback")
    rest = {k: v for k, v in kwargs.items() if k != "callback"}
    if callback is not None:
        validate_function(callback, "callback")
    options, cb = normalize_args(args)
    if cb is not None and callback is None:
        callback = cb
    if args and callable(args[0]):
        options = {"port": 0}  # listen(cb)
    if args and callable(args[-1]):
        args = args[:-1]
    if rest:
        options = merge_options(options, rest)
    elif args and isinstance(args[0], Mapping):
        options = merge_options(options, {})
    # Node: listen(), listen(None), listen(cb), listen({port: None}) bind an OS-chosen port.
    if not args and "path" not in options and "fd" not in options and "handle" not in options:
        options.setdefault("port", 0)
    if ("port" in options and options["port"] is None) or (args and args[0] is None):
        options["port"] = 0
    # listen(port, [host], backlog): Node reads the backlog from the 2nd or 3rd argument.
    positional_backlog = 511
    if len(args) > 1 and not isinstance(args[0], Mapping):
        positional_backlog = _backlog(args[1], 0) or (
            _backlog(args[2], 511) if len(args) > 2 else 511
        )
    backlog = _backlog(options.get("backlog"), positional_backlog)
    common: dict[str, Any] = {
        "backlog": backlog,
        "exclusive": bool(options.get("exclusive", False)),
        "ipv6_only": bool(options.get("ipv6Only", False)),
        "reuse_port": bool(options.get("reusePort", False)),
        "readable_all": bool(options.get("readableAll", False)),
        "writable_all": bool(options.get("writableAll", False)),
    }
    handle = options.get("handle") or options.get("_handle")
    if handle is not None:
        if isinstance(handle, Mapping) and "fd" in handle:
            options = {**options, "fd": handle["fd"]}
        else:
            return ListenConfig(kind="handle", handle=handle, **common), callback
    if not isinstance(args[0] if args else None, Mapping) and args and _is_handle(args[0]):
        return ListenConfig(kind="handle", handle=args[0], **common), callback
    fd = options.get("fd")
    if isinstance(fd, int) and not isinstance(fd, bool) and fd >= 0:
        return ListenConfig(kind="fd", fd=fd, **common), callback
    port = options.get("port", _MISSING)
    if port is not _MISSING and (
        isinstance(port, (int, float, str)) and not isinstance(port, bool)
    ):
        checked = validate_port(port, "options.port")
        host = options.get("host") or None
        if host is not None and not isinstance(host, str):
            # Node hands the host to dns.lookup, whose validateString throws.
            raise coded("ERR_INVALID_ARG_TYPE", name="hostname", expected="string", value=host)
        return ListenConfig(kind="tcp", port=checked, host=host, **common), callback
    path = options.get("path")
    if path and is_pipe_name(path):
        if path.startswith("\0") and (common["readable_all"] or common["writable_all"]):
            # An abstract name has no file to chmod; Node says so with its own typo.
            raise coded(
                "ERR_INVALID_ARG_VALUE",
                name="options",
                value=options,
                reason="can not set readableAll or writableAllt to true when path is "
                "abstract unix socket",
            )
        return ListenConfig(kind="path", path=path, **common), callback
    if "port" not in options and "path" not in options:
        raise coded(
            "ERR_INVALID_ARG_VALUE",
            name="options",
            value=options,
            reason='must have the property "port" or "path"',
        )
    raise coded("ERR_INVALID_ARG_VALUE", name="options", value=options)


_MISSING: Any = object()

# The hint flags Node's dns.lookup accepts (libuv's values are the OS's).
_VALID_HINTS = _socket.AI_ADDRCONFIG | _socket.AI_ALL | _socket.AI_V4MAPPED


def _is_handle(value: object) -> bool:
    # A Server or Socket handed to listen(); checked by attribute to stay below the I/O layer.
    return hasattr(value, "_listen_handle_socket")


# --- connect -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConnectConfig:
    port: int = 0
    host: str = "localhost"
    path: str | None = None
    local_address: str | None = None
    local_port: int | None = None
    family: int = 0
    hints: int = 0
    lookup: Listener | None = None
    timeout_ms: float | None = None
    no_delay: bool | None = None
    keep_alive: bool | None = None
    keep_alive_initial_delay_s: int = 0
    auto_select_family: bool = True
    attempt_timeout_s: float = 0.25


def parse_connect(
    args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[ConnectConfig, Listener | None]:
    callback = kwargs.get("callback")
    rest = {k: v for k, v in kwargs.items() if k != "callback"}
    if callback is not None:
        validate_function(callback, "callback")
    options, cb = normalize_args(args)
    if cb is not None and callback is None:
        callback = cb
    options = merge_options(options, rest)
    for key in ("objectMode", "readableObjectMode", "writableObjectMode"):
        if options.get(key):
            raise coded(
                "ERR_INVALID_ARG_VALUE",
                name=f"options.{key}",
                value=options[key],
                reason="is not supported",
            )
    path = options.get("path")
    port = options.get("port")
    # Node: a missing port is ERR_MISSING_ARGS; a port given as null is a wrong type.
    if "port" not in options and path is None:
        raise coded("ERR_MISSING_ARGS", names=[["options", "port", "path"]])
    timeout = options.get("timeout")
    # Node: `if (options.timeout) socket.setTimeout(options.timeout)` -- 0 and NaN skip it,
    # then setTimeout's own checks ('abc' and true are wrong types).
    timeout_ms = validate_timer_duration(timeout, "msecs") if _is_set(timeout) else None
    no_delay = options.get("noDelay")
    keep_alive = options.get("keepAlive")
    delay = options.get("keepAliveInitialDelay")
    if delay is not None:
        validate_number(delay, "options.keepAliveInitialDelay")
    delay_s = (
        max(0, int(delay // 1000))
        if isinstance(delay, (int, float)) and math.isfinite(delay)
        else 0
    )
    if path is not None:
        if not isinstance(path, str):
            raise coded("ERR_INVALID_ARG_TYPE", name="options.path", expected="string", value=path)
        return (
            ConnectConfig(path=path, timeout_ms=timeout_ms),
            callback,
        )
    local_address = options.get("localAddress")
    if local_address and not is_ip(local_address):
        raise coded("ERR_INVALID_IP_ADDRESS", value=local_address)
    local_port = options.get("localPort")
    if local_port:
        validate_number(local_port, "options.localPort")
    if not isinstance(port, (int, float, str)) or isinstance(port, bool):
        raise coded(
            "ERR_INVALID_ARG_TYPE", name="options.port", expected=["number", "string"], value=port
        )
    checked_port = validate_port(port)
    family = options.get("family")
    if family is None:
        family_num = 0
    elif family in (0, 4, 6) and not isinstance(family, bool):
        family_num = int(family)
    elif family == "IPv4":
        family_num = 4
    elif family == "IPv6":
        family_num = 6
    else:
        raise coded(
            "ERR_INVALID_ARG_VALUE",
            name="options.family",
            value=family,
            reason="must be one of: 0, 4, 6",
        )
    lookup = options.get("lookup")
    if lookup is not None:
        validate_function(lookup, "options.lookup")
    host = options.get("host") or "localhost"
    if not isinstance(host, str):
        raise coded("ERR_INVALID_ARG_TYPE", name="options.host", expected="string", value=host)
    hints = options.get("hints") or 0
    if not isinstance(hints, int) or isinstance(hints, bool):
        raise coded("ERR_INVALID_ARG_TYPE", name="options.hints", expected="number", value=hints)
    if lookup is None and not is_ip(host) and hints & ~_VALID_HINTS:
        # Node's dns.lookup checks the hints before resolving, so connect() throws.
        raise coded("ERR_INVALID_ARG_VALUE", name="hints", value=hints)
    if options.get("autoSelectFamily") is not None:
        validate_boolean(options["autoSelectFamily"], "options.autoSelectFamily")
    attempt_timeout = options.get("autoSelectFamilyAttemptTimeout")
    attempt_s = 0.25
    if attempt_timeout is not None:
        validate_number(attempt_timeout, "options.autoSelectFamilyAttemptTimeout", 1)
        attempt_s = max(float(attempt_timeout), 10.0) / 1000
    auto = options.get("autoSelectFamily")
    return (
        ConnectConfig(
            port=checked_port,
            host=host,
            local_address=local_address or None,
            local_port=int(local_port) if local_port else None,
            family=family_num,
            hints=int(hints),
            lookup=lookup,
            timeout_ms=timeout_ms,
            no_delay=None if no_delay is None else bool(no_delay),
            keep_alive=None if keep_alive is None else bool(keep_alive),
            keep_alive_initial_delay_s=delay_s,
            auto_select_family=True if auto is None else bool(auto),
            attempt_timeout_s=attempt_s,
        ),
        callback,
    )


# --- Socket(options) -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SocketConfig:
    fd: int | None = None
    allow_half_open: bool = False
    readable: bool | None = None
    writable: bool | None = None
    no_delay: bool = False
    keep_alive: bool = False
    keep_alive_initial_delay_s: int = 0
    high_water_mark: int | None = None
    pause_on_create: bool = False


def parse_socket_options(options: object, kwargs: Mapping[str, Any]) -> SocketConfig:
    if isinstance(options, int) and not isinstance(options, bool):
        options = {"fd": options}  # Node's legacy ``new net.Socket(fd)``
    if options is None:
        merged = merge_options(None, kwargs)
    elif isinstance(options, Mapping):
        merged = merge_options(options, kwargs)
    elif isinstance(options, int) and not isinstance(options, bool):
        merged = merge_options({"fd": options}, kwargs)  # Node's legacy Socket(fd)
    else:
        raise coded("ERR_INVALID_ARG_TYPE", name="options", expected="object", value=options)
    fd = merged.get("fd")
    if fd is not None:
        # Node's createHandle: validateInt32(fd, 'fd', 0).
        fd = validate_int32(fd, "fd", 0)
    delay = merged.get("keepAliveInitialDelay")
    delay_s = (
        max(0, int(delay // 1000))
        if isinstance(delay, (int, float)) and math.isfinite(delay)
        else 0
    )
    hwm = merged.get("highWaterMark")
    if hwm is not None:
        # Node's stream getHighWaterMark: a non-negative integer, else ERR_INVALID_ARG_VALUE.
        whole = isinstance(hwm, int) or (isinstance(hwm, float) and hwm.is_integer())
        if isinstance(hwm, bool) or not whole or hwm < 0:
            raise coded("ERR_INVALID_ARG_VALUE", name="options.highWaterMark", value=hwm)
        hwm = int(hwm)
    readable = merged.get("readable")
    writable = merged.get("writable")
    return SocketConfig(
        fd=fd,
        allow_half_open=bool(merged.get("allowHalfOpen", False)),
        readable=None if readable is None else bool(readable),
        writable=None if writable is None else bool(writable),
        no_delay=bool(merged.get("noDelay", False)),
        keep_alive=bool(merged.get("keepAlive", False)),
        keep_alive_initial_delay_s=delay_s,
        high_water_mark=hwm,
    )
