# Rewritten from Node v20 test/parallel/test-event-emitter-subclass.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-subclass.js")

# Node's MyEE uses the emitter before calling the EventEmitter constructor; a Python
# subclass calls super().__init__() first. The prototype-sharing MyEE2 becomes two
# instances of one subclass.


def test_subclass_uses_the_emitter_in_its_constructor(must_call: Callable[..., Any]) -> None:
    class MyEE(EventEmitter):
        def __init__(self, cb: Callable[[], None]) -> None:
            super().__init__()
            self.once(1, cb)
            self.emit(1)
            self.remove_all_listeners()

    myee = MyEE(must_call())

    class ErrorEE(EventEmitter):
        def __init__(self) -> None:
            super().__init__()
            self.emit("error", Exception("blerg"))

    with pytest.raises(Exception, match="blerg"):
        ErrorEE()

    assert myee.event_names() == []


def test_instances_do_not_share_listeners() -> None:
    class MyEE2(EventEmitter):
        pass

    ee1 = MyEE2()
    ee2 = MyEE2()

    ee1.on("x", lambda: None)

    assert ee2.listener_count("x") == 0
