# Rewritten from Node v20 test/parallel/test-event-emitter-remove-listeners.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-remove-listeners.js")

# Left out: the block that sets the private ee._events to undefined (no Python analogue).


def listener1() -> None:
    pass


def listener2() -> None:
    pass


def test_remove_listener_event(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    ee.on("hello", listener1)

    def on_remove(name: str, cb: Any) -> None:
        assert name == "hello"
        assert cb is listener1

    ee.on("removeListener", must_call(on_remove))
    ee.remove_listener("hello", listener1)
    assert ee.listeners("hello") == []


def test_removing_an_unknown_listener(must_not_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    ee.on("hello", listener1)
    ee.on("removeListener", must_not_call())
    ee.remove_listener("hello", listener2)
    assert ee.listeners("hello") == [listener1]


def test_remove_two_listeners_one_by_one(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    ee.on("hello", listener1)
    ee.on("hello", listener2)

    def first(name: str, cb: Any) -> None:
        assert name == "hello"
        assert cb is listener1
        assert ee.listeners("hello") == [listener2]

    ee.once("removeListener", must_call(first))
    ee.remove_listener("hello", listener1)
    assert ee.listeners("hello") == [listener2]

    def second(name: str, cb: Any) -> None:
        assert name == "hello"
        assert cb is listener2
        assert ee.listeners("hello") == []

    ee.once("removeListener", must_call(second))
    ee.remove_listener("hello", listener2)
    assert ee.listeners("hello") == []


def test_remove_listener_listener_removes_and_emits(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()

    def remove1() -> None:
        pytest.fail("remove1 should not have been called")

    def remove2() -> None:
        pytest.fail("remove2 should not have been called")

    def on_remove(name: str, cb: Any) -> None:
        if cb is not remove1:
            return
        ee.remove_listener("quux", remove2)
        ee.emit("quux")

    ee.on("removeListener", must_call(on_remove, 2))
    ee.on("quux", remove1)
    ee.on("quux", remove2)
    ee.remove_listener("quux", remove1)


def test_nested_remove_listener_events(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    ee.on("hello", listener1)
    ee.on("hello", listener2)

    def inner(name: str, cb: Any) -> None:
        assert name == "hello"
        assert cb is listener2
        assert ee.listeners("hello") == []

    def outer(name: str, cb: Any) -> None:
        assert name == "hello"
        assert cb is listener1
        assert ee.listeners("hello") == [listener2]
        ee.once("removeListener", must_call(inner))
        ee.remove_listener("hello", listener2)
        assert ee.listeners("hello") == []

    ee.once("removeListener", must_call(outer))
    ee.remove_listener("hello", listener1)
    assert ee.listeners("hello") == []


def test_removed_listener_still_runs_in_the_current_emit(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    listener4 = must_call()
    listener3 = must_call(lambda: ee.remove_listener("hello", listener4), 2)

    ee.on("hello", listener3)
    ee.on("hello", listener4)

    # listener4 is still called although listener3 removes it: the emit works on the
    # list as it was when it started, [listener3, listener4].
    ee.emit("hello")
    # Now the list is [listener3].
    ee.emit("hello")


def test_once_listener_removal_is_reported(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    ee.once("hello", listener1)

    def on_remove(event_name: str, listener: Any) -> None:
        assert event_name == "hello"
        assert listener is listener1

    ee.on("removeListener", must_call(on_remove))
    ee.emit("hello")


def test_remove_listener_returns_the_emitter() -> None:
    ee = EventEmitter()
    assert ee.remove_listener("foo", lambda: None) is ee


def test_order_after_remove_and_add() -> None:
    ee = EventEmitter()

    ee.on("foo", listener1)
    ee.on("foo", listener2)
    assert ee.listeners("foo") == [listener1, listener2]

    ee.remove_listener("foo", listener1)
    assert ee.raw_listeners("foo") == [listener2]  # Node: ee._events.foo === listener2

    ee.on("foo", listener1)
    assert ee.listeners("foo") == [listener2, listener1]

    ee.remove_listener("foo", listener1)
    assert ee.raw_listeners("foo") == [listener2]
