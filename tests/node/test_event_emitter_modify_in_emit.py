# Rewritten from Node v20 test/parallel/test-event-emitter-modify-in-emit.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-modify-in-emit.js")


def test_modify_listeners_inside_emit() -> None:
    callbacks_called: list[str] = []

    e = EventEmitter()

    def callback1() -> None:
        callbacks_called.append("callback1")
        e.on("foo", callback2)
        e.on("foo", callback3)
        e.remove_listener("foo", callback1)

    def callback2() -> None:
        callbacks_called.append("callback2")
        e.remove_listener("foo", callback2)

    def callback3() -> None:
        callbacks_called.append("callback3")
        e.remove_listener("foo", callback3)

    e.on("foo", callback1)
    assert len(e.listeners("foo")) == 1

    e.emit("foo")
    assert len(e.listeners("foo")) == 2
    assert callbacks_called == ["callback1"]

    e.emit("foo")
    assert len(e.listeners("foo")) == 0
    assert callbacks_called == ["callback1", "callback2", "callback3"]

    e.emit("foo")
    assert len(e.listeners("foo")) == 0
    assert callbacks_called == ["callback1", "callback2", "callback3"]

    e.on("foo", callback1)
    e.on("foo", callback2)
    assert len(e.listeners("foo")) == 2
    e.remove_all_listeners("foo")
    assert len(e.listeners("foo")) == 0

    callbacks_called.clear()

    e.on("foo", callback2)
    e.on("foo", callback3)
    assert len(e.listeners("foo")) == 2
    e.emit("foo")
    assert callbacks_called == ["callback2", "callback3"]
    assert len(e.listeners("foo")) == 0
