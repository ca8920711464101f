# Rewritten from Node v20 test/parallel/test-event-emitter-special-event-names.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-special-event-names.js")

# Left out: the same check on `process` (process.on / process.emit are not part of this
# API). Python's own special names (__class__, __dict__, ...) are checked too.


def test_names_that_look_like_attributes(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()

    def handler() -> None:
        pass

    assert ee.event_names() == []
    assert ee.listeners("hasOwnProperty") == []
    assert ee.listeners("toString") == []

    names = ["__proto__", "__defineGetter__", "toString", "__class__", "__dict__", "emit"]
    for name in names:
        ee.on(name, handler)

    assert ee.event_names() == names
    for name in names:
        assert ee.listeners(name) == [handler]

    def check(val: int) -> None:
        assert val == 1

    ee.on("__proto__", must_call(check))
    ee.emit("__proto__", 1)
