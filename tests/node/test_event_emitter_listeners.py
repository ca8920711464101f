# Rewritten from Node v20 test/parallel/test-event-emitter-listeners.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-listeners.js")

# Left out: the block that sets the private ee._events to undefined (no Python analogue).


def listener() -> None:
    pass


def listener2() -> None:
    pass


def listener3() -> int:
    return 0


def listener4() -> int:
    return 1


def test_listeners_copy_survives_remove_all() -> None:
    ee = EventEmitter()
    ee.on("foo", listener)
    foo_listeners = ee.listeners("foo")
    assert ee.listeners("foo") == [listener]
    ee.remove_all_listeners("foo")
    assert ee.listeners("foo") == []
    assert foo_listeners == [listener]


def test_changing_the_copy_does_not_change_the_emitter() -> None:
    ee = EventEmitter()
    ee.on("foo", listener)
    ee_listeners_copy = ee.listeners("foo")
    assert ee_listeners_copy == [listener]
    assert ee.listeners("foo") == [listener]
    ee_listeners_copy.append(listener2)
    assert ee.listeners("foo") == [listener]
    assert ee_listeners_copy == [listener, listener2]


def test_adding_does_not_change_an_earlier_copy() -> None:
    ee = EventEmitter()
    ee.on("foo", listener)
    ee_listeners_copy = ee.listeners("foo")
    ee.on("foo", listener2)
    assert ee.listeners("foo") == [listener, listener2]
    assert ee_listeners_copy == [listener]


def test_once_listener_is_listed_unwrapped() -> None:
    ee = EventEmitter()
    ee.once("foo", listener)
    assert ee.listeners("foo") == [listener]


def test_on_and_once_listed_in_order() -> None:
    ee = EventEmitter()
    ee.on("foo", listener)
    ee.once("foo", listener2)
    assert ee.listeners("foo") == [listener, listener2]


def test_subclass_starts_empty() -> None:
    class TestStream(EventEmitter):
        pass

    s = TestStream()
    assert s.listeners("foo") == []


def test_raw_listeners_show_once_wrappers() -> None:
    ee = EventEmitter()
    ee.on("foo", listener)
    wrapped_listener = ee.raw_listeners("foo")
    assert len(wrapped_listener) == 1
    assert wrapped_listener[0] is listener
    assert wrapped_listener is not ee.raw_listeners("foo")
    ee.once("foo", listener)
    wrapped_listeners = ee.raw_listeners("foo")
    assert len(wrapped_listeners) == 2
    assert wrapped_listeners[0] is listener
    assert wrapped_listeners[1] is not listener
    assert wrapped_listeners[1].listener is listener  # type: ignore[attr-defined]
    assert wrapped_listeners is not ee.raw_listeners("foo")
    ee.emit("foo")
    assert len(wrapped_listeners) == 2
    assert wrapped_listeners[1].listener is listener  # type: ignore[attr-defined]


def test_calling_a_raw_once_wrapper_removes_it() -> None:
    ee = EventEmitter()
    ee.once("foo", listener3)
    ee.on("foo", listener4)
    raw_listeners = ee.raw_listeners("foo")
    assert len(raw_listeners) == 2
    assert raw_listeners[0]() == 0
    raw_listener = ee.raw_listeners("foo")
    assert len(raw_listener) == 1
    assert raw_listener[0]() == 1
