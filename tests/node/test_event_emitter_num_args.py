# Rewritten from Node v20 test/parallel/test-event-emitter-num-args.js
from __future__ import annotations

from typing import Any

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-num-args.js")


def test_every_argument_is_passed() -> None:
    e = EventEmitter()
    num_args_emitted: list[int] = []

    def num_args(*args: Any) -> None:
        num_args_emitted.append(len(args))

    e.on("numArgs", num_args)
    e.on("foo", lambda *args: num_args_emitted.append(len(args)))
    e.on("foo", lambda *args: num_args_emitted.append(len(args)))

    e.emit("numArgs")
    e.emit("numArgs", None)
    e.emit("numArgs", None, None)
    e.emit("numArgs", None, None, None)
    e.emit("numArgs", None, None, None, None)
    e.emit("numArgs", None, None, None, None, None)

    e.emit("foo", None, None, None, None)

    assert num_args_emitted == [0, 1, 2, 3, 4, 5, 4, 4]
