# Rewritten from Node v20 test/parallel/test-event-emitter-method-names.js
from __future__ import annotations

import inspect

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-method-names.js")

# The camelCase aliases (addListener, ...) are bound to the very same function objects by
# design, so only the snake_case public names are checked for matching __name__.


def test_method_names() -> None:
    e = EventEmitter
    assert e.__name__ == "EventEmitter"
    assert e.on is e.add_listener  # type: ignore[misc]  # Same method.
    assert e.off is e.remove_listener  # type: ignore[misc]  # Same method.
    checked = 0
    for name, value in vars(e).items():
        if name in ("on", "off", "add_listener") or name.startswith("_"):
            continue
        if not inspect.isfunction(value) or name != name.lower():
            continue
        assert value.__name__ == name
        checked += 1
    assert checked >= 10
