# Rewritten from Node v20 test/parallel/test-events-uncaught-exception-stack.js
from __future__ import annotations

import traceback

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-events-uncaught-exception-stack.js")

# Node checks the stack of the error an unhandled 'error' throws (caught by
# process.on('uncaughtException'), left out); here the raised exception's traceback: the
# error itself, with only frame lines between header and message.


def emit_error() -> None:
    EventEmitter().emit("error", Exception())


def test_unhandled_error_keeps_a_plain_traceback() -> None:
    with pytest.raises(Exception) as info:
        emit_error()
    assert type(info.value) is Exception
    lines = "".join(traceback.format_exception(info.value)).splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1] == "Exception"
    for line in lines[1:-1]:
        assert line.startswith("  ")
    assert any("emit_error" in line for line in lines)
