# Rewritten from Node v20 test/parallel/test-event-emitter-max-listeners-warning-for-symbol.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter, MaxListenersExceededWarning

pytestmark = pytest.mark.node_port("test-event-emitter-max-listeners-warning-for-symbol.js")

# Node's process 'warning' event is Python's warnings module; a JS Symbol is a unique object.


class Symbol:
    def __init__(self, description: str) -> None:
        self.description = description

    def __str__(self) -> str:
        return f"Symbol({self.description})"


def test_warning_for_symbol_event_name() -> None:
    symbol = Symbol("symbol")
    e = EventEmitter()
    e.set_max_listeners(1)

    def add_two() -> None:
        e.on(symbol, lambda: None)
        e.on(symbol, lambda: None)

    with pytest.warns(MaxListenersExceededWarning) as record:
        add_two()

    assert len(record) == 1
    warning = record[0].message
    assert isinstance(warning, MaxListenersExceededWarning)
    assert type(warning).__name__ == "MaxListenersExceededWarning"
    assert warning.emitter is e
    assert warning.count == 2
    assert warning.type is symbol
    assert "2 Symbol(symbol) listeners added to [EventEmitter]." in str(warning)
