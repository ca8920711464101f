"""Node's argument validators, raising Node's coded errors.

How it works:
- A number is an ``int`` or a ``float``, never a ``bool`` (JS has no bool/number overlap);
  a function is any callable; an object is a mapping (Node: a non-null, non-array object).
- Validators return the checked value, converted where Node converts (``validate_port``
  gives an ``int``, ``validate_int32``/``validate_uint32`` turn ``5.0`` into ``5``).
- ``validate_port`` follows ``validatePort``: numbers and strings only; a string is read the
  way JS's ``Number()`` reads it (JS whitespace trimmed, ``0x``/``0o``/``0b`` prefixes,
  ``1e3``, ``5.``, a sign on decimals only, no ``_``, non-ASCII digits refused); blank strings
  are refused; the value must then be a whole number in 0..65535.
- With ``allow_zero=False`` only the *number* 0 is refused: Node compares with ``===``, so the
  string ``'0'`` passes and gives 0.
- ``validate_timer_duration`` is ``setTimeout``'s check: a number, not negative, not NaN, not
  infinite; past 2**31 - 1 ms it warns (``TimeoutOverflowWarning``) and truncates, as Node.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Final

from ._errors import TimeoutOverflowWarning, coded

__all__ = [
    "TIMEOUT_MAX",
    "validate_boolean",
    "validate_function",
    "validate_int32",
    "validate_number",
    "validate_object",
    "validate_port",
    "validate_string",
    "validate_timer_duration",
    "validate_uint32",
]

TIMEOUT_MAX: Final = 2**31 - 1

# What JS's String.prototype.trim() and Number() strip: WhiteSpace and LineTerminator.
_JS_SPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL: Final = re.compile(
    r"[+-]?(?:Infinity|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)", re.ASCII
)
_PREFIXED: Final = re.compile(r"0(?:[xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)", re.ASCII)


def _js_number(text: str) -> float | int:
    """JS's ``Number(text)``: NaN for anything it cannot read."""
    core = text.strip(_JS_SPACE)
    if not core:
        return 0
    if _PREFIXED.fullmatch(core):
        return int(core[2:], {"x": 16, "o": 8, "b": 2}[core[1].lower()])
    if _DECIMAL.fullmatch(core):
        return float(core)
    return math.nan


def validate_port(value: object, name: str = "Port", allow_zero: bool = True) -> int:
    """Check a port the way Node does, and return it as an ``int``.

    Accepted: ``int`` and whole ``float`` values in 0..65535, and strings JS reads as such
    (``"80"``, ``" 80 "``, ``"0x1F"``, ``"1e3"``).

    Args:
        value: The port as given.
        name: How the message names it (``"Port"``, ``"options.port"``).
        allow_zero: Whether the number 0 is acceptable.

    Returns:
        The port number.

    Raises:
        ValueError: anything else, ``bool`` and ``None`` included (code ``ERR_SOCKET_BAD_PORT``).

    Node: ``validatePort(port, name, allowZero)`` in ``lib/internal/validators.js``
    """
    number: float | int
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip(_JS_SPACE):
        number = _js_number(value)
    else:
        raise coded("ERR_SOCKET_BAD_PORT", name=name, value=value, allow_zero=allow_zero)
    whole = isinstance(number, int) or number.is_integer()
    # Node tests `port === 0`: only the number 0 is refused by allow_zero=False.
    refused_zero = not allow_zero and number == 0 and not isinstance(value, str)
    if not whole or not 0 <= number <= 0xFFFF or refused_zero:
        raise coded("ERR_SOCKET_BAD_PORT", name=name, value=value, allow_zero=allow_zero)
    return int(number)


def validate_function(value: object, name: str) -> Callable[..., Any]:
    """Return ``value`` if it is callable.

    Raises:
        TypeError: it is not (code ``ERR_INVALID_ARG_TYPE``).

    Node: ``validateFunction(value, name)``
    """
    if not callable(value):
        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="Function", value=value)
    return value


def validate_boolean(value: object, name: str) -> bool:
    """Return ``value`` if it is a ``bool``.

    Raises:
        TypeError: it is not (code ``ERR_INVALID_ARG_TYPE``).

    Node: ``validateBoolean(value, name)``
    """
    if not isinstance(value, bool):
        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="boolean", value=value)
    return value


def validate_string(value: object, name: str) -> str:
    """Return ``value`` if it is a ``str``.

    Raises:
        TypeError: it is not (code ``ERR_INVALID_ARG_TYPE``).

    Node: ``validateString(value, name)``
    """
    if not isinstance(value, str):
        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="string", value=value)
    return value


