# Rewritten from Node v20 test/parallel/test-net-write-arguments.js
"""``write(None)`` raises ``ERR_STREAM_NULL_VALUES``; booleans, numbers, lists and dicts
raise ``ERR_INVALID_ARG_TYPE``; no 'error' event."""

from __future__ import annotations

import math
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-write-arguments.js"), pytest.mark.anyio]

# Python has one None for JS's null and undefined: None takes null's error. The message
# lists what Node v20 lists now (Buffer, TypedArray, or DataView) and shows Python values
# where common.invalidArgTypeHelper shows JS ones.
PREFIX = (
    'The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView.'
)
VALUES = [
    (True, " Received type bool (True)"),
    (False, " Received type bool (False)"),
    (1, " Received type int (1)"),
    (1.0, " Received type float (1.0)"),
    (math.inf, " Received type float (inf)"),
    (-math.inf, " Received type float (-inf)"),
    ([], " Received an instance of list"),
    ({}, " Received an instance of dict"),
]


async def test_null_value(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            socket = net.Socket({"highWaterMark": 0})
            socket.on("error", must_call(None, 0))
            with pytest.raises(TypeError) as info:
                socket.write(None)
            assert info.value.code == "ERR_STREAM_NULL_VALUES"  # type: ignore[attr-defined]
            assert str(info.value) == "May not write null values to stream"


async def test_wrong_types(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            for value, received in VALUES:
                socket = net.Socket({"highWaterMark": 0})
                socket.on("error", must_call(None, 0))
                with pytest.raises(TypeError) as info:
                    socket.write(value)
                assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
                assert str(info.value) == PREFIX + received
