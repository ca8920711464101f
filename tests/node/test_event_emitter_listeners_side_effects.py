# Rewritten from Node v20 test/parallel/test-event-emitter-listeners-side-effects.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-listeners-side-effects.js")

# Node inspects its private e._events; here the same facts are read through event_names()
# and raw_listeners().


def fail() -> None:
    raise AssertionError("must not be called")


def ok() -> None:
    pass


def test_listeners_has_no_side_effects() -> None:
    e = EventEmitter()

    fl = e.listeners("foo")
    assert isinstance(fl, list)
    assert len(fl) == 0
    assert e.event_names() == []

    e.on("foo", fail)
    fl = e.listeners("foo")
    assert e.raw_listeners("foo") == [fail]
    assert isinstance(fl, list)
    assert len(fl) == 1
    assert fl[0] is fail

    e.listeners("bar")
    assert e.event_names() == ["foo"]

    e.on("foo", ok)
    fl = e.listeners("foo")

    raw = e.raw_listeners("foo")
    assert len(raw) == 2
    assert raw[0] is fail
    assert raw[1] is ok

    assert isinstance(fl, list)
    assert len(fl) == 2
    assert fl[0] is fail
    assert fl[1] is ok
