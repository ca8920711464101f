"""Node's argument validators: what passes, what it becomes, which coded error the rest raise.

Expected values were taken from node v20 (``net.createServer().listen({port})``,
``socket.setTimeout`` and ``internal/validators``); the needs_node tests check them again on a
large corpus in one node process.
"""

from __future__ import annotations

import enum
import json
import math
import random
import subprocess
import warnings
from collections import OrderedDict
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anyio_net._errors import (
    CodedError,
    NodeTypeError,
    NodeValueError,
    TimeoutOverflowWarning,
)
from anyio_net._validators import (
    TIMEOUT_MAX,
    validate_boolean,
    validate_function,
    validate_int32,
    validate_number,
    validate_object,
    validate_port,
    validate_string,
    validate_timer_duration,
    validate_uint32,
)


class _Port(enum.IntEnum):
    HTTP = 80


# -- validate_port -----------------------------------------------------------------------

PORTS_ACCEPTED: list[tuple[object, int]] = [
    (0, 0),
    (1, 1),
    (80, 80),
    (65535, 65535),
    (80.0, 80),
    (-0.0, 0),
    (65535.0, 65535),
    (_Port.HTTP, 80),
    ("0", 0),
    ("80", 80),
    (" 80 ", 80),
    ("\t80\n", 80),
    ("\u00a080\ufeff", 80),
    ("\u2028 80", 80),
    ("\u3000 80\u205f", 80),
    ("0x1F", 31),
    ("0X1f", 31),
    ("0xffff", 65535),
    ("0o17", 15),
    ("0O17", 15),
    ("0b11", 3),
    ("0B11", 3),
    ("1e3", 1000),
    ("1E3", 1000),
    ("6.5535e4", 65535),
    ("5.", 5),
    (".5e1", 5),
    ("+80", 80),
    ("-0", 0),
    ("-0.0", 0),
    ("0.0", 0),
    ("0e5", 0),
    ("00080", 80),
    ("65535.0", 65535),
    ("80.00000000000000001", 80),  # rounds to 80.0, as in JS
]

PORTS_REFUSED: list[object] = [
    -1,
    65536,
    2**32,
    2**32 + 80,
    10**400,
    -(10**400),
    1.5,
    65535.5,
    1e-300,
    -1e-300 - 1,
    math.nan,
    math.inf,
    -math.inf,
    1e100,
    "",
    " ",
    "\n",
    "\u00a0",
    "abc",
    "1 2",
    "80abc",
    "+0x1F",
    "-0x1F",
    "0x",
    "0x10000",
    "0o8",
    "0b2",
    "1_000",
    "Infinity",
    "-Infinity",
    "NaN",
    "inf",
    "nan",
    "80n",
    "65536",
    "-1",
    "1.5",
    ".5",
    "1e-3",
    "\u180e80",  # Mongolian vowel separator: not JS whitespace since Unicode 6.3
    "\u0085 80",  # NEL: Python whitespace, not JS whitespace
    "\u200b80",  # zero-width space
    "\x1c80",  # Python whitespace, not JS whitespace
    "٨٠",  # Arabic-Indic digits
    "８０",  # fullwidth digits
    True,
    False,
    None,
    {},
    [],
    [80],
    b"80",
    Decimal(80),
    Fraction(80),
    object(),
]


@pytest.mark.parametrize(("value", "port"), PORTS_ACCEPTED)
def test_validate_port_accepts_and_converts(value: object, port: int) -> None:
    result = validate_port(value)
    assert result == port
    assert type(result) is int


@pytest.mark.parametrize("value", PORTS_REFUSED)
def test_validate_port_refuses_with_err_socket_bad_port(value: object) -> None:
    with pytest.raises(ValueError) as caught:
        validate_port(value)
    assert caught.value.code == "ERR_SOCKET_BAD_PORT"  # type: ignore[attr-defined]
    assert isinstance(caught.value, NodeValueError)
    assert not isinstance(caught.value, TypeError)


