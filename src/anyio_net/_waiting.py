"""Awaiting events: ``once()`` and ``on()`` (Node's ``events.once`` / ``events.on``).

How it works:
- Both register plain listeners at the call and remove them on every way out: the event,
  'error', the end of the iteration, ``aclose()``, a ``close`` event, cancellation.
- ``once`` settles on the first ``name`` event (the args tuple) or the first 'error' (raised).
- ``on`` hands each event to the oldest waiting ``__anext__`` or queues it; queued events
  are delivered before an 'error' is raised (Node's order). An event never waits on a
  consumer: listeners run inside ``emit``, which stays synchronous.
- Backpressure (Node's ``highWaterMark``/``lowWaterMark``): when the emitter has ``pause``
  and ``resume``, it is paused once more than ``high_water_mark`` events are queued and
  resumed when fewer than ``low_water_mark`` remain. For 'data' the default mark is 1 (a
  socket stops reading while the consumer is busy with a chunk and one more is queued);
  for other events, or emitters that cannot pause, there is no limit, as in Node.
- Only anyio primitives (one ``anyio.Event`` per waiting call), so any backend works.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterable
from types import TracebackType
from typing import Any, Final

import anyio

from ._emitter import _unhandled

__all__ = ["EventIterator", "on", "once"]

#: The ``high_water_mark`` that ``on(emitter, 'data')`` uses when the emitter can pause.
DATA_HIGH_WATER_MARK: Final = 1


def _check_emitter(emitter: object) -> None:
    if not (
        callable(getattr(emitter, "on", None))
        and callable(getattr(emitter, "remove_listener", None))
    ):
        from ._errors import coded

        raise coded("ERR_INVALID_ARG_TYPE", name="emitter", expected="EventEmitter", value=emitter)


def _require_exception(value: object) -> None:
    # Takes `object` so that callers typed with BaseException still check at run time.
    if not isinstance(value, BaseException):
        from ._errors import coded

        raise coded(
            "ERR_INVALID_ARG_TYPE", name="EventEmitter.AsyncIterator", expected="Error", value=value
        )


def _as_exception(args: tuple[Any, ...]) -> BaseException:
    # 'error' can carry any value, or none; Python can only raise exceptions.
    error = args[0] if args else None
    return error if isinstance(error, BaseException) else _unhandled(error, bool(args))


async def once(emitter: Any, name: Hashable) -> tuple[Any, ...]:
    """Wait for the next ``name`` event and return its arguments as a tuple.

    Args:
        emitter: An ``EventEmitter`` (anything with ``on`` and ``remove_listener``).
        name: The event to wait for.

    Returns:
        The arguments of the event (``()`` when it had none).

    Raises:
        BaseException: The error of an 'error' event that came first (unless ``name`` is
            'error': then it is returned as ``(err,)``).
        TypeError: ``emitter`` is not an emitter (code ``ERR_INVALID_ARG_TYPE``).

    Both listeners are removed however the wait ends, cancellation included.

    Node: ``events.once(emitter, name)``
    """
    _check_emitter(emitter)
    done = anyio.Event()
    outcome: list[tuple[bool, Any]] = []
    watch_error = name != "error"

    def on_event(*args: Any) -> None:
        if not outcome:
            outcome.append((True, args))
            _unregister()
            done.set()

    def on_error(*args: Any) -> None:
        if not outcome:
            outcome.append((False, args))
            _unregister()
            done.set()

    def _unregister() -> None:
        emitter.remove_listener(name, on_event)
        if watch_error:
            emitter.remove_listener("error", on_error)

    emitter.on(name, on_event)
    if watch_error:
        emitter.on("error", on_error)
    try:
        await done.wait()
    finally:
        if not outcome:
            _unregister()
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[no-any-return]
    raise _as_exception(value)


class _Waiter:
    """One pending ``__anext__``: woken with a value, an error, or the end."""

    __slots__ = ("error", "event", "finished", "value")

    def __init__(self) -> None:
        self.event = anyio.Event()
        self.value: tuple[Any, ...] | None = None
        self.error: BaseException | None = None
        self.finished = False


class _Stream:
    """The state behind an ``EventIterator``; the emitter's listeners are its methods.

    Kept apart from the iterator so that the emitter never references the iterator: a
    loop that breaks drops the iterator, whose finalizer then removes the listeners.
    """

    __slots__ = (
        "close_names",
        "emitter",
        "error",
        "finished",
        "high",
        "low",
        "name",
        "pausable",
        "paused",
        "queue",
        "waiters",
    )

    def __init__(
        self,
        emitter: Any,
        name: Hashable,
        close_names: tuple[Hashable, ...],
        high: float,
        low: float,
    ) -> None:
        self.emitter: Any = emitter
        self.name: Hashable = name
        self.close_names: tuple[Hashable, ...] = close_names
        self.high: float = high
        self.low: float = low
        self.pausable: bool = callable(getattr(emitter, "pause", None)) and callable(
            getattr(emitter, "resume", None)
        )
        self.paused: bool = False
        self.queue: deque[tuple[Any, ...]] = deque()
        self.waiters: deque[_Waiter] = deque()
        self.error: BaseException | None = None
        self.finished: bool = False

    def register(self) -> None:
        emitter = self.emitter
        emitter.on(self.name, self.on_event)
        if self.name != "error":
            emitter.on("error", self.on_error)
        for close_name in self.close_names:
            emitter.on(close_name, self.on_close)

    def unregister(self) -> None:
        emitter = self.emitter
        emitter.remove_listener(self.name, self.on_event)
        if self.name != "error":
            emitter.remove_listener("error", self.on_error)
        for close_name in self.close_names:
            emitter.remove_listener(close_name, self.on_close)

    # -- listeners ------------------------------------------------------------------------

    def on_event(self, *args: Any) -> None:
        if self.waiters:
            waiter = self.waiters.popleft()
            waiter.value = args
            waiter.event.set()
            return
        self.queue.append(args)
        self._pause_if_full()

    def on_error(self, *args: Any) -> None:
        self.fail(_as_exception(args))

    def on_close(self, *args: Any) -> None:
        self.finish()

    # -- state ----------------------------------------------------------------------------

    def fail(self, error: BaseException) -> None:
        if self.finished:
            return
        if self.waiters:
            waiter = self.waiters.popleft()
            waiter.error = error
            waiter.event.set()
        else:
            self.error = error
        self.finish()

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self.unregister()
        while self.waiters:
            waiter = self.waiters.popleft()
            waiter.finished = True
            waiter.event.set()

    # -- backpressure ---------------------------------------------------------------------
    # The hook for flow control: a slow consumer pauses a pausable emitter (a Socket stops
    # reading), and taking events off the queue resumes it.

    def _pause_if_full(self) -> None:
        if not self.paused and self.pausable and len(self.queue) > self.high:
            self.paused = True
            self.emitter.pause()

    def _resume_if_drained(self) -> None:
        if self.paused and len(self.queue) < self.low:
            self.paused = False
            self.emitter.resume()


class EventIterator:
    """The async iterator returned by ``on()``; each item is an event's args tuple.

    ``async for`` over it ends when a ``close`` event fires, ``aclose()`` is called, or it
    is dropped (a ``break``: CPython finalizes it at once; elsewhere prefer
    ``async with on(...) as events:``, which closes it on exit). It raises the error of an
    'error' event once the events queued before it were taken. Cancelling a waiting
    ``__anext__`` closes it too.

    Node: the ``AsyncIterator`` returned by ``events.on``
    """

    __slots__ = ("_stream",)

    def __init__(self, stream: _Stream) -> None:
        self._stream = stream

    def __aiter__(self) -> EventIterator:
        return self

    async def __anext__(self) -> tuple[Any, ...]:
        stream = self._stream
        if stream.queue:
            value = stream.queue.popleft()
            stream._resume_if_drained()
            return value
        if stream.error is not None:
            error, stream.error = stream.error, None
            raise error
        if stream.finished:
            raise StopAsyncIteration
        waiter = _Waiter()
        stream.waiters.append(waiter)
        try:
            await waiter.event.wait()
        except BaseException:
            # Cancelled (or interrupted) while waiting: close, keeping an event that was
            # already handed over for whoever asks next.
            if waiter.value is not None:
                stream.queue.appendleft(waiter.value)
            elif waiter.error is not None:
                stream.error = waiter.error
            else:
                try:
                    stream.waiters.remove(waiter)
                except ValueError:
                    pass
            stream.finish()
            raise
        if waiter.value is not None:
            return waiter.value
        if waiter.error is not None:
            raise waiter.error
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """End the iteration now: remove the listeners and drop queued events.

        Waiting ``__anext__`` calls end with ``StopAsyncIteration``.

        Node: ``iterator.return()``
        """
        stream = self._stream
        stream.queue.clear()
        stream.error = None
        stream.finish()

    def throw(self, error: BaseException) -> None:
        """Make the iteration raise ``error`` once the events queued before it were taken.

        Raises:
            TypeError: ``error`` is not an exception (code ``ERR_INVALID_ARG_TYPE``).

        Node: ``iterator.throw(err)``
        """
        _require_exception(error)
        self._stream.fail(error)

    async def __aenter__(self) -> EventIterator:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        stream = getattr(self, "_stream", None)
        if stream is not None and not stream.finished:
            stream.finish()


def on(
    emitter: Any,
    name: Hashable,
    *,
    close: Iterable[Hashable] = (),
    high_water_mark: float | None = None,
    low_water_mark: float = 1,
) -> EventIterator:
    """Iterate over ``name`` events: ``async for (chunk,) in on(sock, 'data'): ...``.

    The listeners are added at once, so events emitted before the first ``__anext__`` are
    queued, not lost.

    Args:
        emitter: An ``EventEmitter`` (anything with ``on`` and ``remove_listener``).
        name: The event to iterate over.
        close: Events that end the iteration (after the queued events).
        high_water_mark: Pause the emitter (if it has ``pause``/``resume``) when more than
            this many events are queued. Default: 1 for 'data', else no limit.
        low_water_mark: Resume it when fewer than this many are queued.

    Returns:
        An ``EventIterator``; each item is an event's args tuple.

    Raises:
        TypeError: ``emitter`` is not an emitter (code ``ERR_INVALID_ARG_TYPE``).

    Node: ``events.on(emitter, eventName[, options])``
    """
    _check_emitter(emitter)
    high = (
        (DATA_HIGH_WATER_MARK if name == "data" else math.inf)
        if high_water_mark is None
        else high_water_mark
    )
    stream = _Stream(emitter, name, tuple(close), high, low_water_mark)
    stream.register()
    return EventIterator(stream)
