# Rewritten from Node v20 test/parallel/test-event-emitter-listener-count.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter, listener_count

pytestmark = pytest.mark.node_port("test-event-emitter-listener-count.js")


def test_listener_count() -> None:
    emitter = EventEmitter()
    emitter.on("foo", lambda: None)
    emitter.on("foo", lambda: None)
    emitter.on("baz", lambda: None)
    # Allow any type
    emitter.on(123, lambda: None)

    assert listener_count(emitter, "foo") == 2
    assert emitter.listener_count("foo") == 2
    assert emitter.listener_count("bar") == 0
    assert emitter.listener_count("baz") == 1
    assert emitter.listener_count(123) == 1
