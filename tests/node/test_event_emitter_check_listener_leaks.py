# Rewritten from Node v20 test/parallel/test-event-emitter-check-listener-leaks.js
from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from anyio_net import EventEmitter, MaxListenersExceededWarning

pytestmark = pytest.mark.node_port("test-event-emitter-check-listener-leaks.js")

# Node reads its private "warned" mark on e._events[name]; here the mark is observed as
# the MaxListenersExceededWarning being issued (once) or not.


class Symbol:
    def __init__(self, description: str) -> None:
        self.description = description

    def __str__(self) -> str:
        return f"Symbol({self.description})"


@contextmanager
def warned_events() -> Iterator[list[Any]]:
    """Collects the event names of the max-listener warnings issued inside the block."""
    names: list[Any] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield names
    names.extend(
        w.message.type for w in caught if isinstance(w.message, MaxListenersExceededWarning)
    )


@pytest.fixture
def default_max() -> Iterator[None]:
    saved = EventEmitter.default_max_listeners
    yield
    EventEmitter.default_max_listeners = saved


def test_per_emitter_limits(must_not_call: Callable[..., Any]) -> None:
    e = EventEmitter()

    # default
    with warned_events() as warned:
        for _ in range(10):
            e.on("default", must_not_call())
    assert warned == []
    with warned_events() as warned:
        e.on("default", must_not_call())
    assert warned == ["default"]

    # symbol
    symbol = Symbol("symbol")
    e.set_max_listeners(1)
    with warned_events() as warned:
        e.on(symbol, must_not_call())
    assert warned == []
    with warned_events() as warned:
        e.on(symbol, must_not_call())
    assert warned == [symbol]

    # specific
    e.set_max_listeners(5)
    with warned_events() as warned:
        for _ in range(5):
            e.on("specific", must_not_call())
    assert warned == []
    with warned_events() as warned:
        e.on("specific", must_not_call())
    assert warned == ["specific"]

    # only one
    e.set_max_listeners(1)
    with warned_events() as warned:
        e.on("only one", must_not_call())
    assert warned == []
    with warned_events() as warned:
        e.on("only one", must_not_call())
    assert warned == ["only one"]

    # unlimited
    e.set_max_listeners(0)
    with warned_events() as warned:
        for _ in range(1000):
            e.on("unlimited", must_not_call())
    assert warned == []


def test_process_wide_default(default_max: None, must_not_call: Callable[..., Any]) -> None:
    EventEmitter.default_max_listeners = 42
    e = EventEmitter()

    with warned_events() as warned:
        for _ in range(42):
            e.on("fortytwo", must_not_call())
    assert warned == []
    with warned_events() as warned:
        e.on("fortytwo", must_not_call())
    assert warned == ["fortytwo"]
    e._forget_warning("fortytwo")  # Node deletes its private "warned" mark here

    EventEmitter.default_max_listeners = 44
    with warned_events() as warned:
        e.on("fortytwo", must_not_call())
    assert warned == []
    with warned_events() as warned:
        e.on("fortytwo", must_not_call())
    assert warned == ["fortytwo"]


def test_own_limit_wins_over_default(default_max: None, must_not_call: Callable[..., Any]) -> None:
    EventEmitter.default_max_listeners = 42
    e = EventEmitter()
    e.set_max_listeners(1)
    with warned_events() as warned:
        e.on("uno", must_not_call())
    assert warned == []
    with warned_events() as warned:
        e.on("uno", must_not_call())
    assert warned == ["uno"]

    # chainable
    assert e.set_max_listeners(1) is e