@pytest.mark.parametrize(
    ("value", "name", "allow_zero", "message"),
    [
        (-1, "Port", True, "Port should be >= 0 and < 65536. Received type int (-1)."),
        (0, "Port", False, "Port should be > 0 and < 65536. Received type int (0)."),
        (
            65536,
            "options.port",
            True,
            "options.port should be >= 0 and < 65536. Received type int (65536).",
        ),
        ("abc", "Port", True, "Port should be >= 0 and < 65536. Received type str ('abc')."),
        (1.5, "Port", True, "Port should be >= 0 and < 65536. Received type float (1.5)."),
        (math.nan, "Port", True, "Port should be >= 0 and < 65536. Received type float (nan)."),
        (None, "Port", True, "Port should be >= 0 and < 65536. Received None."),
        (True, "Port", True, "Port should be >= 0 and < 65536. Received type bool (True)."),
        ({}, "Port", True, "Port should be >= 0 and < 65536. Received an instance of dict."),
        (
            "a" * 40,
            "Port",
            True,
            "Port should be >= 0 and < 65536. Received type str ('aaaaaaaaaaaaaaaaaaaaaaaaa...').",
        ),
    ],
)
def test_validate_port_messages(value: object, name: str, allow_zero: bool, message: str) -> None:
    with pytest.raises(NodeValueError) as caught:
        validate_port(value, name, allow_zero)
    assert str(caught.value) == message


@pytest.mark.parametrize("value", [0, 0.0, -0.0])
def test_validate_port_without_zero_refuses_the_number_zero(value: float) -> None:
    with pytest.raises(NodeValueError):
        validate_port(value, allow_zero=False)


def test_validate_port_without_zero_still_takes_the_string_zero() -> None:
    # Node compares with `port === 0`, which a string never is.
    assert validate_port("0", allow_zero=False) == 0
    assert validate_port("0x0", allow_zero=False) == 0


@given(st.integers(min_value=0, max_value=65535))
def test_every_port_number_passes_as_int_float_and_string(port: int) -> None:
    assert validate_port(port) == port
    assert validate_port(float(port)) == port
    assert validate_port(str(port)) == port
    assert validate_port(hex(port)) == port
    assert validate_port(f" {port}\n") == port


@given(st.integers().filter(lambda n: not 0 <= n <= 65535))
def test_every_integer_outside_the_range_is_refused(number: int) -> None:
    with pytest.raises(NodeValueError):
        validate_port(number)
    with pytest.raises(NodeValueError):
        validate_port(str(number))


@given(st.floats().filter(lambda f: not (f.is_integer() and 0 <= f <= 65535)))
def test_every_fractional_or_outside_float_is_refused(number: float) -> None:
    with pytest.raises(NodeValueError):
        validate_port(number)


# -- the type validators ------------------------------------------------------------------


def _code_of(validator: Any, value: object, *args: object) -> str:
    with pytest.raises(CodedError) as caught:
        validator(value, *args)
    return caught.value.code


def test_validate_function() -> None:
    def callback() -> None: ...

    assert validate_function(callback, "callback") is callback
    assert validate_function(print, "callback") is print
    assert validate_function(int, "callback") is int
    with pytest.raises(TypeError) as caught:
        validate_function(5, "callback")
    assert caught.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert str(caught.value) == (
        'The "callback" argument must be of type function. Received type int (5)'
    )
    with pytest.raises(NodeTypeError, match=r"Received None$"):
        validate_function(None, "options.lookup")


def test_validate_boolean() -> None:
    assert validate_boolean(True, "flag") is True
    assert validate_boolean(False, "flag") is False
    values: tuple[object, ...] = (0, 1, "true", None, [], 1.0)
    for value in values:
        assert _code_of(validate_boolean, value, "x") == "ERR_INVALID_ARG_TYPE"
    with pytest.raises(NodeTypeError) as caught:
        validate_boolean("x", "options.flag")
    assert str(caught.value) == (
        "The \"options.flag\" property must be of type boolean. Received type str ('x')"
    )


def test_validate_string() -> None:
    assert validate_string("", "host") == ""
    assert validate_string("localhost", "host") == "localhost"
    for value in (b"x", None, 5, ["x"]):
        assert _code_of(validate_string, value, "x") == "ERR_INVALID_ARG_TYPE"
    with pytest.raises(NodeTypeError) as caught:
        validate_string(None, "host")
    assert str(caught.value) == 'The "host" argument must be of type string. Received None'


