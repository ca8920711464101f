from __future__ import annotations

import gc
from typing import Any

import anyio
import pytest

from anyio_net._emitter import EventEmitter
from anyio_net._waiting import EventIterator, on, once

pytestmark = pytest.mark.anyio


class Pausable(EventEmitter):
    def __init__(self) -> None:
        super().__init__()
        self.log: list[str] = []

    def pause(self) -> None:
        self.log.append("pause")

    def resume(self) -> None:
        self.log.append("resume")


def soon(fn: Any, *args: Any) -> Any:
    """A task body that runs ``fn(*args)`` after the waiter is parked."""

    async def body() -> None:
        await anyio.sleep(0.01)
        fn(*args)

    return body


# -- once -----------------------------------------------------------------------------------


async def test_once_returns_the_args_tuple_and_removes_its_listeners() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(ee.emit, "ev", 42, "x"))
            assert await once(ee, "ev") == (42, "x")
        assert ee.listener_count("ev") == 0
        assert ee.listener_count("error") == 0


async def test_once_with_no_args_returns_empty_tuple() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(ee.emit, "ev"))
            assert await once(ee, "ev") == ()


async def test_once_raises_when_error_comes_first() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        err = OSError("kaboom")

        def both() -> None:
            ee.emit("error", err)
            ee.emit("ev", 1)  # too late; nobody listens

        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(both))
            with pytest.raises(OSError) as info:
                await once(ee, "ev")
        assert info.value is err
        assert ee.listener_count("ev") == 0
        assert ee.listener_count("error") == 0


async def test_once_error_with_a_non_exception_value() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(ee.emit, "error", "text"))
            with pytest.raises(Exception) as info:
                await once(ee, "ev")
        assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]


async def test_once_for_error_returns_it() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        err = ValueError("x")
        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(ee.emit, "error", err))
            assert await once(ee, "error") == (err,)
        assert ee.listener_count("error") == 0


async def test_once_listeners_are_there_while_waiting() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        counts: list[int] = []

        def check_then_emit() -> None:
            counts.extend([ee.listener_count("ev"), ee.listener_count("error")])
            ee.emit("ev")

        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(check_then_emit))
            await once(ee, "ev")
        assert counts == [1, 1]


async def test_once_removes_listeners_when_cancelled() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        with anyio.move_on_after(0.05) as scope:
            await once(ee, "never")
        assert scope.cancelled_caught
        assert ee.event_names() == []


async def test_once_keeps_other_error_listeners() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        got: list[Any] = []
        ee.on("error", got.append)
        err = ValueError()
        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(ee.emit, "error", err))
            with pytest.raises(ValueError):
                await once(ee, "ev")
        assert got == [err]
        assert ee.listeners("error") == [got.append]


async def test_once_rejects_a_non_emitter() -> None:
    with anyio.fail_after(5):
        with pytest.raises(TypeError) as info:
            await once(object(), "ev")
        assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]


async def test_once_first_event_wins_when_emitted_twice_before_waking() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()

        def twice() -> None:
            ee.emit("ev", 1)
            ee.emit("ev", 2)

        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(twice))
            assert await once(ee, "ev") == (1,)


# -- on -------------------------------------------------------------------------------------


async def test_on_yields_args_tuples_in_order_and_cleans_up_on_break() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()

        def burst() -> None:
            ee.emit("foo", "bar")
            ee.emit("bar", 24)  # another event: not in the iteration
            ee.emit("foo", 42)
            ee.emit("foo")

        got: list[tuple[Any, ...]] = []
        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(burst))
            async for args in on(ee, "foo"):
                got.append(args)
                if len(got) == 3:
                    break
        assert got == [("bar",), (42,), ()]
        gc.collect()  # not needed on CPython; harmless elsewhere
        assert ee.listener_count("foo") == 0
        assert ee.listener_count("error") == 0


async def test_on_adds_listeners_at_the_call() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        events = on(ee, "foo")
        assert isinstance(events, EventIterator)
        assert ee.listener_count("foo") == 1
        assert ee.listener_count("error") == 1
        ee.emit("foo", 1)  # before iterating: queued, not lost
        assert await events.__anext__() == (1,)
        await events.aclose()
        assert ee.event_names() == []


async def test_on_raises_on_error_after_queued_events() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        err = OSError("kaboom")
        events = on(ee, "foo")
        ee.emit("foo", 42)
        ee.emit("error", err)
        assert ee.event_names() == []  # listeners gone at the error
        got = []

        async def consume() -> None:
            async for args in events:
                got.append(args)

        with pytest.raises(OSError) as info:
            await consume()
        assert info.value is err
        assert got == [(42,)]
        with pytest.raises(StopAsyncIteration):
            await events.__anext__()


async def test_on_error_while_waiting() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        err = ValueError("x")
        async with anyio.create_task_group() as tg:
            tg.start_soon(soon(ee.emit, "error", err))

            async def consume() -> None:
                async for _ in on(ee, "foo"):
                    pytest.fail("no foo event was emitted")

            with pytest.raises(ValueError) as info:
                await consume()
        assert info.value is err
        assert ee.event_names() == []


