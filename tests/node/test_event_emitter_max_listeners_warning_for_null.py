# Rewritten from Node v20 test/parallel/test-event-emitter-max-listeners-warning-for-null.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter, MaxListenersExceededWarning

pytestmark = pytest.mark.node_port("test-event-emitter-max-listeners-warning-for-null.js")

# Node's process 'warning' event is Python's warnings module; JS null is None.


def test_warning_for_none_event_name() -> None:
    e = EventEmitter()
    e.set_max_listeners(1)

    def add_two() -> None:
        e.on(None, lambda: None)
        e.on(None, lambda: None)

    with pytest.warns(MaxListenersExceededWarning) as record:
        add_two()

    assert len(record) == 1
    warning = record[0].message
    assert isinstance(warning, MaxListenersExceededWarning)
    assert isinstance(warning, Warning)
    assert type(warning).__name__ == "MaxListenersExceededWarning"
    assert warning.emitter is e
    assert warning.count == 2
    assert warning.type is None
    assert "2 None listeners added to [EventEmitter]." in str(warning)
