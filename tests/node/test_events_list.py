# Rewritten from Node v20 test/parallel/test-events-list.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-events-list.js")


class Symbol:
    def __init__(self, description: str) -> None:
        self.description = description


def test_event_names() -> None:
    ee = EventEmitter()

    def m() -> None:
        pass

    ee.on("foo", lambda: None)
    assert ee.event_names() == ["foo"]
    ee.on("bar", m)
    assert ee.event_names() == ["foo", "bar"]
    ee.remove_listener("bar", m)
    assert ee.event_names() == ["foo"]
    s = Symbol("s")
    ee.on(s, m)
    assert ee.event_names() == ["foo", s]
    ee.remove_listener(s, m)
    assert ee.event_names() == ["foo"]