def test_validate_object() -> None:
    options = {"port": 80}
    assert validate_object(options, "options") is options
    ordered = OrderedDict(a=1)
    assert validate_object(ordered, "options") is ordered
    assert validate_object(None, "options", nullable=True) == {}
    for value in (None, [], (), "x", 5, True, object()):
        assert _code_of(validate_object, value, "o") == "ERR_INVALID_ARG_TYPE"
    with pytest.raises(NodeTypeError) as caught:
        validate_object([], "options")
    assert str(caught.value) == (
        'The "options" argument must be of type object. Received an instance of list'
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((5, "x"), 5),
        ((5.5, "x"), 5.5),
        ((math.nan, "x"), math.nan),  # no bound, NaN passes
        ((math.inf, "x"), math.inf),
        ((-1, "x", None, 0), -1),
        ((0, "x", 0), 0),
        ((10, "x", 0, 10), 10),
    ],
)
def test_validate_number_accepts(args: tuple[Any, ...], expected: float) -> None:
    result = validate_number(*args)
    assert result == expected or (math.isnan(result) and math.isnan(expected))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("1", "options.localPort"),
            "ERR_INVALID_ARG_TYPE",
            "The \"options.localPort\" property must be of type number. Received type str ('1')",
        ),
        (
            (True, "n"),
            "ERR_INVALID_ARG_TYPE",
            'The "n" argument must be of type number. Received type bool (True)',
        ),
        (
            (None, "n"),
            "ERR_INVALID_ARG_TYPE",
            'The "n" argument must be of type number. Received None',
        ),
        (
            (-1, "x", 0),
            "ERR_OUT_OF_RANGE",
            'The value of "x" is out of range. It must be >= 0. Received -1',
        ),
        (
            (5, "x", 0, 3),
            "ERR_OUT_OF_RANGE",
            'The value of "x" is out of range. It must be >= 0 && <= 3. Received 5',
        ),
        (
            (math.nan, "x", None, 3),
            "ERR_OUT_OF_RANGE",
            'The value of "x" is out of range. It must be <= 3. Received nan',
        ),
        (
            (-(2**40), "x", 0),
            "ERR_OUT_OF_RANGE",
            'The value of "x" is out of range. It must be >= 0. Received -1_099_511_627_776',
        ),
    ],
)
def test_validate_number_refuses(args: tuple[Any, ...], code: str, message: str) -> None:
    with pytest.raises(CodedError) as caught:
        validate_number(*args)
    assert caught.value.code == code
    assert str(caught.value) == message
    assert isinstance(caught.value, TypeError if code == "ERR_INVALID_ARG_TYPE" else ValueError)


@pytest.mark.parametrize(
    ("value", "result"),
    [(0, 0), (5.0, 5), (-(2**31), -(2**31)), (2**31 - 1, 2**31 - 1), (-0.0, 0)],
)
def test_validate_int32_accepts_whole_numbers(value: float, result: int) -> None:
    converted = validate_int32(value, "x")
    assert converted == result
    assert type(converted) is int


@pytest.mark.parametrize(
    ("value", "args", "code", "message"),
    [
        (1.5, (), "ERR_OUT_OF_RANGE", "It must be an integer. Received 1.5"),
        (math.nan, (), "ERR_OUT_OF_RANGE", "It must be an integer. Received nan"),
        (math.inf, (), "ERR_OUT_OF_RANGE", "It must be an integer. Received inf"),
        (2**31, (), "ERR_OUT_OF_RANGE", "It must be >= -2147483648 && <= 2147483647"),
        (-5, (0,), "ERR_OUT_OF_RANGE", "It must be >= 0 && <= 2147483647. Received -5"),
        ("1", (), "ERR_INVALID_ARG_TYPE", "must be of type number"),
        (False, (), "ERR_INVALID_ARG_TYPE", "must be of type number"),
    ],
)
def test_validate_int32_refuses(
    value: object, args: tuple[int, ...], code: str, message: str
) -> None:
    with pytest.raises(CodedError) as caught:
        validate_int32(value, "fd", *args)
    assert caught.value.code == code
    assert message in str(caught.value)


