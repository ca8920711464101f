"""Node's error objects: coded argument and state errors, and system errors.

How it works:
- ``coded(code, **details)`` builds the exception Node throws for an ``ERR_*`` code: the class
  comes from Node's (TypeError -> ``NodeTypeError``, RangeError -> ``NodeValueError``, plain
  Error -> ``NodeError``) and the message is Node v20's wording, with Python values where Node
  shows JS ones (``Received type str ('abc')``, ``Received None``, ``an instance of dict``).
- ``ERR_INVALID_ARG_VALUE``, ``ERR_UNKNOWN_ENCODING`` and ``ERR_INVALID_IP_ADDRESS`` are
  TypeErrors in Node but describe a bad value, so they are both ``TypeError`` and ``ValueError``.
- ``NetError`` is Node's system error. ``str()`` follows the three shapes Node uses:
  ``connect ECONNREFUSED 127.0.0.1:1`` (most syscalls, optionally ``- Local (addr:port)``),
  ``listen EADDRINUSE: address already in use :::8124`` (``listen`` adds libuv's description)
  and ``getaddrinfo ENOTFOUND host`` (DNS syscalls name the host instead of address:port).
- ``host:port`` is shown only for a port above 0, otherwise the address alone; IPv6 hosts are
  not bracketed.
- ``errno`` is positive (Python's convention, Node's is negative). DNS errors use libuv's
  numbers (3000 + n); ``EAI_NONAME`` and ``EAI_NODATA`` get the code ``ENOTFOUND``, as Node does.
- A ``NetError`` whose errno Python maps to a builtin ``OSError`` subclass is also an instance
  of it (``ECONNREFUSED`` is a ``ConnectionRefusedError``, ``ETIMEDOUT`` a ``TimeoutError``), as
  ``OSError(errno, ...)`` would be; its class is still named ``NetError``.
- ``system_error()`` reads only errnos (never a backend's message), walking ``__cause__``,
  ``__context__`` and exception groups, since AnyIO wraps the real ``OSError``.
"""

from __future__ import annotations

import errno as _errno
import inspect
import os
import socket
import string
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TypeAlias, cast

__all__ = [
    "CodedError",
    "NetError",
    "NodeError",
    "NodeTypeError",
    "NodeTypeValueError",
    "NodeValueError",
    "TimeoutOverflowWarning",
    "coded",
    "describe_value",
    "system_error",
]


# --------------------------------------------------------------------------- coded errors


class CodedError(Exception):
    """An exception carrying one of Node's ``ERR_*`` codes in ``.code``."""

    code: str

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, code={self.code!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_coded, (type(self), str(self), self.code), self.__dict__)


def _rebuild_coded(cls: type[CodedError], message: str, code: str) -> CodedError:
    return cls(message, code=code)


class NodeTypeError(CodedError, TypeError):
    """Node's ``TypeError`` with a code (e.g. ``ERR_INVALID_ARG_TYPE``)."""


class NodeValueError(CodedError, ValueError):
    """Node's ``RangeError`` with a code (e.g. ``ERR_SOCKET_BAD_PORT``)."""


class NodeTypeValueError(CodedError, TypeError, ValueError):
    """A ``TypeError`` in Node that describes a bad value (e.g. ``ERR_INVALID_ARG_VALUE``)."""


class NodeError(CodedError, RuntimeError):
    """Node's plain ``Error`` with a code (e.g. ``ERR_SERVER_ALREADY_LISTEN``)."""


class TimeoutOverflowWarning(RuntimeWarning):
    """A timer duration did not fit in 32 bits and was truncated (Node's warning name)."""


# Node's lowercase type names that ERR_INVALID_ARG_TYPE lists as "of type ...".
_JS_TYPES: Final = frozenset(
    {"string", "function", "number", "object", "Function", "Object", "boolean", "bigint", "symbol"}
)
# Values shown as "type <name> (<repr>)", as Node shows its primitives.
_PRIMITIVES: Final = (str, bool, int, float, complex)


