# Rewritten from Node v20 test/parallel/test-events-getmaxlisteners.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter
from anyio_net._emitter import get_max_listeners, set_max_listeners

pytestmark = pytest.mark.node_port("test-events-getmaxlisteners.js")

# Left out: the same checks on an EventTarget (not part of this API).


def test_module_get_and_set_max_listeners() -> None:
    ee = EventEmitter()
    assert get_max_listeners(ee) == EventEmitter.default_max_listeners
    set_max_listeners(101, ee)
    assert get_max_listeners(ee) == 101
