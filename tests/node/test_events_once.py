# Rewritten from Node v20 test/parallel/test-events-once.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from anyio_net import EventEmitter, once

pytestmark = [pytest.mark.node_port("test-events-once.js"), pytest.mark.anyio]

# Left out: the AbortSignal cases (abortSignalBefore/After/AfterEvent/RemoveListener,
# catchesErrorsWithAbortSignal), the EventTarget cases, and onceAnEventWithNullOptions:
# once() takes no options (there is no AbortSignal here; cancel with an anyio scope).
# Node's process.nextTick becomes a task started in a task group: it runs once the waiter
# is parked.


def next_tick(tg: anyio.abc.TaskGroup, fn: Callable[[], Any]) -> None:
    async def run() -> None:
        fn()

    tg.start_soon(run)


async def test_once_an_event() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        async with anyio.create_task_group() as tg:
            next_tick(tg, lambda: ee.emit("myevent", 42))
            (value,) = await once(ee, "myevent")
        assert value == 42
        assert ee.listener_count("error") == 0
        assert ee.listener_count("myevent") == 0


async def test_once_an_event_with_two_args() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        async with anyio.create_task_group() as tg:
            next_tick(tg, lambda: ee.emit("myevent", 42, 24))
            value = await once(ee, "myevent")
        assert value == (42, 24)


async def test_catches_errors() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        expected = Exception("kaboom")
        err = None
        async with anyio.create_task_group() as tg:
            next_tick(tg, lambda: ee.emit("error", expected))
            try:
                await once(ee, "myevent")
            except Exception as e:
                err = e
        assert err is expected
        assert ee.listener_count("error") == 0
        assert ee.listener_count("myevent") == 0


async def test_stop_listening_after_catching_error() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        expected = Exception("kaboom")
        err = None

        def both() -> None:
            ee.emit("error", expected)
            ee.emit("myevent", 42, 24)

        async with anyio.create_task_group() as tg:
            next_tick(tg, both)
            try:
                await once(ee, "myevent")
            except Exception as e:
                err = e
        assert err is expected
        assert ee.listener_count("error") == 0
        assert ee.listener_count("myevent") == 0


async def test_once_error() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        expected = Exception("kaboom")
        counts: list[int] = []

        def check_then_emit() -> None:
            counts.append(ee.listener_count("error"))
            ee.emit("error", expected)

        async with anyio.create_task_group() as tg:
            next_tick(tg, check_then_emit)
            (err,) = await once(ee, "error")
        assert counts == [1]
        assert err is expected
        assert ee.listener_count("error") == 0
        assert ee.listener_count("myevent") == 0


async def test_once_with_invalid_event_emitter() -> None:
    with anyio.fail_after(5):
        with pytest.raises(TypeError) as info:
            await once(object(), "myevent")  # Node passes an AbortController
        assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]


async def test_prioritizes_event_emitter() -> None:
    with anyio.fail_after(5):

        class Picky(EventEmitter):
            def add_event_listener(self, *args: Any) -> None:
                pytest.fail("EventTarget API used")

            def remove_all_listeners(self, name: Any = None) -> Picky:
                pytest.fail("remove_all_listeners used")

        ee = Picky()
        async with anyio.create_task_group() as tg:
            next_tick(tg, lambda: ee.emit("foo"))
            await once(ee, "foo")