def _show(value: object) -> str:
    """``repr(value)``, also for ints too long for Python's int-to-str limit."""
    try:
        return repr(value)
    except ValueError:  # int past sys.get_int_max_str_digits()
        assert isinstance(value, int)
        return f"<{value.bit_length()}-bit integer>"


def _is_class_name(word: str) -> bool:
    """Whether ``word`` looks like a constructor name (``Buffer``, ``TypedArray``, ``B2``)."""
    if not word or not ("A" <= word[0] <= "Z"):
        return False
    return all(c.isascii() and c.isalnum() for c in word)


def describe_value(value: object) -> str:
    """Describe a received value the way Node's messages do, in Python terms.

    ``None`` -> ``None``; a function or class -> ``function name``; ``str``, ``bool``, numbers
    -> ``type str ('abc')`` (a string longer than 28 characters is cut to 25 plus ``...``
    before its repr is taken); anything else -> ``an instance of <class name>``.
    """
    if value is None:
        return "None"
    if isinstance(value, str):
        text = value[:25] + "..." if len(value) > 28 else value
        return f"type {type(value).__name__} ({text!r})"
    if isinstance(value, _PRIMITIVES):
        return f"type {type(value).__name__} ({_show(value)})"
    if isinstance(value, type) or inspect.isroutine(value):
        # JS classes are functions too.
        return f"function {getattr(value, '__name__', '')}"
    return f"an instance of {type(value).__name__}"


def _join(words: Sequence[str], word_if_two: str = "or") -> str:
    """``a``, ``a or b``, ``a, b, or c`` (Node's list style)."""
    if len(words) > 2:
        return f"{', '.join(words[:-1])}, {word_if_two} {words[-1]}"
    return f" {word_if_two} ".join(words)


def _invalid_arg_type(name: str, expected: str | Sequence[str], value: object) -> str:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    if name.endswith(" argument"):
        text = f"The {name} must be "
    else:
        kind = "property" if "." in name else "argument"
        text = f'The "{name}" {kind} must be '
    types = [w.lower() for w in wanted if w in _JS_TYPES]
    instances = [w for w in wanted if w not in _JS_TYPES and _is_class_name(w)]
    others = [w for w in wanted if w not in _JS_TYPES and not _is_class_name(w)]
    if instances and "object" in types:
        # With classes listed, a plain object is spelled as one more class.
        types.remove("object")
        instances.append("Object")
    parts: list[str] = []
    if types:
        parts.append(("one of type " if len(types) > 1 else "of type ") + _join(types))
    if instances:
        parts.append("an instance of " + _join(instances))
    if others:
        if len(others) > 1:
            parts.append("one of " + _join(others))
        else:
            parts.append(("an " if others[0].lower() != others[0] else "") + others[0])
    return f"{text}{' or '.join(parts)}. Received {describe_value(value)}"


def _invalid_arg_value(name: str, value: object, reason: str = "is invalid") -> str:
    shown = _show(value)
    if len(shown) > 128:
        shown = shown[:128] + "..."
    kind = "property" if "." in name else "argument"
    return f"The {kind} '{name}' {reason}. Received {shown}"


