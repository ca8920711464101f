# Rewritten from Node v20 test/parallel/test-events-static-geteventlisteners.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter, get_event_listeners

pytestmark = pytest.mark.node_port("test-events-static-geteventlisteners.js")

# Left out: the EventTarget blocks, weak handlers included (EventTarget is not part of this
# API). Python requires the name argument, so the invalid-emitter call passes one.


def test_get_event_listeners(must_not_call: Callable[..., Any]) -> None:
    fn1 = must_not_call()
    fn2 = must_not_call()
    emitter = EventEmitter()
    emitter.on("foo", fn1)
    emitter.on("foo", fn2)
    emitter.on("baz", fn1)
    emitter.on("baz", fn1)
    assert get_event_listeners(emitter, "foo") == [fn1, fn2]
    assert get_event_listeners(emitter, "bar") == []
    assert get_event_listeners(emitter, "baz") == [fn1, fn1]


def test_invalid_emitter() -> None:
    with pytest.raises(TypeError) as info:
        get_event_listeners("INVALID_EMITTER", "foo")  # type: ignore[arg-type]
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
