# Rewritten from Node v20 test/parallel/test-event-emitter-once.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-once.js")


def test_once(must_call: Callable[..., Any]) -> None:
    e = EventEmitter()

    e.once("hello", must_call())

    e.emit("hello", "a", "b")
    e.emit("hello", "a", "b")
    e.emit("hello", "a", "b")
    e.emit("hello", "a", "b")

    def remove() -> None:
        pytest.fail("once->foo should not be emitted")

    e.once("foo", remove)
    e.remove_listener("foo", remove)
    e.emit("foo")

    e.once("e", must_call(lambda: e.emit("e")))
    e.once("e", must_call())
    e.emit("e")


@pytest.mark.parametrize("count", range(5))
def test_once_with_each_number_of_arguments(count: int, must_call: Callable[..., Any]) -> None:
    # Node's once() has a code path per argument count; check them all.
    ee = EventEmitter()
    args: list[Any] = ["foo", *range(count)]

    def check(*params: Any) -> None:
        assert list(params) == args[1:]

    ee.once("foo", must_call(check))
    ee.emit(*args)
