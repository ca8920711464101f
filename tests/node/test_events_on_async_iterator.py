# Rewritten from Node v20 test/parallel/test-events-on-async-iterator.js
from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from anyio_net import EventEmitter, on

pytestmark = [pytest.mark.node_port("test-events-on-async-iterator.js"), pytest.mark.anyio]

# Left out: the EventTarget and NodeEventTarget cases and every AbortSignal case
# (abortableOnBefore/After/AfterDone, eventTargetAbortable*): neither is part of this API.
# Node's iterator.return() is aclose(), iterator.throw(err) is throw(err), and its
# process.nextTick is a task started in a task group.


def next_tick(tg: anyio.abc.TaskGroup, fn: Callable[[], Any]) -> None:
    async def run() -> None:
        fn()

    tg.start_soon(run)


async def test_basic() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()

        def emit_all() -> None:
            ee.emit("foo", "bar")
            # 'bar' is a spurious event: it must not show up in the iteration.
            ee.emit("bar", 24)
            ee.emit("foo", 42)

        async with anyio.create_task_group() as tg:
            next_tick(tg, emit_all)
            iterable = on(ee, "foo")
            expected = [("bar",), (42,)]
            async for event in iterable:
                current = expected.pop(0)
                assert current == event
                if not expected:
                    break
            del iterable  # what leaving Node's for-await does: the iterator is returned
        gc.collect()
        assert ee.listener_count("foo") == 0
        assert ee.listener_count("error") == 0


def test_invalid_arg_type() -> None:  # on() itself is synchronous
    with pytest.raises(TypeError) as info:
        on({}, "foo")
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]


async def test_error() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        _err = Exception("kaboom")
        looped = False
        thrown: Exception | None = None
        async with anyio.create_task_group() as tg:
            next_tick(tg, lambda: ee.emit("error", _err))
            iterable = on(ee, "foo")
            try:
                async for _event in iterable:
                    looped = True
            except Exception as err:
                thrown = err
        assert thrown is _err
        assert looped is False


async def test_error_delayed() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        _err = Exception("kaboom")

        def emit_both() -> None:
            ee.emit("foo", 42)
            ee.emit("error", _err)

        expected = [(42,)]
        thrown: Exception | None = None
        async with anyio.create_task_group() as tg:
            next_tick(tg, emit_both)
            iterable = on(ee, "foo")
            try:
                async for event in iterable:
                    current = expected.pop(0)
                    assert current == event
            except Exception as err:
                thrown = err
        assert thrown is _err
        assert ee.listener_count("foo") == 0
        assert ee.listener_count("error") == 0


async def test_throw_in_loop() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        _err = Exception("kaboom")

        async def loop() -> None:
            async for event in on(ee, "foo"):
                assert event == (42,)
                raise _err

        async with anyio.create_task_group() as tg:
            next_tick(tg, lambda: ee.emit("foo", 42))
            with pytest.raises(Exception) as info:
                await loop()
        assert info.value is _err
        gc.collect()
        assert ee.listener_count("foo") == 0
        assert ee.listener_count("error") == 0


async def _settle(
    iterable: Any,
    results: list[Any],
    index: int,
    *,
    task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED,
) -> None:
    # started() returns before __anext__ parks, but the starter resumes only after it has.
    task_status.started()
    try:
        results[index] = ("value", await iterable.__anext__())
    except StopAsyncIteration:
        results[index] = ("done", None)
    except Exception as err:
        results[index] = ("rejected", err)


async def test_next() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        iterable = on(ee, "foo")
        results: list[Any] = [None] * 3

        async def emit_then_return() -> None:
            ee.emit("foo", "bar")
            ee.emit("foo", 42)
            await iterable.aclose()

        async with anyio.create_task_group() as tg:
            for index in range(3):  # like Node's three next() calls, in this order
                await tg.start(_settle, iterable, results, index)
            tg.start_soon(emit_then_return)

        assert results == [("value", ("bar",)), ("value", (42,)), ("done", None)]

        with pytest.raises(StopAsyncIteration):
            await iterable.__anext__()


async def test_next_error() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        iterable = on(ee, "foo")
        _err = Exception("kaboom")
        results: list[Any] = [None] * 3
        async with anyio.create_task_group() as tg:
            for index in range(3):
                await tg.start(_settle, iterable, results, index)
            next_tick(tg, lambda: ee.emit("error", _err))
        assert results == [("rejected", _err), ("done", None), ("done", None)]
        assert len(ee.listeners("error")) == 0


async def test_iterable_throw() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        iterable = on(ee, "foo")
        _err = Exception("kaboom")
        thrown: Exception | None = None

        def emit_then_throw() -> None:
            ee.emit("foo", "bar")
            ee.emit("foo", 42)  # lost in the queue
            iterable.throw(_err)

        with pytest.raises(TypeError) as info:
            iterable.throw(None)  # type: ignore[arg-type]  # Node: no argument
        assert str(info.value) == (
            'The "EventEmitter.AsyncIterator" property must be an instance of Error. Received None'
        )

        expected = [("bar",), (42,)]
        async with anyio.create_task_group() as tg:
            next_tick(tg, emit_then_throw)
            try:
                async for event in iterable:
                    assert event == expected.pop(0)
            except Exception as err:
                thrown = err
        assert thrown is _err
        assert len(expected) == 0
        assert ee.listener_count("foo") == 0
        assert ee.listener_count("error") == 0


async def test_error_listener_count() -> None:
    with anyio.fail_after(5):
        et = EventEmitter()
        iterable = on(et, "foo")
        assert et.listener_count("error") == 1
        await iterable.aclose()