async def test_on_the_error_event_itself_yields_errors() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        err = ValueError("x")
        events = on(ee, "error")
        assert ee.listener_count("error") == 1
        ee.emit("error", err)
        assert await events.__anext__() == (err,)
        await events.aclose()


async def test_on_exception_in_the_loop_body_removes_listeners() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        ee_events = on(ee, "foo")
        ee.emit("foo", 1)

        async def consume(events: EventIterator) -> None:
            async for _ in events:
                raise KeyError("body")

        with pytest.raises(KeyError):
            await consume(ee_events)
        del ee_events
        gc.collect()
        assert ee.event_names() == []


async def test_on_concurrent_waiters_are_served_in_order() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        events = on(ee, "foo")
        results: dict[int, Any] = {}

        async def take(
            index: int, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED
        ) -> None:
            task_status.started()  # the starter resumes once __anext__ has parked
            try:
                results[index] = await events.__anext__()
            except StopAsyncIteration:
                results[index] = "done"

        async with anyio.create_task_group() as tg:
            for index in range(3):
                await tg.start(take, index)

            ee.emit("foo", "bar")
            ee.emit("foo", 42)
            await events.aclose()
        assert results == {0: ("bar",), 1: (42,), 2: "done"}
        with pytest.raises(StopAsyncIteration):
            await events.__anext__()


async def test_on_aclose_drops_queued_events() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        events = on(ee, "foo")
        ee.emit("foo", 1)
        await events.aclose()
        assert ee.event_names() == []
        with pytest.raises(StopAsyncIteration):
            await events.__anext__()


async def test_on_as_async_context_manager() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        async with on(ee, "foo") as events:
            ee.emit("foo", 1)
            async for args in events:
                assert args == (1,)
                break
        assert ee.event_names() == []


async def test_on_cancelled_while_waiting_removes_listeners() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        events = on(ee, "foo")
        with anyio.move_on_after(0.05) as scope:
            async for _ in events:
                pytest.fail("nothing was emitted")
        assert scope.cancelled_caught
        assert ee.event_names() == []
        with pytest.raises(StopAsyncIteration):
            await events.__anext__()


async def test_on_close_events_end_the_iteration_after_queued_ones() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        events = on(ee, "foo", close=["end", "close"])
        ee.emit("foo", 1)
        ee.emit("end")
        ee.emit("foo", 2)  # after the close event: not listened to any more
        assert ee.event_names() == []
        assert [args async for args in events] == [(1,)]


async def test_on_throw_raises_after_queued_events() -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        events = on(ee, "foo")
        err = ValueError("thrown")
        ee.emit("foo", 1)
        events.throw(err)
        with pytest.raises(TypeError) as info:
            events.throw("not an exception")  # type: ignore[arg-type]
        assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
        assert await events.__anext__() == (1,)
        with pytest.raises(ValueError) as raised:
            await events.__anext__()
        assert raised.value is err


def test_on_rejects_a_non_emitter() -> None:  # on() itself is synchronous
    with pytest.raises(TypeError) as info:
        on({}, "foo")
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]


# -- backpressure ---------------------------------------------------------------------------


async def test_on_data_pauses_a_pausable_emitter_and_resumes_when_drained() -> None:
    with anyio.fail_after(5):
        ee = Pausable()
        events = on(ee, "data")
        ee.emit("data", b"1")
        assert ee.log == []  # one queued: fine
        ee.emit("data", b"2")
        assert ee.log == ["pause"]  # more than one queued
        ee.emit("data", b"3")
        assert ee.log == ["pause"]  # paused once
        assert await events.__anext__() == (b"1",)
        assert await events.__anext__() == (b"2",)
        assert ee.log == ["pause"]
        assert await events.__anext__() == (b"3",)
        assert ee.log == ["pause", "resume"]  # drained
        await events.aclose()


async def test_on_other_events_and_plain_emitters_never_pause() -> None:
    with anyio.fail_after(5):
        ee = Pausable()
        events = on(ee, "foo")
        for index in range(10):
            ee.emit("foo", index)
        assert ee.log == []
        await events.aclose()
        plain = EventEmitter()
        data = on(plain, "data")
        for index in range(10):
            plain.emit("data", index)  # no pause() to call: just queued
        assert await data.__anext__() == (0,)
        await data.aclose()


async def test_on_custom_water_marks() -> None:
    with anyio.fail_after(5):
        ee = Pausable()
        events = on(ee, "foo", high_water_mark=2, low_water_mark=2)
        for index in range(3):
            ee.emit("foo", index)
        assert ee.log == ["pause"]
        assert await events.__anext__() == (0,)
        assert ee.log == ["pause"]
        assert await events.__anext__() == (1,)
        assert ee.log == ["pause", "resume"]
        await events.aclose()


async def test_on_data_direct_handoff_does_not_pause() -> None:
    with anyio.fail_after(5):
        ee = Pausable()
        got: list[Any] = []

        async def consume() -> None:
            async for (chunk,) in on(ee, "data"):
                got.append(chunk)
                if len(got) == 3:
                    break

        async with anyio.create_task_group() as tg:
            tg.start_soon(consume)
            for index in range(3):
                await anyio.sleep(0.01)
                ee.emit("data", index)
        assert got == [0, 1, 2]
        assert ee.log == []