def test_validate_uint32() -> None:
    assert validate_uint32(0, "x") == 0
    assert validate_uint32(2**32 - 1, "x") == 2**32 - 1
    assert validate_uint32(7.0, "x", True) == 7
    with pytest.raises(NodeValueError) as caught:
        validate_uint32(0, "x", True)
    assert str(caught.value).endswith("It must be >= 1 && <= 4294967295. Received 0")
    with pytest.raises(NodeValueError) as caught:
        validate_uint32(2**32, "x")
    assert str(caught.value).endswith("Received 4294967296")  # not above 2**32: no separators
    with pytest.raises(NodeValueError) as caught:
        validate_uint32(2**32 + 1, "x")
    assert str(caught.value).endswith("Received 4_294_967_297")
    assert _code_of(validate_uint32, -1, "x") == "ERR_OUT_OF_RANGE"
    assert _code_of(validate_uint32, 0.5, "x") == "ERR_OUT_OF_RANGE"
    assert _code_of(validate_uint32, "0", "x") == "ERR_INVALID_ARG_TYPE"


@pytest.mark.parametrize(
    ("value", "result"),
    [(0, 0.0), (1, 1.0), (1.5, 1.5), (3000, 3000.0), (TIMEOUT_MAX, float(TIMEOUT_MAX))],
)
def test_validate_timer_duration_accepts(value: float, result: float) -> None:
    converted = validate_timer_duration(value)
    assert converted == result
    assert type(converted) is float


_MSECS_TYPE = 'The "msecs" argument must be of type number. Received '
_MSECS_RANGE = (
    'The value of "msecs" is out of range. It must be a non-negative finite number. Received '
)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("1", "ERR_INVALID_ARG_TYPE", _MSECS_TYPE + "type str ('1')"),
        (None, "ERR_INVALID_ARG_TYPE", _MSECS_TYPE + "None"),
        (True, "ERR_INVALID_ARG_TYPE", _MSECS_TYPE + "type bool (True)"),
        (-1, "ERR_OUT_OF_RANGE", _MSECS_RANGE + "-1"),
        (-0.5, "ERR_OUT_OF_RANGE", _MSECS_RANGE + "-0.5"),
        (math.nan, "ERR_OUT_OF_RANGE", _MSECS_RANGE + "nan"),
        (math.inf, "ERR_OUT_OF_RANGE", _MSECS_RANGE + "inf"),
    ],
)
def test_validate_timer_duration_refuses(value: object, code: str, message: str) -> None:
    with pytest.raises(CodedError) as caught:
        validate_timer_duration(value)
    assert caught.value.code == code
    assert str(caught.value) == message


@pytest.mark.parametrize("value", [TIMEOUT_MAX + 1, 2**31, 1.5e20, 10**400])
def test_validate_timer_duration_truncates_with_a_warning(value: float) -> None:
    with pytest.warns(TimeoutOverflowWarning, match="does not fit into a 32-bit signed integer"):
        assert validate_timer_duration(value) == TIMEOUT_MAX


def test_validate_timer_duration_names_the_argument() -> None:
    with pytest.raises(NodeTypeError, match=r'^The "timeout" argument'):
        validate_timer_duration("x", "timeout")


# -- differential tests against node -------------------------------------------------------

# Reads JSON lines ["num", text] (text is a JS number literal) or ["str", text]; answers each
# with the outcome of listen({port}) and of Node's own validators: a value or the error code.
_NODE_VALIDATORS = r"""
const net = require('net');
const v = require('internal/validators');
const { getTimerDuration } = require('internal/timers');
process.removeAllListeners('warning');
process.on('warning', () => {});
function outcome(fn) {
  try {
    const result = fn();
    return result === undefined ? 'ok' : result;
  } catch (e) {
    return e.code || String(e);
  }
}
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = [];
for (const line of lines) {
  const [kind, text] = JSON.parse(line);
  const value = kind === 'num' ? Number(text) : text;
  const server = net.createServer();
  server.on('error', () => {});
  const listen = outcome(() => {
    server.listen({ port: value, host: '127.0.0.1' });  // binds after a lookup; closed first
    server.close();
  });
  const answer = {
    listen,
    port: outcome(() => v.validatePort(value)),
    portNoZero: outcome(() => v.validatePort(value, 'Port', false)),
  };
  if (kind === 'num') {
    answer.timer = outcome(() => getTimerDuration(value, 'msecs'));
    answer.setTimeout = outcome(() => { new net.Socket().setTimeout(value); });
    answer.int32 = outcome(() => v.validateInt32(value, 'x'));
    answer.uint32 = outcome(() => v.validateUint32(value, 'x'));
    answer.uint32Positive = outcome(() => v.validateUint32(value, 'x', true));
    answer.number = outcome(() => v.validateNumber(value, 'x', -10, 70000));
  }
  out.push(JSON.stringify(answer));
}
process.stdout.write(out.join('\n') + '\n');
"""


