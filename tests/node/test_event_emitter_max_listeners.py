# Rewritten from Node v20 test/parallel/test-event-emitter-max-listeners.js
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter
from anyio_net._emitter import set_max_listeners

pytestmark = pytest.mark.node_port("test-event-emitter-max-listeners.js")

# Left out: assigning a bad value to events.defaultMaxListeners (a validating setter in
# Node; EventEmitter.default_max_listeners is a plain class attribute).

RANGE_ERROR_OBJS = [math.nan, -1]
TYPE_ERROR_OBJ = "and even this"


def test_set_max_listeners_validates(must_call: Callable[..., Any]) -> None:
    e = EventEmitter()
    e.on("maxListeners", must_call())

    e.set_max_listeners(42)

    for obj in RANGE_ERROR_OBJS:
        with pytest.raises(ValueError) as info:  # Node's RangeError
            e.set_max_listeners(obj)
        assert info.value.code == "ERR_OUT_OF_RANGE"  # type: ignore[attr-defined]

    with pytest.raises(TypeError) as type_info:
        e.set_max_listeners(TYPE_ERROR_OBJ)  # type: ignore[arg-type]
    assert type_info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]

    e.emit("maxListeners")


def test_module_set_max_listeners_validates() -> None:
    default_max_listeners = EventEmitter.default_max_listeners
    for obj in RANGE_ERROR_OBJS:
        with pytest.raises(ValueError) as info:
            set_max_listeners(obj)
        assert info.value.code == "ERR_OUT_OF_RANGE"  # type: ignore[attr-defined]

    with pytest.raises(TypeError) as type_info:
        set_max_listeners(TYPE_ERROR_OBJ)  # type: ignore[arg-type]
    assert type_info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]

    with pytest.raises(TypeError) as type_info:
        set_max_listeners(default_max_listeners, "INVALID_EMITTER")  # type: ignore[arg-type]
    assert type_info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert EventEmitter.default_max_listeners == default_max_listeners
