"""Coded errors, NetError and system_error: classes, codes and Node's exact messages.

The messages in the tables were produced by node v20 (``internal/errors`` and real failed
connects/listens) and rewritten for Python values; the needs_node tests ask node again.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

from anyio_net._errors import (
    _CODES,
    CodedError,
    NetError,
    NodeError,
    NodeTypeError,
    NodeTypeValueError,
    NodeValueError,
    coded,
    describe_value,
    system_error,
)

if sys.version_info < (3, 11):  # pragma: no cover - the builtin arrived in 3.11
    from exceptiongroup import ExceptionGroup  # type: ignore[import-not-found, unused-ignore]

# -- coded errors ----------------------------------------------------------------------------

# code -> (details, Node's class, message)
CODED: dict[str, tuple[dict[str, Any], str, str]] = {
    "ERR_INVALID_ARG_TYPE": (
        {"name": "port", "expected": ["number", "string"], "value": "abc"},
        "TypeError",
        "The \"port\" argument must be one of type number or string. Received type str ('abc')",
    ),
    "ERR_INVALID_ARG_VALUE": (
        {"name": "options", "value": {}, "reason": 'must have the property "port" or "path"'},
        "TypeError",
        'The argument \'options\' must have the property "port" or "path". Received {}',
    ),
    "ERR_OUT_OF_RANGE": (
        {"name": "msecs", "range": "a non-negative finite number", "value": -1},
        "RangeError",
        'The value of "msecs" is out of range. It must be a non-negative finite number. '
        "Received -1",
    ),
    "ERR_SOCKET_BAD_PORT": (
        {"name": "options.port", "value": 65536},
        "RangeError",
        "options.port should be >= 0 and < 65536. Received type int (65536).",
    ),
    "ERR_SERVER_ALREADY_LISTEN": (
        {},
        "Error",
        "Listen method has been called more than once without closing.",
    ),
    "ERR_SERVER_NOT_RUNNING": ({}, "Error", "Server is not running."),
    "ERR_STREAM_WRITE_AFTER_END": ({}, "Error", "write after end"),
    "ERR_STREAM_DESTROYED": (
        {"method": "write"},
        "Error",
        "Cannot call write after a stream was destroyed",
    ),
    "ERR_STREAM_NULL_VALUES": ({}, "TypeError", "May not write null values to stream"),
    "ERR_STREAM_PUSH_AFTER_EOF": ({}, "Error", "stream.push() after EOF"),
    "ERR_STREAM_UNSHIFT_AFTER_END_EVENT": ({}, "Error", "stream.unshift() after end event"),
    "ERR_STREAM_ALREADY_FINISHED": (
        {"method": "end"},
        "Error",
        "Cannot call end after a stream was finished",
    ),
    "ERR_STREAM_PREMATURE_CLOSE": ({}, "Error", "Premature close"),
    "ERR_STREAM_CANNOT_PIPE": ({}, "Error", "Cannot pipe, not readable"),
    "ERR_MULTIPLE_CALLBACK": ({}, "Error", "Callback called multiple times"),
    "ERR_SOCKET_CLOSED": ({}, "Error", "Socket is closed"),
    "ERR_SOCKET_CLOSED_BEFORE_CONNECTION": (
        {},
        "Error",
        "Socket closed before the connection was established",
    ),
    "ERR_SOCKET_CONNECTION_TIMEOUT": ({}, "Error", "Socket connection timeout"),
    "ERR_INVALID_IP_ADDRESS": ({"value": "abc"}, "TypeError", "Invalid IP address: abc"),
    "ERR_INVALID_ADDRESS_FAMILY": (
        {"family": 100, "host": "localhost", "port": 0},
        "RangeError",
        "Invalid address family: 100 localhost:0",
    ),
    "ERR_MISSING_ARGS": (
        {"names": [["options", "port", "path"]]},
        "TypeError",
        'The "options" or "port" or "path" argument must be specified',
    ),
    "ERR_UNKNOWN_ENCODING": ({"encoding": "nope"}, "TypeError", "Unknown encoding: nope"),
    "ERR_INVALID_FD_TYPE": ({"value": "UNKNOWN"}, "TypeError", "Unsupported fd type: UNKNOWN"),
    "ERR_INVALID_HANDLE_TYPE": ({}, "TypeError", "This handle type cannot be sent"),
    "ERR_UNHANDLED_ERROR": ({"err": "x"}, "Error", "Unhandled error. ('x')"),
    "ERR_INVALID_THIS": ({"type": "Socket"}, "TypeError", 'Value of "this" must be of type Socket'),
    "ERR_METHOD_NOT_IMPLEMENTED": (
        {"method": "_read"},
        "Error",
        "The _read method is not implemented",
    ),
}

# Codes Node throws as TypeError although they describe a bad value.
_VALUE_TYPE_ERRORS = {"ERR_INVALID_ARG_VALUE", "ERR_UNKNOWN_ENCODING", "ERR_INVALID_IP_ADDRESS"}


def test_the_table_covers_every_code() -> None:
    assert set(CODED) == set(_CODES)
    assert len(_CODES) == 27


@pytest.mark.parametrize("code", sorted(CODED))
def test_coded_builds_nodes_class_and_message(code: str) -> None:
    details, node_class, message = CODED[code]
    exc = coded(code, **details)
    assert exc.code == code
    assert str(exc) == message
    assert isinstance(exc, CodedError)
    if code in _VALUE_TYPE_ERRORS:
        assert type(exc) is NodeTypeValueError
        assert isinstance(exc, TypeError)
        assert isinstance(exc, ValueError)
    elif node_class == "TypeError":
        assert type(exc) is NodeTypeError
        assert isinstance(exc, TypeError)
        assert not isinstance(exc, ValueError)
    elif node_class == "RangeError":
        assert type(exc) is NodeValueError
        assert isinstance(exc, ValueError)
        assert not isinstance(exc, TypeError)
    else:
        assert type(exc) is NodeError
        assert isinstance(exc, RuntimeError)
        assert not isinstance(exc, (TypeError, ValueError))


@pytest.mark.parametrize("code", sorted(CODED))
def test_coded_errors_survive_pickling(code: str) -> None:
    details, _, message = CODED[code]
    exc = coded(code, **details)
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc)
    assert copy.code == code
    assert str(copy) == message


def test_repr_shows_the_code() -> None:
    exc = coded("ERR_SOCKET_CLOSED")
    assert repr(exc) == "NodeError('Socket is closed', code='ERR_SOCKET_CLOSED')"
    assert "ERR_SOCKET_BAD_PORT" in repr(coded("ERR_SOCKET_BAD_PORT", value=-1))


def test_coded_error_can_be_raised_and_caught_the_python_way() -> None:
    with pytest.raises(ValueError, match="Port should be"):
        raise coded("ERR_SOCKET_BAD_PORT", value=-1)
    with pytest.raises(TypeError):
        raise coded("ERR_INVALID_IP_ADDRESS", value="x")
    with pytest.raises(ValueError):
        raise coded("ERR_INVALID_IP_ADDRESS", value="x")


def test_unknown_code_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        coded("ERR_NOPE")


@pytest.mark.parametrize(
    ("code", "details"),
    [
        ("ERR_SOCKET_CLOSED", {"value": 1}),
        ("ERR_STREAM_DESTROYED", {}),
        ("ERR_STREAM_DESTROYED", {"method": "write", "extra": 1}),
        ("ERR_INVALID_ARG_TYPE", {"name": "x"}),
        ("ERR_OUT_OF_RANGE", {"name": "x", "value": 1}),
        ("ERR_MISSING_ARGS", {"names": []}),
    ],
)
def test_details_that_do_not_fit_the_message_are_a_type_error(
    code: str, details: dict[str, Any]
) -> None:
    with pytest.raises(TypeError) as caught:
        coded(code, **details)
    assert not isinstance(caught.value, CodedError)


def _function() -> None: ...


class _Thing:
    pass


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "None"),
        ("abc", "type str ('abc')"),
        ("it's", 'type str ("it\'s")'),
        ("a" * 28, "type str ('" + "a" * 28 + "')"),  # 28 characters: shown whole
        ("a" * 29, "type str ('" + "a" * 25 + "...')"),
        ("it's" * 10, "type str (\"it'sit'sit'sit'sit'sit'si...\")"),
        ("a\n", "type str ('a\\n')"),  # Python escapes what Node would print raw
        (True, "type bool (True)"),
        (5, "type int (5)"),
        (1.5, "type float (1.5)"),
        (float("nan"), "type float (nan)"),
        (float("-inf"), "type float (-inf)"),
        (1j, "type complex (1j)"),
        (_function, "function _function"),
        (lambda: None, "function <lambda>"),
        (print, "function print"),
        ("".join, "function join"),
        (_Thing, "function _Thing"),
        (_Thing(), "an instance of _Thing"),
        ({}, "an instance of dict"),
        ([], "an instance of list"),
        (b"x", "an instance of bytes"),
        (object(), "an instance of object"),
    ],
)
def test_describe_value_renders_python_values_like_node(value: object, shown: str) -> None:
    assert describe_value(value) == shown


def test_integers_too_long_for_str_are_still_described() -> None:
    huge = 10**5000  # past Python's int-to-str digit limit
    assert describe_value(huge) == "type int (<16610-bit integer>)"
    message = str(coded("ERR_OUT_OF_RANGE", name="x", range=">= 0", value=huge))
    assert message.endswith("Received <16610-bit integer>")
    assert str(coded("ERR_INVALID_ARG_VALUE", name="x", value=huge)).endswith("bit integer>")


@pytest.mark.parametrize(
    ("name", "expected", "message"),
    [
        ("a", "number", 'The "a" argument must be of type number.'),
        ("a.b", ["number", "string"], 'The "a.b" property must be one of type number or string.'),
        (
            "a argument",
            ["number", "string", "boolean"],
            "The a argument must be one of type number, string, or boolean.",
        ),
        (
            "chunk",
            ["string", "Buffer", "TypedArray", "DataView"],
            'The "chunk" argument must be of type string or an instance of Buffer, TypedArray, '
            "or DataView.",
        ),
        ("x", ["object", "Buffer"], 'The "x" argument must be an instance of Buffer or Object.'),
        ("x", ["Buffer", "Uint8Array"], 'The "x" argument must be an instance of Buffer or '),
        ("x", ["string", "null"], 'The "x" argument must be of type string or null.'),
        ("x", ["null"], 'The "x" argument must be null.'),
        ("x", ["a", "b", "c"], 'The "x" argument must be one of a, b, or c.'),
        ("x", ["a", "B2"], 'The "x" argument must be an instance of B2 or a.'),
        ("x", ["Xyz"], 'The "x" argument must be an instance of Xyz.'),
        ("x", ["Function"], 'The "x" argument must be of type function.'),
        ("x", ["Object"], 'The "x" argument must be of type object.'),
        ("x", ["Some thing"], 'The "x" argument must be an Some thing.'),
    ],
)
def test_invalid_arg_type_lists_expected_types_like_node(
    name: str, expected: str | list[str], message: str
) -> None:
    assert str(coded("ERR_INVALID_ARG_TYPE", name=name, expected=expected, value=5)).startswith(
        message
    )


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"name": "x", "value": 5}, "The argument 'x' is invalid. Received 5"),
        (
            {"name": "x.y", "value": 5, "reason": "must be positive"},
            "The property 'x.y' must be positive. Received 5",
        ),
        (
            {"name": "x", "value": "a" * 200},
            "The argument 'x' is invalid. Received '" + "a" * 127 + "...",
        ),
        (
            {"name": "options", "value": {"port": True}},
            "The argument 'options' is invalid. Received {'port': True}",
        ),
    ],
)
def test_invalid_arg_value_messages(details: dict[str, Any], message: str) -> None:
    assert str(coded("ERR_INVALID_ARG_VALUE", **details)) == message


@pytest.mark.parametrize(
    ("value", "received"),
    [
        (-1, "-1"),
        (1.5, "1.5"),
        (2**32, "4294967296"),
        (2**32 + 1, "4_294_967_297"),
        (2**40, "1_099_511_627_776"),
        (-(2**40), "-1_099_511_627_776"),
        (1e10, "10_000_000_000"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        ("1", "'1'"),
    ],
)
def test_out_of_range_shows_big_integers_with_separators(value: object, received: str) -> None:
    message = str(coded("ERR_OUT_OF_RANGE", name="x", range=">= 0", value=value))
    assert message == f'The value of "x" is out of range. It must be >= 0. Received {received}'


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["a"], 'The "a" argument must be specified'),
        (["a", "b"], 'The "a" and "b" arguments must be specified'),
        (["a", "b", "c"], 'The "a", "b", and "c" arguments must be specified'),
        ([["a", "b"], "c"], 'The "a" or "b" and "c" arguments must be specified'),
    ],
)
def test_missing_args_messages(names: list[Any], message: str) -> None:
    assert str(coded("ERR_MISSING_ARGS", names=names)) == message


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({}, "Unhandled error."),
        ({"err": None}, "Unhandled error. (None)"),
        ({"err": 5}, "Unhandled error. (5)"),
        ({"err": {"a": 1}}, "Unhandled error. ({'a': 1})"),
    ],
)
def test_unhandled_error_messages(details: dict[str, Any], message: str) -> None:
    assert str(coded("ERR_UNHANDLED_ERROR", **details)) == message


def test_bad_port_message_without_zero() -> None:
    message = str(coded("ERR_SOCKET_BAD_PORT", value=0, allow_zero=False))
    assert message == "Port should be > 0 and < 65536. Received type int (0)."


# -- NetError ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "keywords", "message"),
    [
        ((errno.ECONNREFUSED, "connect", "127.0.0.1", 1), {}, "connect ECONNREFUSED 127.0.0.1:1"),
        ((errno.ECONNREFUSED, "connect", "::1", 80), {}, "connect ECONNREFUSED ::1:80"),
        ((errno.ENOENT, "connect", "/tmp/x.sock"), {}, "connect ENOENT /tmp/x.sock"),
        (
            (errno.EADDRINUSE, "listen", "::", 8124),
            {},
            "listen EADDRINUSE: address already in use :::8124",
        ),
        (
            (errno.EADDRINUSE, "listen", "127.0.0.1", 8124),
            {},
            "listen EADDRINUSE: address already in use 127.0.0.1:8124",
        ),
        (
            (errno.EADDRNOTAVAIL, "listen", "1.1.1.1", 1),
            {},
            "listen EADDRNOTAVAIL: address not available 1.1.1.1:1",
        ),
        (
            (errno.EADDRNOTAVAIL, "listen", "1.1.1.1", 0),
            {},
            "listen EADDRNOTAVAIL: address not available 1.1.1.1",
        ),
        (
            (errno.EACCES, "listen", "/nonexist/dir/x.sock", -1),
            {},
            "listen EACCES: permission denied /nonexist/dir/x.sock",
        ),
        (
            (errno.EACCES, "listen", "0.0.0.0", 80),
            {},
            "listen EACCES: permission denied 0.0.0.0:80",
        ),
        ((errno.EINVAL, "listen"), {}, "listen EINVAL: invalid argument"),
        ((errno.EADDRINUSE, "bind", "127.0.0.1", 33651), {}, "bind EADDRINUSE 127.0.0.1:33651"),
        (
            (errno.ECONNREFUSED, "connect", "127.0.0.1", 1),
            {"local_address": "127.0.0.1", "local_port": 33652},
            "connect ECONNREFUSED 127.0.0.1:1 - Local (127.0.0.1:33652)",
        ),
        (
            (errno.ECONNREFUSED, "connect", "::1", 1),
            {"local_address": "::1", "local_port": 5000},
            "connect ECONNREFUSED ::1:1 - Local (::1:5000)",
        ),
        (
            (errno.ECONNREFUSED, "connect", "127.0.0.1", 1),
            {"local_address": "127.0.0.1", "local_port": 0},
            "connect ECONNREFUSED 127.0.0.1:1",
        ),
        (
            (errno.ECONNREFUSED, "connect", "127.0.0.1", 1),
            {"local_port": 5000},
            "connect ECONNREFUSED 127.0.0.1:1",
        ),
        ((errno.ECONNRESET, "read"), {}, "read ECONNRESET"),
        ((errno.EPIPE, "write"), {}, "write EPIPE"),
        ((errno.ETIMEDOUT, "connect", "10.0.0.1", 80), {}, "connect ETIMEDOUT 10.0.0.1:80"),
        ((errno.ECONNRESET, "connect", "127.0.0.1", 9), {}, "connect ECONNRESET 127.0.0.1:9"),
        (
            (3008, "getaddrinfo"),
            {"hostname": "nosuch.invalid"},
            "getaddrinfo ENOTFOUND nosuch.invalid",
        ),
        ((3007, "getaddrinfo"), {"hostname": "x"}, "getaddrinfo ENOTFOUND x"),
        ((3001, "getaddrinfo"), {"hostname": "example.com"}, "getaddrinfo EAI_AGAIN example.com"),
        ((3004, "getaddrinfo"), {"hostname": "h"}, "getaddrinfo EAI_FAIL h"),
        ((3008, "getaddrinfo"), {}, "getaddrinfo ENOTFOUND"),
        ((3008, "queryA"), {"hostname": "h"}, "queryA ENOTFOUND h"),
        ((errno.ECONNREFUSED, "connect"), {"code": "ESOMETHING"}, "connect ESOMETHING"),
    ],
)
def test_net_error_message_is_nodes(
    args: tuple[Any, ...], keywords: dict[str, Any], message: str
) -> None:
    assert str(NetError(*args, **keywords)) == message


def test_net_error_fields() -> None:
    err = NetError(errno.ECONNREFUSED, "connect", "127.0.0.1", 1)
    assert err.code == "ECONNREFUSED"
    assert err.errno == errno.ECONNREFUSED
    assert err.strerror == "connection refused"
    assert err.syscall == "connect"
    assert err.address == "127.0.0.1"
    assert err.port == 1
    assert err.hostname is None
    assert err.local_address is None
    assert err.local_port is None
    assert isinstance(err, OSError)
    assert err.args == (errno.ECONNREFUSED, "connection refused")


def test_node_style_negative_errno_is_stored_positive() -> None:
    err = NetError(-errno.ECONNREFUSED, "connect", "127.0.0.1", 1)
    assert err.errno == errno.ECONNREFUSED
    assert err.code == "ECONNREFUSED"
    assert isinstance(err, ConnectionRefusedError)
    assert NetError(-3008, "getaddrinfo", hostname="h").code == "ENOTFOUND"


def test_dns_error_fields() -> None:
    err = NetError(3008, "getaddrinfo", code="ENOTFOUND", hostname="nosuch.invalid")
    assert (err.code, err.errno, err.syscall, err.hostname) == (
        "ENOTFOUND",
        3008,
        "getaddrinfo",
        "nosuch.invalid",
    )
    assert err.address is None
    assert err.port is None
    assert err.strerror == "unknown node or service"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (errno.ECONNREFUSED, "ECONNREFUSED"),
        (errno.EADDRINUSE, "EADDRINUSE"),
        (errno.ENOENT, "ENOENT"),
        (3000, "EAI_ADDRFAMILY"),
        (3001, "EAI_AGAIN"),
        (3004, "EAI_FAIL"),
        (3007, "ENOTFOUND"),
        (3008, "ENOTFOUND"),
        (3010, "EAI_SERVICE"),
        (99999, "Unknown system error -99999"),
    ],
)
def test_default_code_comes_from_the_errno(number: int, code: str) -> None:
    assert NetError(number, "x").code == code


def test_description_falls_back_to_the_os_text() -> None:
    assert NetError(99999, "listen").strerror == os.strerror(99999)


@pytest.mark.parametrize(
    ("number", "builtin"),
    [
        (errno.ECONNREFUSED, ConnectionRefusedError),
        (errno.ECONNRESET, ConnectionResetError),
        (errno.ECONNABORTED, ConnectionAbortedError),
        (errno.EPIPE, BrokenPipeError),
        (errno.ETIMEDOUT, TimeoutError),
        (errno.ENOENT, FileNotFoundError),
        (errno.EACCES, PermissionError),
    ],
)
def test_net_error_is_also_the_matching_builtin_os_error(
    number: int, builtin: type[OSError]
) -> None:
    err = NetError(number, "connect", "127.0.0.1", 1)
    assert isinstance(err, NetError)
    assert isinstance(err, builtin)
    assert type(err).__name__ == "NetError"
    assert type(NetError(number, "read")) is type(err)  # one subclass per builtin, reused
    with pytest.raises(builtin):
        raise err


@pytest.mark.parametrize("number", [errno.EADDRINUSE, errno.EADDRNOTAVAIL, 3008, 99999])
def test_net_error_without_a_builtin_match_is_plain(number: int) -> None:
    assert type(NetError(number, "listen")) is NetError


def test_net_error_repr_shows_the_code() -> None:
    err = NetError(errno.EADDRINUSE, "listen", "::", 8124)
    assert repr(err) == (
        "NetError('listen EADDRINUSE: address already in use :::8124', "
        f"code='EADDRINUSE', errno={errno.EADDRINUSE})"
    )


@pytest.mark.parametrize(
    "err",
    [
        NetError(errno.ECONNREFUSED, "connect", "127.0.0.1", 1, local_address="::1", local_port=9),
        NetError(errno.EADDRINUSE, "listen", "::", 8124),
        NetError(3008, "getaddrinfo", hostname="h"),
        NetError(errno.ECONNREFUSED, "connect", code="EOTHER"),
    ],
)
def test_net_error_survives_pickling(err: NetError) -> None:
    err.extra = "kept"  # type: ignore[attr-defined]  # instance attributes are pickled too
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err)
    assert str(copy) == str(err)
    assert (copy.code, copy.errno, copy.syscall, copy.address, copy.port) == (
        err.code,
        err.errno,
        err.syscall,
        err.address,
        err.port,
    )
    assert (copy.hostname, copy.local_address, copy.local_port) == (
        err.hostname,
        err.local_address,
        err.local_port,
    )
    assert copy.extra == "kept"  # type: ignore[attr-defined]


# -- system_error ------------------------------------------------------------------------------


def _caused(outer: BaseException, cause: BaseException | None) -> BaseException:
    outer.__cause__ = cause
    return outer


def _in_context(outer: BaseException, context: BaseException, suppress: bool) -> BaseException:
    outer.__context__ = context
    outer.__suppress_context__ = suppress
    return outer


_REFUSED = ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")


@pytest.mark.parametrize(
    ("exc", "syscall", "code"),
    [
        (OSError(errno.EADDRINUSE, "Address already in use"), "listen", "EADDRINUSE"),
        (_REFUSED, "connect", "ECONNREFUSED"),
        (OSError(-errno.ECONNREFUSED, "negative, as some loops report"), "connect", "ECONNREFUSED"),
        # anyio.connect_tcp: OSError("All connection attempts failed") from the real error
        (_caused(OSError("All connection attempts failed"), _REFUSED), "connect", "ECONNREFUSED"),
        (
            _caused(
                OSError("All connection attempts failed"),
                ExceptionGroup(
                    "multiple connection attempts failed",
                    [OSError("no errno"), OSError(errno.ENETUNREACH, "x"), _REFUSED],
                ),
            ),
            "connect",
            "ENETUNREACH",
        ),
        (
            _caused(anyio.BrokenResourceError(), ConnectionResetError(errno.ECONNRESET, "x")),
            "read",
            "ECONNRESET",
        ),
        (_caused(anyio.BrokenResourceError(), BrokenPipeError(errno.EPIPE, "x")), "write", "EPIPE"),
        (
            _in_context(anyio.BrokenResourceError(), OSError(errno.ETIMEDOUT, "x"), False),
            "read",
            "ETIMEDOUT",
        ),
        (
            _in_context(anyio.BrokenResourceError(), OSError(errno.ETIMEDOUT, "x"), True),
            "read",
            "ECONNRESET",
        ),
        (anyio.BrokenResourceError(), "read", "ECONNRESET"),
        (anyio.BrokenResourceError(), "write", "EPIPE"),
        (anyio.BrokenResourceError(), "shutdown", "EPIPE"),
        (anyio.ClosedResourceError(), "write", "EPIPE"),
        # uvloop: write() raises RuntimeError once the transport is closing
        (_caused(anyio.BrokenResourceError(), RuntimeError("closing")), "write", "EPIPE"),
        (ConnectionResetError("Connection lost"), "write", "ECONNRESET"),  # asyncio, no errno
        (ConnectionResetError(errno.ECONNRESET, "x"), "read", "ECONNRESET"),
        (BrokenPipeError(), "write", "EPIPE"),
        (ConnectionAbortedError(), "read", "ECONNABORTED"),
        (ConnectionRefusedError(), "connect", "ECONNREFUSED"),
        (TimeoutError(), "connect", "ETIMEDOUT"),
        (FileNotFoundError(), "connect", "ENOENT"),
        (PermissionError(), "listen", "EACCES"),
        (OSError("no errno"), "read", "ECONNRESET"),
        (OSError("no errno"), "write", "EPIPE"),
    ],
)
def test_system_error_reads_the_errno(exc: BaseException, syscall: str, code: str) -> None:
    err = system_error(exc, syscall, "127.0.0.1", 80)
    assert err.code == code
    assert err.syscall == syscall
    assert err.errno == getattr(errno, code)
    assert (err.address, err.port) == ("127.0.0.1", 80)


def test_system_error_never_uses_the_backend_message() -> None:
    err = system_error(OSError(errno.ECONNREFUSED, "[Errno 111] whatever the loop says"), "connect")
    assert "whatever" not in str(err)
    assert err.strerror == "connection refused"


def test_system_error_passes_fields_through() -> None:
    err = system_error(
        _REFUSED, "connect", "::1", 8080, local_address="::1", local_port=4000, hostname="h"
    )
    assert str(err) == "connect ECONNREFUSED ::1:8080 - Local (::1:4000)"
    assert (err.local_address, err.local_port, err.hostname) == ("::1", 4000, "h")


def test_system_error_returns_a_net_error_unchanged() -> None:
    original = NetError(errno.ETIMEDOUT, "connect", "10.0.0.1", 80)
    assert system_error(original, "read") is original
    assert system_error(_caused(anyio.BrokenResourceError(), original), "read") is original


@pytest.mark.parametrize(
    ("name", "number", "code"),
    [
        ("EAI_NONAME", 3008, "ENOTFOUND"),
        ("EAI_NODATA", 3007, "ENOTFOUND"),
        ("EAI_AGAIN", 3001, "EAI_AGAIN"),
        ("EAI_FAIL", 3004, "EAI_FAIL"),
        ("EAI_FAMILY", 3005, "EAI_FAMILY"),
        ("EAI_SERVICE", 3010, "EAI_SERVICE"),
        ("EAI_SOCKTYPE", 3011, "EAI_SOCKTYPE"),
        ("EAI_MEMORY", 3006, "EAI_MEMORY"),
        ("EAI_BADFLAGS", 3002, "EAI_BADFLAGS"),
        ("EAI_SYSTEM", 3004, "EAI_FAIL"),  # the real errno is lost by then
    ],
)
def test_system_error_translates_getaddrinfo_failures(name: str, number: int, code: str) -> None:
    if not hasattr(socket, name):
        pytest.skip(f"socket.{name} does not exist here")
    exc = socket.gaierror(getattr(socket, name), "Name or service not known")
    err = system_error(exc, "getaddrinfo", hostname="nosuch.invalid")
    assert (err.errno, err.code, err.syscall, err.hostname) == (
        number,
        code,
        "getaddrinfo",
        "nosuch.invalid",
    )
    assert str(err) == f"getaddrinfo {code} nosuch.invalid"


def test_gaierror_inside_a_connect_failure_becomes_a_lookup_error() -> None:
    exc = _caused(OSError("x"), socket.gaierror(socket.EAI_NONAME, "unknown"))
    err = system_error(exc, "connect", "nosuch.invalid", 80)
    assert err.syscall == "getaddrinfo"
    assert err.hostname == "nosuch.invalid"
    assert (err.address, err.port) == (None, None)
    assert str(err) == "getaddrinfo ENOTFOUND nosuch.invalid"


def test_gaierror_without_errno_means_not_found() -> None:
    err = system_error(socket.gaierror("no errno"), "getaddrinfo", hostname="h")
    assert err.code == "ENOTFOUND"


@pytest.mark.parametrize(
    ("exc", "syscall"),
    [
        (KeyError("bug"), "read"),
        (RuntimeError("bug"), "connect"),
        (OSError("All connection attempts failed"), "connect"),
        (_caused(anyio.BrokenResourceError(), None), "connect"),
        (ValueError("bug"), "write"),
    ],
)
def test_system_error_reraises_what_is_no_system_error(exc: BaseException, syscall: str) -> None:
    with pytest.raises(type(exc)) as caught:
        system_error(exc, syscall)
    assert caught.value is exc


def test_system_error_survives_cycles_in_the_chain() -> None:
    first = OSError("a")
    second = OSError("b")
    first.__cause__ = second
    second.__cause__ = first
    assert system_error(first, "read").code == "ECONNRESET"


def test_system_error_from_a_real_refused_connect() -> None:
    with socket.socket() as bound:  # bound but not listening: connections are refused
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        with socket.socket() as client, pytest.raises(OSError) as caught:
            client.connect(("127.0.0.1", port))
    err = system_error(caught.value, "connect", "127.0.0.1", port)
    assert err.code == "ECONNREFUSED"
    assert str(err) == f"connect ECONNREFUSED 127.0.0.1:{port}"


# -- differential tests against node -------------------------------------------------------

_NODE_CODED = r"""
const { codes } = require('internal/errors');
const EventEmitter = require('events');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = lines.map((line) => {
  const [code, args] = JSON.parse(line);
  let err;
  if (code === 'ERR_UNHANDLED_ERROR' && args.length) {
    try { new EventEmitter().emit('error', args[0]); } catch (e) { err = e; }
  } else {
    err = new codes[code](...args);
  }
  return JSON.stringify([err.name, err.code, err.message]);
});
process.stdout.write(out.join('\n') + '\n');
"""

# (code, the arguments node gets, the details Python gets). Values are chosen so that only
# the type words differ between the two renderings (see _as_python).
_CODED_CASES: list[tuple[str, list[Any], dict[str, Any]]] = [
    (code, [], {}) for code, (details, _, _) in CODED.items() if not details
]
_CODED_CASES += [
    ("ERR_STREAM_DESTROYED", ["write"], {"method": "write"}),
    ("ERR_STREAM_DESTROYED", ["end"], {"method": "end"}),
    ("ERR_STREAM_ALREADY_FINISHED", ["end"], {"method": "end"}),
    ("ERR_METHOD_NOT_IMPLEMENTED", ["_read"], {"method": "_read"}),
    ("ERR_INVALID_THIS", ["Socket"], {"type": "Socket"}),
    ("ERR_INVALID_IP_ADDRESS", ["abc"], {"value": "abc"}),
    ("ERR_UNKNOWN_ENCODING", ["nope"], {"encoding": "nope"}),
    ("ERR_INVALID_FD_TYPE", ["UNKNOWN"], {"value": "UNKNOWN"}),
    ("ERR_UNHANDLED_ERROR", ["x"], {"err": "x"}),
    ("ERR_UNHANDLED_ERROR", [5], {"err": 5}),
    ("ERR_MISSING_ARGS", ["a"], {"names": ["a"]}),
    ("ERR_MISSING_ARGS", ["a", "b"], {"names": ["a", "b"]}),
    ("ERR_MISSING_ARGS", ["a", "b", "c"], {"names": ["a", "b", "c"]}),
    ("ERR_MISSING_ARGS", [["a", "b"], "c"], {"names": [["a", "b"], "c"]}),
    ("ERR_MISSING_ARGS", [["options", "port", "path"]], {"names": [["options", "port", "path"]]}),
    ("ERR_SOCKET_BAD_PORT", ["Port", -1], {"name": "Port", "value": -1}),
    ("ERR_SOCKET_BAD_PORT", ["Port", 0, False], {"name": "Port", "value": 0, "allow_zero": False}),
    ("ERR_SOCKET_BAD_PORT", ["options.port", "abc"], {"name": "options.port", "value": "abc"}),
    ("ERR_SOCKET_BAD_PORT", ["Port", "a" * 40], {"name": "Port", "value": "a" * 40}),
    ("ERR_SOCKET_BAD_PORT", ["Port", None], {"name": "Port", "value": None}),
    ("ERR_SOCKET_BAD_PORT", ["Port", True], {"name": "Port", "value": True}),
    ("ERR_OUT_OF_RANGE", ["x", ">= 0", -1], {"name": "x", "range": ">= 0", "value": -1}),
    ("ERR_OUT_OF_RANGE", ["x", ">= 0", 1.5], {"name": "x", "range": ">= 0", "value": 1.5}),
    ("ERR_OUT_OF_RANGE", ["x", ">= 0", 2**32], {"name": "x", "range": ">= 0", "value": 2**32}),
    ("ERR_OUT_OF_RANGE", ["x", "a", 2**32 + 1], {"name": "x", "range": "a", "value": 2**32 + 1}),
    ("ERR_OUT_OF_RANGE", ["x", "a", -(2**40)], {"name": "x", "range": "a", "value": -(2**40)}),
    ("ERR_INVALID_ARG_VALUE", ["x", 5], {"name": "x", "value": 5}),
    (
        "ERR_INVALID_ARG_VALUE",
        ["x.y", 5, "is bad"],
        {"name": "x.y", "value": 5, "reason": "is bad"},
    ),
    ("ERR_INVALID_ARG_VALUE", ["x", "a" * 200], {"name": "x", "value": "a" * 200}),
    ("ERR_INVALID_ARG_VALUE", ["x", "it's"], {"name": "x", "value": "it's"}),
]
for _expected in [
    "number",
    "Function",
    "object",
    ["number", "string"],
    ["number", "string", "boolean"],
    ["string", "Buffer", "TypedArray", "DataView"],
    ["object", "Buffer"],
    ["Buffer", "Uint8Array"],
    ["string", "null"],
    ["null"],
    ["a", "b", "c"],
    ["a", "B2"],
    ["Object", "Buffer", "string"],
]:
    for _name in ("port", "options.port", "a argument"):
        for _value in ("abc", 5, None, "a" * 30, 1.5, True):
            _CODED_CASES.append(
                (
                    "ERR_INVALID_ARG_TYPE",
                    [_name, _expected, _value],
                    {"name": _name, "expected": _expected, "value": _value},
                )
            )


def _as_python(message: str, value: object) -> str:
    """Node's rendering of a value, with Python's type words and literals instead."""
    python_type = type(value).__name__
    for js in ("string", "number", "boolean"):
        message = message.replace(f"Received type {js} (", f"Received type {python_type} (")
    message = message.replace("(true)", "(True)").replace("(false)", "(False)")
    return message.replace("Received null", "Received None")


_PYTHON_CLASS = {"TypeError": TypeError, "RangeError": ValueError, "Error": RuntimeError}


@pytest.mark.needs_node
def test_node_agrees_on_coded_error_messages(node: str) -> None:
    payload = "".join(json.dumps([code, args]) + "\n" for code, args, _ in _CODED_CASES)
    proc = subprocess.run(
        [node, "--expose-internals", "-e", _NODE_CODED],
        input=payload.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    answers = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(answers) == len(_CODED_CASES)
    wrong = []
    for (code, args, details), (name, node_code, message) in zip(
        _CODED_CASES, answers, strict=True
    ):
        exc = coded(code, **details)
        value = args[-1] if args else None
        if code == "ERR_SOCKET_BAD_PORT":
            value = args[1]
        expected = _as_python(message, value)
        if (
            node_code != code
            or str(exc) != expected
            or not isinstance(exc, _PYTHON_CLASS[name])
            or (name == "TypeError" and isinstance(exc, ValueError)) != (code in _VALUE_TYPE_ERRORS)
        ):
            wrong.append((code, args, str(exc), expected, name, type(exc).__name__))
    assert not wrong, wrong[:10]


_NODE_FAILURES = r"""
const net = require('net');
const dns = require('dns');
const { once } = require('events');
const [refusedPort, missingPath, badPath] = JSON.parse(process.argv[1]);

