"""The runtime: Node's process lifetime on an AnyIO task group.

How it works:
- ``open_runtime()`` opens the root task group and makes the runtime current (a context
  variable, so every task spawned under it sees it too); ``run()`` wraps it in
  ``anyio.run``.
- Node's ``process.nextTick`` becomes ``call_soon``: a FIFO queue drained by one task of the
  root group, so what Node defers (``'listening'``, a failed connect's ``'error'``,
  ``'close'``) runs after the current call returns, in the order it was queued. What a
  received chunk's listeners queue is drained as soon as they return, as Node does after
  each callback from libuv (``hold``/``release``), without a task switch per chunk.
- A handle keeps the runtime alive while it is active and referenced; so does a running async
  listener and a non-empty soon queue. Leaving the block normally waits until none is left,
  as a Node process exits when its loop is empty; unreferenced handles are then destroyed.
- Any exception escaping a listener or a handle's task is the process's uncaught exception:
  the first one is kept, every handle is cancelled (closing every descriptor), and it is
  raised from ``run`` / ``open_runtime`` on its own, not wrapped in an ExceptionGroup.
- On Trio, tasks of the root group start in a nursery of Trio's own, opened inside that
  group (``open_native_nursery``): AnyIO keeps a task handle, an event and a cancel scope
  for each task it starts, which a socket's task does not need. Servers do the same for
  their connections' tasks.
"""

from __future__ import annotations

import inspect
import sys
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import anyio
from anyio.abc import TaskGroup

from . import _debug, _emitter

T = TypeVar("T")

_current: ContextVar[Runtime | None] = ContextVar("anyio_net_runtime", default=None)

_NO_RUNTIME = (
    "no anyio_net runtime is running: create servers and sockets inside "
    "anyio_net.run(main) or inside 'async with anyio_net.open_runtime():'"
)


_live = {"tasks": 0, "runtimes": 0}

# What a listener or a handle's task may raise that becomes the run's uncaught exception
# (the first one is kept, every handle is closed, then it is raised as itself). Besides
# errors, sys.exit() and a Ctrl-C that lands in a listener: raised through a task group
# they would come out wrapped in an ExceptionGroup, losing the exit status (Node's
# process.exit() ends the program the same way from anywhere). Cancellation is not one.
UNCAUGHT = (Exception, KeyboardInterrupt, SystemExit)


def live_tasks() -> int:
    """How many tasks anyio_net has running in any runtime (the test suite's leak check)."""
    return _live["tasks"]


def live_runtimes() -> int:
    """How many runtimes are open."""
    return _live["runtimes"]


# Handles that hold (or are acquiring) a descriptor and have not closed yet, in any runtime.
_open_handles: set[object] = set()


def live_handles() -> list[object]:
    """The servers and sockets not closed yet, in any runtime (the leak check's registry)."""
    return list(_open_handles)


def track_handle(handle: object, is_open: bool) -> None:
    """Register ``handle`` while it is open; unregister it once it has closed."""
    if is_open:
        _open_handles.add(handle)
    else:
        _open_handles.discard(handle)


def current_runtime() -> Runtime:
    """The runtime of the calling task, or a RuntimeError that says how to get one."""
    runtime = _current.get()
    if runtime is None or runtime._closed:
        raise RuntimeError(_NO_RUNTIME)
    return runtime


def on_trio() -> bool:
    """Whether the calling task runs on Trio."""
    try:
        import sniffio

        return sniffio.current_async_library() == "trio"
    except Exception:
        return False


@asynccontextmanager
async def open_native_nursery() -> AsyncIterator[Any]:
    """On Trio, a nursery of Trio's own (its ``start_soon`` skips AnyIO's per-task handle,
    event and cancel scope); None on any other backend.

    It lives inside the calling task's cancel scopes, so cancelling an enclosing AnyIO group
    cancels its tasks too.
    """
    if not on_trio():
        yield None
        return
    import trio

    async with trio.open_nursery() as nursery:
        yield nursery