def _out_of_range(name: str, range: str, value: object) -> str:
    shown = _show(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "<" not in shown:
        is_integer = isinstance(value, int) or value.is_integer()
        if is_integer and abs(value) > 2**32:
            # Node groups the digits of big integers with underscores.
            shown = f"{int(value):_}"
    return f'The value of "{name}" is out of range. It must be {range}. Received {shown}'


def _bad_port(value: object, name: str = "Port", allow_zero: bool = True) -> str:
    operator = ">=" if allow_zero else ">"
    return f"{name} should be {operator} 0 and < 65536. Received {describe_value(value)}."


def _missing_args(names: Sequence[str | Sequence[str]]) -> str:
    if not names:
        raise TypeError("ERR_MISSING_ARGS needs at least one name")
    quoted = [
        f'"{n}"' if isinstance(n, str) else " or ".join(f'"{alt}"' for alt in n) for n in names
    ]
    if len(quoted) == 1:
        listed = f"{quoted[0]} argument"
    elif len(quoted) == 2:
        listed = f"{quoted[0]} and {quoted[1]} arguments"
    else:
        listed = f"{', '.join(quoted[:-1])}, and {quoted[-1]} arguments"
    return f"The {listed} must be specified"


_NOTHING: Final = object()


def _unhandled(err: object = _NOTHING) -> str:
    if err is _NOTHING:
        return "Unhandled error."
    return f"Unhandled error. ({err!r})"


Template: TypeAlias = "str | Callable[..., str]"

_CODES: dict[str, tuple[type[CodedError], Template]] = {
    "ERR_INVALID_ARG_TYPE": (NodeTypeError, _invalid_arg_type),
    "ERR_INVALID_ARG_VALUE": (NodeTypeValueError, _invalid_arg_value),
    "ERR_OUT_OF_RANGE": (NodeValueError, _out_of_range),
    "ERR_SOCKET_BAD_PORT": (NodeValueError, _bad_port),
    "ERR_SERVER_ALREADY_LISTEN": (
        NodeError,
        "Listen method has been called more than once without closing.",
    ),
    "ERR_SERVER_NOT_RUNNING": (NodeError, "Server is not running."),
    "ERR_STREAM_WRITE_AFTER_END": (NodeError, "write after end"),
    "ERR_STREAM_DESTROYED": (NodeError, "Cannot call {method} after a stream was destroyed"),
    "ERR_STREAM_NULL_VALUES": (NodeTypeError, "May not write null values to stream"),
    "ERR_STREAM_PUSH_AFTER_EOF": (NodeError, "stream.push() after EOF"),
    "ERR_STREAM_UNSHIFT_AFTER_END_EVENT": (NodeError, "stream.unshift() after end event"),
    "ERR_STREAM_ALREADY_FINISHED": (NodeError, "Cannot call {method} after a stream was finished"),
    "ERR_STREAM_PREMATURE_CLOSE": (NodeError, "Premature close"),
    "ERR_STREAM_CANNOT_PIPE": (NodeError, "Cannot pipe, not readable"),
    "ERR_MULTIPLE_CALLBACK": (NodeError, "Callback called multiple times"),
    "ERR_SOCKET_CLOSED": (NodeError, "Socket is closed"),
    "ERR_SOCKET_CLOSED_BEFORE_CONNECTION": (
        NodeError,
        "Socket closed before the connection was established",
    ),
    "ERR_SOCKET_CONNECTION_TIMEOUT": (NodeError, "Socket connection timeout"),
    "ERR_INVALID_IP_ADDRESS": (NodeTypeValueError, "Invalid IP address: {value}"),
    "ERR_INVALID_ADDRESS_FAMILY": (
        NodeValueError,
        "Invalid address family: {family} {host}:{port}",
    ),
    "ERR_MISSING_ARGS": (NodeTypeError, _missing_args),
    "ERR_UNKNOWN_ENCODING": (NodeTypeValueError, "Unknown encoding: {encoding}"),
    "ERR_INVALID_FD_TYPE": (NodeTypeError, "Unsupported fd type: {value}"),
    "ERR_INVALID_HANDLE_TYPE": (NodeTypeError, "This handle type cannot be sent"),
    "ERR_UNHANDLED_ERROR": (NodeError, _unhandled),
    "ERR_INVALID_THIS": (NodeTypeError, 'Value of "this" must be of type {type}'),
    "ERR_METHOD_NOT_IMPLEMENTED": (NodeError, "The {method} method is not implemented"),
}


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def coded(code: str, **details: object) -> CodedError:
    """Build the exception Node raises for ``code``, with Node's class and message.

    Args:
        code: An ``ERR_*`` code from ``_CODES``.
        **details: The values the message names. By code: ``ERR_INVALID_ARG_TYPE``: ``name``,
            ``expected`` (Node's type names, a string or a list), ``value``;
            ``ERR_INVALID_ARG_VALUE``: ``name``, ``value``, optional ``reason``;
            ``ERR_OUT_OF_RANGE``: ``name``, ``range``, ``value``; ``ERR_SOCKET_BAD_PORT``:
            ``value``, optional ``name`` (``"Port"``) and ``allow_zero``;
            ``ERR_STREAM_DESTROYED`` / ``ERR_STREAM_ALREADY_FINISHED`` /
            ``ERR_METHOD_NOT_IMPLEMENTED``: ``method``; ``ERR_INVALID_IP_ADDRESS`` /
            ``ERR_INVALID_FD_TYPE``: ``value``; ``ERR_UNKNOWN_ENCODING``: ``encoding``;
            ``ERR_INVALID_THIS``:
            ``type``; ``ERR_MISSING_ARGS``: ``names`` (each a name or a list of alternatives);
            ``ERR_UNHANDLED_ERROR``: optional ``err``. Other codes take none.

    Returns:
        The exception, to be raised by the caller.

    Raises:
        KeyError: ``code`` is not in the table.
        TypeError: the details do not fit the code's message.

    Node: ``new codes[code](...)`` in ``lib/internal/errors.js``
    """
    cls, template = _CODES[code]
    if isinstance(template, str):
        wanted = _fields(template)
        if set(details) != wanted:
            raise TypeError(f"{code} takes details {sorted(wanted)}, got {sorted(details)}")
        message = template.format(**details)
    else:
        message = template(**details)
    return cls(message, code=code)


def invalid_address_family(family: object, host: str, port: int) -> CodedError:
    """Node's ``ERR_INVALID_ADDRESS_FAMILY`` (a lookup answered with an unknown family).

    Like Node's, the error also carries ``host`` and ``port``.
    """
    err = coded("ERR_INVALID_ADDRESS_FAMILY", family=family, host=host, port=port)
    setattr(err, "host", host)
    setattr(err, "port", port)
    return err


# --------------------------------------------------------------------------- system errors

# libuv's descriptions (what Node prints after "listen EADDRINUSE:"), by code name.
_DESCRIPTIONS: Final[dict[str, str]] = {
    "E2BIG": "argument list too long",
    "EACCES": "permission denied",
    "EADDRINUSE": "address already in use",
    "EADDRNOTAVAIL": "address not available",
    "EAFNOSUPPORT": "address family not supported",
    "EAGAIN": "resource temporarily unavailable",
    "EALREADY": "connection already in progress",
    "EBADF": "bad file descriptor",
    "EBUSY": "resource busy or locked",
    "ECANCELED": "operation canceled",
    "ECONNABORTED": "software caused connection abort",
    "ECONNREFUSED": "connection refused",
    "ECONNRESET": "connection reset by peer",
    "EDESTADDRREQ": "destination address required",
    "EEXIST": "file already exists",
    "EFAULT": "bad address in system call argument",
    "EFBIG": "file too large",
    "EHOSTDOWN": "host is down",
    "EHOSTUNREACH": "host is unreachable",
    "EILSEQ": "illegal byte sequence",
    "EINTR": "interrupted system call",
    "EINVAL": "invalid argument",
    "EIO": "i/o error",
    "EISCONN": "socket is already connected",
    "EISDIR": "illegal operation on a directory",
    "ELOOP": "too many symbolic links encountered",
    "EMFILE": "too many open files",
    "EMLINK": "too many links",
    "EMSGSIZE": "message too long",
    "ENAMETOOLONG": "name too long",
    "ENETDOWN": "network is down",
    "ENETUNREACH": "network is unreachable",
    "ENFILE": "file table overflow",
    "ENOBUFS": "no buffer space available",
    "ENODATA": "no data available",
    "ENODEV": "no such device",
    "ENOENT": "no such file or directory",
    "ENOMEM": "not enough memory",
    "ENONET": "machine is not on the network",
    "ENOPROTOOPT": "protocol not available",
    "ENOSPC": "no space left on device",
    "ENOSYS": "function not implemented",
    "ENOTCONN": "socket is not connected",
    "ENOTDIR": "not a directory",
    "ENOTEMPTY": "directory not empty",
    "ENOTSOCK": "socket operation on non-socket",
    "ENOTSUP": "operation not supported on socket",
    "ENOTTY": "inappropriate ioctl for device",
    "ENXIO": "no such device or address",
    "EOVERFLOW": "value too large for defined data type",
    "EPERM": "operation not permitted",
    "EPIPE": "broken pipe",
    "EPROTO": "protocol error",
    "EPROTONOSUPPORT": "protocol not supported",
    "EPROTOTYPE": "protocol wrong type for socket",
    "ERANGE": "result too large",
    "EREMOTEIO": "remote I/O error",
    "EROFS": "read-only file system",
    "ESHUTDOWN": "cannot send after transport endpoint shutdown",
    "ESOCKTNOSUPPORT": "socket type not supported",
    "ESPIPE": "invalid seek",
    "ESRCH": "no such process",
    "ETIMEDOUT": "connection timed out",
    "ETXTBSY": "text file is busy",
    "EUNATCH": "protocol driver not attached",
    "EXDEV": "cross-device link not permitted",
    "EAI_ADDRFAMILY": "address family not supported",
    "EAI_AGAIN": "temporary failure",
    "EAI_BADFLAGS": "bad ai_flags value",
    "EAI_BADHINTS": "invalid value for hints",
    "EAI_CANCELED": "request canceled",
    "EAI_FAIL": "permanent failure",
    "EAI_FAMILY": "ai_family not supported",
    "EAI_MEMORY": "out of memory",
    "EAI_NODATA": "no address",
    "EAI_NONAME": "unknown node or service",
    "EAI_OVERFLOW": "argument buffer overflow",
    "EAI_PROTOCOL": "resolved protocol is unknown",
    "EAI_SERVICE": "service not available for socket type",
    "EAI_SOCKTYPE": "socket type not supported",
}

# libuv's resolver error numbers (Node shows them negated: ENOTFOUND is -3008).
_EAI_ERRNOS: Final[dict[int, str]] = {
    3000: "EAI_ADDRFAMILY",
    3001: "EAI_AGAIN",
    3002: "EAI_BADFLAGS",
    3003: "EAI_CANCELED",
    3004: "EAI_FAIL",
    3005: "EAI_FAMILY",
    3006: "EAI_MEMORY",
    3007: "EAI_NODATA",
    3008: "EAI_NONAME",
    3009: "EAI_OVERFLOW",
    3010: "EAI_SERVICE",
    3011: "EAI_SOCKTYPE",
    3013: "EAI_BADHINTS",
    3014: "EAI_PROTOCOL",
}
_EAI_BY_NAME: Final = {name: number for number, name in _EAI_ERRNOS.items()}
EAI_NONAME: Final = 3008
EAI_NODATA: Final = 3007
EAI_FAIL: Final = 3004

# The host's getaddrinfo codes (socket.EAI_*) translated to libuv's numbers.
_GAI_TO_UV: Final[dict[int, int]] = {
    value: _EAI_BY_NAME[name]
    for name in _EAI_BY_NAME
    if isinstance(value := getattr(socket, name, None), int)
}

# Node's message names the host for DNS failures instead of address:port.
_DNS_SYSCALLS: Final = frozenset({"getaddrinfo", "getnameinfo"})
# Node adds libuv's description after the code only for these.
_DESCRIBED_SYSCALLS: Final = frozenset({"listen"})


def _is_dns_syscall(syscall: str) -> bool:
    return syscall in _DNS_SYSCALLS or syscall.startswith("query")


def _errno_name(number: int) -> str:
    if number in _EAI_ERRNOS:
        return _EAI_ERRNOS[number]
    name = _errno.errorcode.get(number)
    return name if name is not None else f"Unknown system error {-number}"


def _default_code(number: int) -> str:
    if number in (EAI_NONAME, EAI_NODATA):
        return "ENOTFOUND"
    return _errno_name(number)


def _description(number: int) -> str:
    name = _errno_name(number)
    if name in _DESCRIPTIONS:
        return _DESCRIPTIONS[name]
    return os.strerror(number) if number > 0 else "unknown error"


_FLAVOURS: dict[type[OSError], type[NetError]] = {}


def _flavour(number: int) -> type[NetError]:
    """The NetError subclass that is also the builtin OSError subclass for ``number``."""
    builtin = type(OSError(number, ""))
    if builtin is OSError:
        return NetError
    if builtin not in _FLAVOURS:
        namespace = {"__module__": __name__, "__qualname__": "NetError"}
        # type() returns a plain `type`; it is a NetError subclass by construction.
        _FLAVOURS[builtin] = cast(
            "type[NetError]", type("NetError", (NetError, builtin), namespace)
        )
    return _FLAVOURS[builtin]


class NetError(OSError):
    """Node's system error: a failed syscall, with Node's fields and message.

    Args:
        errno: The error number (``errno.ECONNREFUSED``; libuv's 3000-range numbers for DNS
            failures, e.g. 3008 for ``ENOTFOUND``). Stored positive; Node's negative form is
            accepted.
        syscall: ``"connect"``, ``"listen"``, ``"getaddrinfo"``, ``"read"``, ``"write"``...
        address: The remote address (or Unix socket path), if any.
        port: The remote port, if any.
        code: Overrides the code derived from ``errno`` (``errno.errorcode`` or libuv's name).
        hostname: The host name a DNS lookup failed for.
        local_address: The local address of a failed connect.
        local_port: The local port of a failed connect.

    Attributes are ``None`` when absent. ``strerror`` is libuv's description
    (``"connection refused"``).

    Node: ``ExceptionWithHostPort``, ``UVExceptionWithHostPort``, ``DNSException``
    """

    code: str
    syscall: str
    address: str | None
    port: int | None
    hostname: str | None
    local_address: str | None
    local_port: int | None

    def __new__(
        cls,
        errno: int,
        syscall: str,
        address: str | None = None,
        port: int | None = None,
        **_kwargs: object,
    ) -> NetError:
        errno = abs(errno)
        if cls is NetError:
            cls = _flavour(errno)
        return super().__new__(cls, errno, _description(errno))

    def __init__(
        self,
        errno: int,
        syscall: str,
        address: str | None = None,
        port: int | None = None,
        *,
        code: str | None = None,
        hostname: str | None = None,
        local_address: str | None = None,
        local_port: int | None = None,
    ) -> None:
        errno = abs(errno)  # Node's negative numbers are taken too
        super().__init__(errno, _description(errno))
        self.code = code if code is not None else _default_code(errno)
        self.syscall = syscall
        self.address = address
        self.port = port
        self.hostname = hostname
        self.local_address = local_address
        self.local_port = local_port

    def __str__(self) -> str:
        if _is_dns_syscall(self.syscall):
            host = f" {self.hostname}" if self.hostname else ""
            return f"{self.syscall} {self.code}{host}"
        text = f"{self.syscall} {self.code}"
        if self.syscall in _DESCRIBED_SYSCALLS:
            text += f": {self.strerror}"
        if self.port is not None and self.port > 0 and self.address is not None:
            text += f" {self.address}:{self.port}"
        elif self.address:
            text += f" {self.address}"
        if self.local_address and self.local_port:
            text += f" - Local ({self.local_address}:{self.local_port})"
        return text

    def __repr__(self) -> str:
        return f"NetError({str(self)!r}, code={self.code!r}, errno={self.errno!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        keywords = {
            "code": self.code,
            "hostname": self.hostname,
            "local_address": self.local_address,
            "local_port": self.local_port,
        }
        return (
            _rebuild_net_error,
            (self.errno, self.syscall, self.address, self.port, keywords),
            self.__dict__,
        )


