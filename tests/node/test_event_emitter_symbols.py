# Rewritten from Node v20 test/parallel/test-event-emitter-symbols.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-symbols.js")

# A JS Symbol is a unique object here.


class Symbol:
    def __init__(self, description: str) -> None:
        self.description = description


def test_symbol_event_names(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    foo = Symbol("foo")
    listener = must_call()

    ee.on(foo, listener)
    assert ee.listeners(foo) == [listener]

    ee.emit(foo)

    ee.remove_all_listeners()
    assert ee.listeners(foo) == []

    ee.on(foo, listener)
    assert ee.listeners(foo) == [listener]

    ee.remove_listener(foo, listener)
    assert ee.listeners(foo) == []