class Runtime:
    """Root task group, soon queue, reference count and failure slot of one runtime."""

    __slots__ = (
        "_closed",
        "_failure",
        "_held",
        "_idle",
        "_nursery",
        "_poller",
        "_refs",
        "_soon",
        "_soon_wake",
        "_tg",
    )

    def __init__(self) -> None:
        self._tg: TaskGroup | None = None
        self._nursery: Any = None  # on Trio, open_native_nursery() of the root group
        # _transport.Poller of its sockets on asyncio, False elsewhere; None until decided
        self._poller: Any = None
        self._soon: deque[tuple[Callable[..., object], tuple[Any, ...]]] = deque()
        self._soon_wake: anyio.Event | None = None
        self._held = False  # a callback is running that drains the queue itself (hold())
        self._refs = 0
        self._idle: anyio.Event | None = None
        self._failure: BaseException | None = None
        self._closed = False

    # -- the soon queue (Node's nextTick) ------------------------------------------------

    def call_soon(self, fn: Callable[..., object], *args: Any) -> None:
        """Run ``fn(*args)`` after the current call returns, in FIFO order."""
        self._soon.append((fn, args))
        if not self._held:  # else the running callback drains it when it returns (release())
            self._wake_drainer()

    def _wake_drainer(self) -> None:
        wake = self._soon_wake
        if wake is not None:
            self._soon_wake = None
            wake.set()

    def hold(self) -> int:
        """Start an I/O callback whose listeners' deferred work runs as soon as it returns.

        Node runs its nextTick queue as soon as each callback from libuv returns. Running
        what a chunk's listeners queued right there, in the callback's own task or loop
        callback, saves waking the drainer task for every chunk. Returns the mark to give
        ``release()``, or -1 inside another hold (the outer one releases). A holder must
        not await before it releases (the queue would wait for it).
        """
        if self._held:
            return -1
        self._held = True
        return len(self._soon)

    def release(self, mark: int) -> None:
        """End a hold(): when the callback queued anything, drain the queue in order.

        What was queued before the hold is already the drainer's (it was woken for it): left
        alone when the callback queued nothing, so the drainer still runs it in one batch.
        """
        if mark < 0:
            return  # inside another hold: that one releases
        if len(self._soon) == mark:
            self._held = False
            return
        try:
            self._run_soon()
        finally:
            self._let_go()  # (with work left only if a BaseException stopped it)

    def _let_go(self) -> None:
        # End a hold without draining: what is still queued is the drainer's.
        self._held = False
        if self._soon:
            self._wake_drainer()

    def run_held(self, fn: Callable[..., object], *args: Any) -> None:
        """Call ``fn(*args)`` as an I/O callback: what it queues runs as soon as it returns.

        If it raises, nothing more runs here (an uncaught exception ends a Node process
        before its next tick): the exception goes on, and the drainer has the queue.
        """
        mark = -1
        try:
            mark = self.hold()
            fn(*args)
        except BaseException:
            if mark >= 0:
                self._let_go()
            raise
        if mark >= 0:
            self.release(mark)

    def _run_soon(self) -> None:
        soon = self._soon
        while soon:
            fn, args = soon.popleft()
            try:
                result = fn(*args)
                if result is not None and inspect.isawaitable(result):
                    self.spawn_awaitable(result)
            except UNCAUGHT as exc:
                self.fail(exc)
        self._check_idle()

    async def _drain_soon(self) -> None:
        while True:
            self._run_soon()
            wake = self._soon_wake = anyio.Event()
            await wake.wait()

    async def _keep_nursery(self) -> None:
        # Trio: holds the root group's native nursery open until the group is cancelled.
        async with open_native_nursery() as nursery:
            self._nursery = nursery
            try:
                await anyio.sleep_forever()
            finally:
                self._nursery = None

    # -- tasks ---------------------------------------------------------------------------

    def spawn(
        self,
        fn: Callable[..., Awaitable[object]],
        *args: Any,
        task_group: TaskGroup | None = None,
        counted: bool = False,
    ) -> None:
        """Start ``fn(*args)`` in ``task_group`` (default: the root); failures end the run."""
        if task_group is None and self._nursery is not None:
            if counted:
                self._refs += 1
            self._nursery.start_soon(self._guard, fn, args, counted)
            return
        tg = task_group or self._tg
        if tg is None:
            raise RuntimeError(_NO_RUNTIME)
        if counted:
            self._refs += 1
        # A name given saves AnyIO from building one out of _guard's module and qualname.
        tg.start_soon(self._guard, fn, args, counted, name=getattr(fn, "__qualname__", None))

    def spawn_awaitable(
        self, awaitable: Awaitable[object], task_group: TaskGroup | None = None
    ) -> None:
        """Run an async listener's awaitable as a task; it keeps the runtime alive."""

        async def _await() -> None:
            await awaitable

        try:
            self.spawn(_await, task_group=task_group, counted=True)
        except RuntimeError:
            if inspect.iscoroutine(awaitable):
                awaitable.close()
            raise

    async def _guard(
        self, fn: Callable[..., Awaitable[object]], args: tuple[Any, ...], counted: bool
    ) -> None:
        _live["tasks"] += 1
        try:
            await fn(*args)
        except UNCAUGHT as exc:
            self.fail(exc)
        finally:
            _live["tasks"] -= 1
            if counted:
                self._refs -= 1
                self._check_idle()

    def fail(self, exc: BaseException) -> None:
        """Record an uncaught exception and tear every handle down.

        The first one is kept, unless a ``sys.exit()`` or Ctrl-C comes after an error: the
        program then ends the way it was asked to.
        """
        failure = self._failure
        if failure is None or (isinstance(failure, Exception) and not isinstance(exc, Exception)):
            self._failure = exc
            if _debug.enabled:
                _debug.trace(None, "uncaught exception, closing every handle: %r", exc)
        if self._tg is not None:
            self._tg.cancel_scope.cancel()

    # -- lifetime ------------------------------------------------------------------------

    def ref(self) -> None:
        self._refs += 1

    def unref(self) -> None:
        self._refs -= 1
        self._check_idle()

    def _check_idle(self) -> None:
        if self._refs <= 0 and not self._soon and self._idle is not None:
            self._idle.set()

    async def _wait_idle(self) -> None:
        while True:
            # Let queued work and freshly started tasks run before judging idleness.
            await anyio.lowlevel.checkpoint()
            if self._refs <= 0 and not self._soon:
                await anyio.lowlevel.checkpoint()
                if self._refs <= 0 and not self._soon:
                    return
            self._idle = anyio.Event()
            if self._refs <= 0 and not self._soon:
                continue
            await self._idle.wait()
            self._idle = None


