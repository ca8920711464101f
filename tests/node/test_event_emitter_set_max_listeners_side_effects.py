# Rewritten from Node v20 test/parallel/test-event-emitter-set-max-listeners-side-effects.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-set-max-listeners-side-effects.js")

# Node looks at the keys of its private e._events; event_names() shows the same.


def test_set_max_listeners_adds_no_event() -> None:
    e = EventEmitter()

    assert e.event_names() == []
    e.set_max_listeners(5)
    assert e.event_names() == []