def validate_object(value: object, name: str, *, nullable: bool = False) -> Mapping[str, Any]:
    """Return ``value`` if it is a mapping (Node's plain object, e.g. an options dict).

    Args:
        value: The value to check.
        name: How the message names it.
        nullable: Whether ``None`` passes too (returned as an empty mapping).

    Raises:
        TypeError: it is not (code ``ERR_INVALID_ARG_TYPE``).

    Node: ``validateObject(value, name, { nullable })``
    """
    if value is None and nullable:
        return {}
    if not isinstance(value, Mapping):
        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="Object", value=value)
    return value


def validate_number(
    value: object, name: str, min: float | None = None, max: float | None = None
) -> float:
    """Return ``value`` if it is a number within ``[min, max]`` (each bound optional).

    With a bound given, NaN is out of range.

    Raises:
        TypeError: not an ``int``/``float`` (code ``ERR_INVALID_ARG_TYPE``).
        ValueError: out of range (code ``ERR_OUT_OF_RANGE``).

    Node: ``validateNumber(value, name, min, max)``
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="number", value=value)
    number = value
    bounded = min is not None or max is not None
    if (
        (min is not None and number < min)
        or (max is not None and number > max)
        or (bounded and isinstance(number, float) and math.isnan(number))
    ):
        low = f">= {min}" if min is not None else ""
        both = " && " if min is not None and max is not None else ""
        high = f"<= {max}" if max is not None else ""
        raise coded("ERR_OUT_OF_RANGE", name=name, range=f"{low}{both}{high}", value=value)
    return number


def _validate_integer(value: object, name: str, low: int, high: int) -> int:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="number", value=value)
    if isinstance(value, float) and not value.is_integer():
        raise coded("ERR_OUT_OF_RANGE", name=name, range="an integer", value=value)
    number = int(value)
    if not low <= number <= high:
        raise coded("ERR_OUT_OF_RANGE", name=name, range=f">= {low} && <= {high}", value=value)
    return number


def validate_int32(value: object, name: str, min: int = -(2**31), max: int = 2**31 - 1) -> int:
    """Return ``value`` as an ``int`` if it is a whole number in ``[min, max]`` (32-bit signed).

    Raises:
        TypeError: not an ``int``/``float`` (code ``ERR_INVALID_ARG_TYPE``).
        ValueError: not whole, or out of range (code ``ERR_OUT_OF_RANGE``).

    Node: ``validateInt32(value, name, min, max)``
    """
    return _validate_integer(value, name, min, max)


def validate_uint32(value: object, name: str, positive: bool = False) -> int:
    """Return ``value`` as an ``int`` if it is a whole number in 0 (1 if ``positive``)..2**32-1.

    Raises:
        TypeError: not an ``int``/``float`` (code ``ERR_INVALID_ARG_TYPE``).
        ValueError: not whole, or out of range (code ``ERR_OUT_OF_RANGE``).

    Node: ``validateUint32(value, name, positive)``
    """
    return _validate_integer(value, name, 1 if positive else 0, 2**32 - 1)


def validate_timer_duration(ms: object, name: str = "msecs") -> float:
    """Check a timer duration in milliseconds, as ``socket.setTimeout`` does.

    Durations past ``2**31 - 1`` ms are truncated to it, with a ``TimeoutOverflowWarning``.

    Args:
        ms: The duration.
        name: How the message names it.

    Returns:
        The duration as a ``float``.

    Raises:
        TypeError: not an ``int``/``float`` (code ``ERR_INVALID_ARG_TYPE``).
        ValueError: negative, NaN or infinite (code ``ERR_OUT_OF_RANGE``).

    Node: ``getTimerDuration(msecs, name)`` in ``lib/internal/timers.js``
    """
    if not isinstance(ms, (int, float)) or isinstance(ms, bool):
        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="number", value=ms)
    number = ms
    if number < 0 or (isinstance(number, float) and not math.isfinite(number)):
        raise coded("ERR_OUT_OF_RANGE", name=name, range="a non-negative finite number", value=ms)
    if number > TIMEOUT_MAX:
        warnings.warn(
            TimeoutOverflowWarning(
                f"{number} does not fit into a 32-bit signed integer.\n"
                f"Timer duration was truncated to {TIMEOUT_MAX}."
            ),
            stacklevel=3,
        )
        return float(TIMEOUT_MAX)
    return float(number)
