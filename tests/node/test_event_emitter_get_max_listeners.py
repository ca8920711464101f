# Rewritten from Node v20 test/parallel/test-event-emitter-get-max-listeners.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-get-max-listeners.js")

# Left out: calling EventEmitter.prototype.on with a plain object as `this` (nodejs/node#523);
# Python methods are not rebound to foreign objects.


def test_get_max_listeners() -> None:
    emitter = EventEmitter()

    assert emitter.get_max_listeners() == EventEmitter.default_max_listeners

    emitter.set_max_listeners(0)
    assert emitter.get_max_listeners() == 0

    emitter.set_max_listeners(3)
    assert emitter.get_max_listeners() == 3
