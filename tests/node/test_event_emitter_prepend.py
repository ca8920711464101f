# Rewritten from Node v20 test/parallel/test-event-emitter-prepend.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-prepend.js")

# Left out: the fallback of the legacy stream.Stream.pipe when prependListener is deleted
# from the prototype (streams are outside this API).


def test_prepend_order(must_call: Callable[..., Any]) -> None:
    my_ee = EventEmitter()
    m = 0

    def last() -> None:
        assert m == 2

    def second() -> None:
        nonlocal m
        assert m == 1
        m += 1

    def first() -> None:
        nonlocal m
        assert m == 0
        m += 1

    my_ee.on("foo", must_call(last))  # This one comes last.
    my_ee.prepend_listener("foo", must_call(second))  # This one comes second.
    my_ee.prepend_once_listener("foo", must_call(first))  # This one comes first.

    my_ee.emit("foo")
