# Rewritten from Node v20 test/parallel/test-event-emitter-emit-context.js
from __future__ import annotations

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-emit-context.js")

# Node calls emit with `this` bound to a plain object (emit.call(ctx, ...)). A Python
# method is called unbound through the class instead, which needs an emitter: the context
# here is an emitter whose class has an empty name (Node's "no constructor.name").


def test_emit_through_another_context() -> None:
    nameless = type("", (EventEmitter,), {})
    ctx = nameless()
    with pytest.raises(Exception, match=r"^foo$") as info:
        EventEmitter.emit(ctx, "error", Exception("foo"))
    assert type(info.value) is Exception

    assert EventEmitter.emit(EventEmitter(), "foo") is False