async function errorOf(emitter, goodEvent) {
  try {
    await once(emitter, goodEvent);
  } catch (err) {
    return err;
  }
  if (emitter.close) emitter.close();
  if (emitter.destroy) emitter.destroy();
  return null;
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

(async () => {
  const found = [];
  const local = await freePort();
  found.push(await errorOf(net.connect(refusedPort, '127.0.0.1'), 'connect'));
  found.push(await errorOf(net.connect({ port: refusedPort, host: '127.0.0.1',
    localAddress: '127.0.0.1', localPort: local }), 'connect'));
  found.push(await errorOf(net.connect(missingPath), 'connect'));
  const server = net.createServer((c) => c.once('data', () => c.resetAndDestroy()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const used = server.address().port;
  found.push(await errorOf(net.createServer().listen(used, '127.0.0.1'), 'listening'));
  found.push(await errorOf(net.connect({ port: refusedPort, host: '127.0.0.1',
    localAddress: '127.0.0.1', localPort: used }), 'connect'));
  found.push(await errorOf(net.createServer().listen(0, '192.0.2.1'), 'listening'));
  found.push(await errorOf(net.createServer().listen(7, '192.0.2.1'), 'listening'));
  found.push(await errorOf(net.createServer().listen(badPath), 'listening'));
  const client = net.connect(used, '127.0.0.1');
  await once(client, 'connect');
  client.write('x');
  client.resume();
  found.push(await errorOf(client, 'close'));
  server.close();
  const lookup = new Promise((resolve) => dns.lookup('nosuch.invalid', (err) => resolve(err)));
  const late = new Promise((resolve) => setTimeout(resolve, 3000, null).unref());
  found.push(await Promise.race([lookup, late]));
  const shown = found.filter(Boolean).map((e) => ({
    message: e.message, code: e.code, errno: e.errno, syscall: e.syscall,
    address: e.address ?? null, port: e.port ?? null, hostname: e.hostname ?? null,
    localAddress: e.localAddress ?? null, localPort: e.localPort ?? null,
  }));
  process.stdout.write(JSON.stringify(shown));
  process.exit(0);
})();
"""


@pytest.mark.needs_node
def test_node_agrees_on_system_error_messages(node: str, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.sock")
    in_missing_dir = str(tmp_path / "no" / "such" / "dir.sock")
    with socket.socket() as bound:  # bound but not listening: connections are refused
        bound.bind(("127.0.0.1", 0))
        refused_port = bound.getsockname()[1]
        proc = subprocess.run(
            [node, "-e", _NODE_FAILURES, json.dumps([refused_port, missing, in_missing_dir])],
            capture_output=True,
            check=True,
            timeout=60,
        )
        with socket.socket() as client, pytest.raises(OSError) as caught:
            client.connect(("127.0.0.1", refused_port))
    records = json.loads(proc.stdout)
    codes = {record["code"] for record in records}
    assert {"ECONNREFUSED", "ENOENT", "EADDRINUSE"} <= codes, records
    assert any(record["localPort"] for record in records), records
    for record in records:
        err = NetError(
            record["errno"],  # Node's negative number, as it is
            record["syscall"],
            record["address"],
            record["port"],
            code=record["code"],
            hostname=record["hostname"],
            local_address=record["localAddress"],
            local_port=record["localPort"],
        )
        assert str(err) == record["message"], record
        assert NetError(-record["errno"], record["syscall"]).code == record["code"], record
    # What Python's own socket reports for the same refused port reads the same as Node.
    node_refused = next(r for r in records if r["code"] == "ECONNREFUSED" and not r["localPort"])
    ours = system_error(caught.value, "connect", "127.0.0.1", refused_port)
    assert str(ours) == node_refused["message"]
    assert isinstance(ours, ConnectionRefusedError)
