# Rewritten from Node v20 test/parallel/test-events-listener-count-with-listener.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-events-listener-count-with-listener.js")


def test_listener_count_of_one_listener(must_call: Callable[..., Any]) -> None:
    ee = EventEmitter()
    handler = must_call(None, 3)
    another_handler = must_call()

    def counts(name: str) -> tuple[int, int, int]:
        return (
            ee.listener_count(name),
            ee.listener_count(name, handler),
            ee.listener_count(name, another_handler),
        )

    assert counts("event") == (0, 0, 0)

    ee.once("event", handler)
    assert counts("event") == (1, 1, 0)

    ee.remove_all_listeners("event")
    assert counts("event") == (0, 0, 0)

    ee.on("event", handler)
    assert counts("event") == (1, 1, 0)

    ee.once("event", another_handler)
    assert counts("event") == (2, 1, 1)

    assert counts("another-event") == (0, 0, 0)

    ee.once("event", handler)
    assert counts("event") == (3, 2, 1)

    ee.emit("event")
    assert counts("event") == (1, 1, 0)

    ee.emit("event")
    assert counts("event") == (1, 1, 0)

    ee.off("event", handler)
    assert counts("event") == (0, 0, 0)
