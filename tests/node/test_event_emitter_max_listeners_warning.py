# Rewritten from Node v20 test/parallel/test-event-emitter-max-listeners-warning.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter, MaxListenersExceededWarning

pytestmark = pytest.mark.node_port("test-event-emitter-max-listeners-warning.js")

# Node's process 'warning' event is Python's warnings module.


class FakeInput(EventEmitter):
    def resume(self) -> None:
        pass

    def pause(self) -> None:
        pass

    def write(self) -> None:
        pass

    def end(self) -> None:
        pass


def test_warning_names_the_subclass_and_comes_once() -> None:
    e = FakeInput()
    e.set_max_listeners(1)

    def add_three() -> None:
        e.on("event-type", lambda: None)
        e.on("event-type", lambda: None)  # Trigger warning.
        e.on("event-type", lambda: None)  # Verify that warning is emitted only once.

    with pytest.warns(MaxListenersExceededWarning) as record:
        add_three()

    assert len(record) == 1
    warning = record[0].message
    assert isinstance(warning, MaxListenersExceededWarning)
    assert type(warning).__name__ == "MaxListenersExceededWarning"
    assert warning.emitter is e
    assert warning.count == 2
    assert warning.type == "event-type"
    assert "2 event-type listeners added to [FakeInput]." in str(warning)
