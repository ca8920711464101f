# Rewritten from Node v20 test/parallel/test-event-emitter-remove-all-listeners.js
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-remove-all-listeners.js")

# Left out: the block that sets the private ee._events to undefined (no Python analogue).


class Symbol:
    def __init__(self, description: str) -> None:
        self.description = description


@pytest.fixture
def expect(must_call: Callable[..., Any]) -> Iterator[Callable[[list[str]], Any]]:
    """A 'removeListener' listener that must see exactly these names (in any order)."""
    checks: list[tuple[list[str], list[str]]] = []

    def make(expected: list[str]) -> Any:
        actual: list[str] = []
        checks.append((actual, expected))

        def listener(name: str) -> None:
            actual.append(name)

        return must_call(listener, len(expected))

    yield make
    for actual, expected in checks:  # Node checks these at process exit
        assert sorted(actual) == sorted(expected)


def test_remove_all_of_some_events(
    expect: Callable[[list[str]], Any], must_not_call: Callable[..., Any]
) -> None:
    ee = EventEmitter()
    noop = must_not_call()
    ee.on("foo", noop)
    ee.on("bar", noop)
    ee.on("baz", noop)
    ee.on("baz", noop)
    foo_listeners = ee.listeners("foo")
    bar_listeners = ee.listeners("bar")
    baz_listeners = ee.listeners("baz")
    ee.on("removeListener", expect(["bar", "baz", "baz"]))
    ee.remove_all_listeners("bar")
    ee.remove_all_listeners("baz")
    assert ee.listeners("foo") == [noop]
    assert ee.listeners("bar") == []
    assert ee.listeners("baz") == []
    # After remove_all_listeners(), the old listener lists stay unchanged.
    assert foo_listeners == [noop]
    assert bar_listeners == [noop]
    assert baz_listeners == [noop, noop]
    # After remove_all_listeners(), new listener lists are different from the old.
    assert ee.listeners("bar") is not bar_listeners
    assert ee.listeners("baz") is not baz_listeners


def test_remove_all_reports_in_lifo_order(
    expect: Callable[[list[str]], Any], must_not_call: Callable[..., Any]
) -> None:
    ee = EventEmitter()
    ee.on("foo", must_not_call())
    ee.on("bar", must_not_call())
    # Expect LIFO order
    ee.on("removeListener", expect(["foo", "bar", "removeListener"]))
    ee.on("removeListener", expect(["foo", "bar"]))
    ee.remove_all_listeners()
    assert ee.listeners("foo") == []
    assert ee.listeners("bar") == []


def test_remove_all_of_an_event_without_listeners(must_not_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    ee.on("removeListener", must_not_call())
    # Regression: remove_all_listeners() raised when 'removeListener' had listeners but the
    # event had none. (Node only binds the call; it is made here.)
    ee.remove_all_listeners("foo")


def test_remove_listener_sees_the_shrinking_list(must_not_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    expect_length = 2

    def on_remove(name: str, noop: Any) -> None:
        nonlocal expect_length
        assert expect_length == len(ee.listeners("baz"))
        expect_length -= 1

    ee.on("removeListener", on_remove)
    ee.on("baz", must_not_call())
    ee.on("baz", must_not_call())
    ee.on("baz", must_not_call())
    assert len(ee.listeners("baz")) == expect_length + 1
    ee.remove_all_listeners("baz")
    assert len(ee.listeners("baz")) == 0


def test_remove_all_returns_the_emitter() -> None:
    ee = EventEmitter()
    assert ee.remove_all_listeners() is ee


def test_remove_all_reports_symbol_events(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    ee = EventEmitter()
    symbol = Symbol("symbol")
    noop = must_not_call()
    ee.on(symbol, noop)

    def on_remove(*args: Any) -> None:
        assert list(args) == [symbol, noop]

    ee.on("removeListener", must_call(on_remove))
    ee.remove_all_listeners()