def _default_awaitable_handler(awaitable: Awaitable[object]) -> None:
    current_runtime().spawn_awaitable(awaitable)


@asynccontextmanager
async def open_runtime() -> AsyncIterator[Runtime]:
    """Host anyio_net handles inside a running asyncio or Trio program.

    Handles created inside the block belong to it. Leaving the block normally waits, as a
    Node process does, until no referenced handle is left; leaving it with an exception or
    by cancellation destroys every handle and closes every descriptor. An exception raised
    by a listener is re-raised here once everything is closed.

    Node: the lifetime of a ``node`` process.
    """
    runtime = Runtime()
    token = _current.set(runtime)
    _live["runtimes"] += 1
    if _debug.refresh():
        _debug.trace(None, "runtime open")
    _emitter.set_default_awaitable_handler(_default_awaitable_handler)
    body_error: BaseException | None = None
    try:
        async with anyio.create_task_group() as tg:
            runtime._tg = tg
            tg.start_soon(runtime._drain_soon)
            if on_trio():
                tg.start_soon(runtime._keep_nursery)
            try:
                yield runtime
            except BaseException as exc:
                # Kept aside and re-raised below, so it is not wrapped in an ExceptionGroup.
                body_error = exc
                tg.cancel_scope.cancel()
            else:
                await runtime._wait_idle()
                tg.cancel_scope.cancel()
    finally:
        _live["runtimes"] -= 1
        runtime._closed = True
        runtime._tg = None
        poller, runtime._poller = runtime._poller, None
        if poller:
            poller.close()
        _current.reset(token)
        if _debug.enabled:
            _debug.trace(None, "runtime closed")
    failure, runtime._failure = runtime._failure, None
    if body_error is not None:
        if failure is not None and isinstance(body_error, anyio.get_cancelled_exc_class()):
            raise failure  # the body was cancelled because a listener failed
        raise body_error
    if failure is not None:
        raise failure


def run(
    main: Callable[..., object],
    *args: Any,
    backend: str = "asyncio",
    backend_options: dict[str, Any] | None = None,
) -> Any:
    """Run ``main(*args)`` (plain or async) as a Node program and return its result.

    Returns once ``main`` has finished and no referenced handle is left.

    Node: running ``node main.js``.
    """

    async def _main() -> object:
        async with open_runtime():
            result = main(*args)
            if inspect.isawaitable(result):
                result = await result
            return result

    try:
        return anyio.run(_main, backend=backend, backend_options=backend_options)
    except BaseException as exc:
        # Python 3.10, asyncio: AnyIO's runner answers Ctrl-C by cancelling the main task
        # and, without Task.uncancel() (3.11), cannot turn that back into the
        # KeyboardInterrupt it stands for, so a bare CancelledError escapes; raise what
        # Python 3.11 raises there.
        if sys.version_info < (3, 11) and type(exc).__name__ == "CancelledError":
            raise KeyboardInterrupt from None
        raise