def _rebuild_net_error(
    number: int, syscall: str, address: str | None, port: int | None, keywords: dict[str, Any]
) -> NetError:
    return NetError(number, syscall, address, port, **keywords)


# Exceptions that carry no errno but name the failure by their class.
_BY_CLASS: Final[tuple[tuple[type[OSError], int], ...]] = (
    (ConnectionRefusedError, _errno.ECONNREFUSED),
    (ConnectionResetError, _errno.ECONNRESET),
    (ConnectionAbortedError, _errno.ECONNABORTED),
    (BrokenPipeError, _errno.EPIPE),
    (TimeoutError, _errno.ETIMEDOUT),
    (FileNotFoundError, _errno.ENOENT),
    (PermissionError, _errno.EACCES),
)
# With nothing better to go on, a broken stream means the peer went away.
_BY_SYSCALL: Final = {"read": _errno.ECONNRESET, "write": _errno.EPIPE, "shutdown": _errno.EPIPE}
# AnyIO's and Trio's stream errors, recognised by name to stay free of imports.
_STREAM_ERRORS: Final = frozenset({"BrokenResourceError", "ClosedResourceError"})


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, then its group members, its cause and its context, depth first, once each."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nexts: list[BaseException] = list(getattr(current, "exceptions", ()) or ())
        if current.__cause__ is not None:
            nexts.append(current.__cause__)
        elif current.__context__ is not None and not current.__suppress_context__:
            nexts.append(current.__context__)
        stack.extend(reversed([e for e in nexts if isinstance(e, BaseException)]))


