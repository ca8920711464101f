# Rewritten from Node v20 test/parallel/test-event-emitter-no-error-provided-to-error-event.js
from __future__ import annotations

from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-no-error-provided-to-error-event.js")

# Node catches the unhandled 'error' with a domain (left out: no domains here); the same
# facts are checked on what emit() raises: an error is created for a missing or falsy
# value, and other values travel in its `context` (what the domain would have received).


def test_no_argument_creates_an_error() -> None:
    e = EventEmitter()
    with pytest.raises(Exception) as info:
        e.emit("error")
    assert isinstance(info.value, Exception), "error created"
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]


@pytest.mark.parametrize("arg", [False, None])
def test_falsy_argument_creates_an_error(arg: Any) -> None:
    e = EventEmitter()
    with pytest.raises(Exception) as info:
        e.emit("error", arg)
    assert isinstance(info.value, Exception), "error created"
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]


@pytest.mark.parametrize("arg", [42, "fortytwo", True])
def test_other_values_are_carried(arg: Any) -> None:
    e = EventEmitter()
    with pytest.raises(Exception) as info:
        e.emit("error", arg)
    assert info.value.context is arg  # type: ignore[attr-defined]