def _js_number(value: int | float) -> str:
    """The JS literal for a Python number (the same double)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)


def _outcome(call: Any) -> object:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TimeoutOverflowWarning)
            result = call()
    except CodedError as exc:
        return exc.code
    return result


def _number_corpus() -> list[float]:
    rng = random.Random(7)
    numbers: list[float] = [0, -0.0, 1, -1, 80, 65535, 65536, 1.5, 0.1, -0.5, 1e-300, 5e-324]
    numbers += [math.nan, math.inf, -math.inf, 1e100, -1e100, 2**31 - 1, 2**31, -(2**31)]
    numbers += [-(2**31) - 1, 2**32 - 1, 2**32, 2**32 + 1, 2**53, 2**53 + 2, 65535.5, 65534.999]
    numbers += [rng.randint(-100, 70000) for _ in range(400)]
    numbers += [rng.uniform(-10, 70000) for _ in range(150)]
    numbers += [float(rng.randint(-5, 70000)) for _ in range(150)]
    numbers += [rng.randint(-(2**34), 2**34) for _ in range(100)]
    return numbers


def _string_corpus() -> list[str]:
    rng = random.Random(8)
    listed = [*PORTS_REFUSED, *(value for value, _ in PORTS_ACCEPTED)]
    strings = [value for value in listed if isinstance(value, str)]
    spaces = [" ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028"]
    spaces += [
        "\u2029",
        "\u202f",
        "\u205f",
        "\u3000",
        "\ufeff",
        "\u180e",
        "\u0085",
        "\x1c",
        "\u200b",
    ]
    pieces = [*"0123456789", "0x", "0X", "0o", "0b", "e", "E", ".", "+", "-", "_", "a", "f", "n"]
    pieces += ["Infinity", "NaN", *spaces]
    for _ in range(900):
        strings.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 7))))
    for _ in range(300):
        number = rng.randint(-10, 70000)
        forms = [str(number), hex(number), oct(number), bin(number), f"{number}.0"]
        forms.append(f"{number / 1000}e3")
        strings.append(rng.choice(spaces) * rng.randint(0, 1) + rng.choice(forms))
    return strings


def _python_answer(kind: str, value: Any) -> dict[str, object]:
    port = _outcome(lambda: validate_port(value))
    answer: dict[str, object] = {
        "listen": "ok" if not isinstance(port, str) else port,
        "port": port,
        "portNoZero": _outcome(lambda: validate_port(value, "Port", False)),
    }
    if kind == "num":
        timer = _outcome(lambda: validate_timer_duration(value))
        answer["timer"] = timer
        answer["setTimeout"] = "ok" if not isinstance(timer, str) else timer
        answer["int32"] = _outcome(lambda: validate_int32(value, "x"))
        answer["uint32"] = _outcome(lambda: validate_uint32(value, "x"))
        answer["uint32Positive"] = _outcome(lambda: validate_uint32(value, "x", True))
        answer["number"] = _outcome(lambda: validate_number(value, "x", -10, 70000))
    return answer


@pytest.mark.needs_node
def test_node_agrees_on_ports_timers_and_integers(node: str) -> None:
    cases: list[tuple[str, Any]] = [("num", n) for n in _number_corpus()]
    cases += [("str", s) for s in _string_corpus()]
    assert len(cases) >= 2000
    payload = "".join(
        json.dumps([kind, _js_number(value) if kind == "num" else value]) + "\n"
        for kind, value in cases
    )
    proc = subprocess.run(
        [node, "--expose-internals", "-e", _NODE_VALIDATORS],
        input=payload.encode(),
        capture_output=True,
        check=True,
        timeout=120,
    )
    answers = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(answers) == len(cases)
    wrong = []
    for (kind, value), theirs in zip(cases, answers, strict=True):
        ours = _python_answer(kind, value)
        # Node's int32/uint32/number validators return nothing: compare acceptance only.
        for key in ("int32", "uint32", "uint32Positive", "number"):
            if key in ours and not isinstance(ours[key], str):
                ours[key] = "ok"
        if ours.keys() != theirs.keys() or not all(ours[k] == theirs[k] for k in ours):
            wrong.append((kind, value, ours, theirs))
    assert not wrong, wrong[:10]
