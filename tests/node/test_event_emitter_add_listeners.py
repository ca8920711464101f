# Rewritten from Node v20 test/parallel/test-event-emitter-add-listeners.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-add-listeners.js")


def test_new_listener_reports_each_added_listener(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    ee = EventEmitter()
    events_new_listener_emitted: list[Any] = []
    listeners_new_listener_emitted: list[Any] = []

    assert EventEmitter.add_listener is EventEmitter.on  # type: ignore[misc]

    def on_new_listener(event: str, listener: Any) -> None:
        if event == "newListener":  # don't track newListener listeners
            return
        events_new_listener_emitted.append(event)
        listeners_new_listener_emitted.append(listener)

    ee.on("newListener", on_new_listener)

    def hello_body(a: str, b: str) -> None:
        assert a == "a"
        assert b == "b"

    hello = must_call(hello_body)

    def first_new_listener(name: str, listener: Any) -> None:
        assert name == "hello"
        assert listener is hello
        assert ee.listeners("hello") == []

    ee.once("newListener", first_new_listener)

    ee.on("hello", hello)
    fail = must_not_call()
    ee.once("foo", fail)
    assert events_new_listener_emitted == ["hello", "foo"]
    assert listeners_new_listener_emitted == [hello, fail]

    ee.emit("hello", "a", "b")


def test_set_max_listeners_zero_does_not_raise() -> None:
    f = EventEmitter()
    f.set_max_listeners(0)


def test_listener_added_from_new_listener_comes_first() -> None:
    def listen1() -> None:
        pass

    def listen2() -> None:
        pass

    ee = EventEmitter()

    def outer() -> None:
        assert ee.listeners("hello") == []

        def inner() -> None:
            assert ee.listeners("hello") == []

        ee.once("newListener", inner)
        ee.on("hello", listen2)

    ee.once("newListener", outer)
    ee.on("hello", listen1)
    # The order of listeners on an event is not always the order of the calls that added them.
    assert ee.listeners("hello") == [listen2, listen1]
