# Rewritten from Node v20 test/parallel/test-event-emitter-invalid-listener.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-invalid-listener.js")


@pytest.mark.parametrize("method", ["on", "once", "remove_listener", "prepend_once_listener"])
def test_listener_must_be_a_function(method: str) -> None:
    ee = EventEmitter()
    with pytest.raises(TypeError) as info:
        getattr(ee, method)("foo", None)
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert str(info.value) == (
        'The "listener" argument must be of type function. Received None'  # Node: null
    )