def _is_stream_error(exc: BaseException) -> bool:
    return any(cls.__name__ in _STREAM_ERRORS for cls in type(exc).__mro__)


def _dns_error(
    exc: socket.gaierror, syscall: str, hostname: str | None, address: str | None
) -> NetError:
    # No errno at all: the usual failure, the name did not resolve.
    number = EAI_NONAME if exc.errno is None else _GAI_TO_UV.get(exc.errno, EAI_FAIL)
    if not _is_dns_syscall(syscall):
        syscall = "getaddrinfo"
    return NetError(number, syscall, hostname=hostname if hostname is not None else address)


def system_error(
    exc: BaseException,
    syscall: str,
    address: str | None = None,
    port: int | None = None,
    *,
    hostname: str | None = None,
    local_address: str | None = None,
    local_port: int | None = None,
) -> NetError:
    """Translate a backend's exception into Node's system error, from its errno only.

    Looks through ``exc``, exception-group members, ``__cause__`` and ``__context__`` for the
    first ``socket.gaierror`` or ``OSError`` with an errno. Failing that: a
    ``ConnectionResetError``/``BrokenPipeError``/``TimeoutError``... without errno gives the
    errno its class stands for; a broken stream (``OSError``, AnyIO's or Trio's
    ``BrokenResourceError``) gives ``ECONNRESET`` for ``read`` and ``EPIPE`` for ``write``.

    Args:
        exc: The exception the backend raised. A ``NetError`` is returned unchanged.
        syscall: Node's syscall name for the failed operation. A ``gaierror`` always gives a
            DNS syscall (``getaddrinfo`` unless ``syscall`` already is one).
        address: Remote address or socket path, for the message. Dropped for DNS failures.
        port: Remote port, for the message. Dropped for DNS failures.
        hostname: The host name looked up (DNS failures; defaults to ``address``).
        local_address: Local address of a failed connect.
        local_port: Local port of a failed connect.

    Returns:
        The ``NetError`` to emit.

    Raises:
        BaseException: ``exc`` itself, when nothing in it identifies a system error (a bug is
            never disguised as a network failure).
    """
    if isinstance(exc, NetError):
        return exc
    chain = list(_chain(exc))
    number: int | None = None
    for candidate in chain:
        if isinstance(candidate, NetError):
            return candidate
        if isinstance(candidate, socket.gaierror):
            return _dns_error(candidate, syscall, hostname, address)
        if isinstance(candidate, OSError) and isinstance(candidate.errno, int) and candidate.errno:
            number = abs(candidate.errno)
            break
    if number is None:
        number = _fallback_errno(chain, syscall)
    if number is None:
        raise exc
    return NetError(
        number,
        syscall,
        address,
        port,
        hostname=hostname,
        local_address=local_address,
        local_port=local_port,
    )


def _fallback_errno(chain: list[BaseException], syscall: str) -> int | None:
    for candidate in chain:
        for cls, number in _BY_CLASS:
            if isinstance(candidate, cls):
                return number
    broken = any(isinstance(c, OSError) or _is_stream_error(c) for c in chain)
    if broken:
        return _BY_SYSCALL.get(syscall)
    return None
