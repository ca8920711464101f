"""Base of ``Server`` and ``Socket``: a host task, ref/unref, deferred emits.

How it works:
- A server's task group is opened by a host task started in the runtime's root group, on
  first need. Until that group is up, work asked of it waits in a short list and starts
  with it.
- A socket opens no group of its own (``_own_group = False``): its host task (connecting,
  reading) and its other tasks (writer, timer, async listeners) run in its parent's group
  (the server's for an accepted socket, else the root). A group per connection cost a
  task, a task group and two cancel scopes each, which halved the connection rate.
- Async listeners of a handle run as tasks of its group; while they run they keep the
  runtime alive, as a pending timer keeps Node's process alive.
- A handle counts toward the runtime's lifetime while it is *active* (listening, connecting,
  open) and referenced; ``ref()``/``unref()`` toggle the second half, in either order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from anyio.abc import TaskGroup

from . import _debug
from ._emitter import EventEmitter
from ._runtime import UNCAUGHT, Runtime, current_runtime, track_handle


class Handle(EventEmitter):
    """An EventEmitter whose tasks live in the runtime's task groups."""

    _own_group = True  # whether the handle's tasks run in a task group of its own

    # Slots: thousands of sockets may be open (a dict per socket cost about 2 KiB); the
    # __dict__ keeps user attributes working, as on a Node object.
    __slots__ = (
        "__dict__",
        "_active",
        "_counted",
        "_host_state",
        "_host_token",
        "_parent",
        "_pending",
        "_refed",
        "_runtime",
        "_tg",
    )

    def __init__(self, parent: Handle | None = None) -> None:
        super().__init__()
        self._runtime: Runtime = current_runtime()
        self._parent = parent
        self._tg: TaskGroup | None = None
        self._host_state = 0  # 0: not started, 1: starting, 2: running, 3: finished
        self._host_token: object = None
        self._pending: list[tuple[Callable[..., Awaitable[object]], tuple[Any, ...], bool]] = []
        self._refed = True
        self._active = False
        self._counted = False

    # -- tasks ---------------------------------------------------------------------------

    def _spawn(
        self, fn: Callable[..., Awaitable[object]], *args: Any, counted: bool = False
    ) -> None:
        """Start ``fn(*args)`` in this handle's task group (opening it if needed)."""
        if not self._own_group:
            self._spawn_in_parent(fn, *args, counted=counted)
            return
        state = self._host_state
        if state == 2 and self._tg is not None:
            self._runtime.spawn(fn, *args, task_group=self._tg, counted=counted)
        else:
            if state == 3:
                self._host_state = 0  # a new generation (listen again, reconnect)
            if counted:
                self._runtime.ref()
            self._pending.append((fn, args, counted))
            self._start_host()

    def _spawn_in_parent(
        self, fn: Callable[..., Awaitable[object]], *args: Any, counted: bool = False
    ) -> None:
        parent = self._parent
        if parent is not None and parent._host_state in (1, 2):
            parent._spawn(fn, *args, counted=counted)
        else:
            self._runtime.spawn(fn, *args, counted=counted)

    def _start_host(self) -> None:
        if self._host_state != 0:
            return
        self._host_state = 1
        if self._own_group:
            self._spawn_in_parent(self._host)
        else:
            self._spawn_in_parent(self._host_flat, self._next_host())

    def _next_host(self) -> object:
        # The mark of the host task about to be spawned, taken now, not when it starts: a
        # socket destroyed before its task started may be connected again (from its 'close'
        # listener) first, and the late task must then leave it alone (_undestroy clears it).
        token = self._host_token = object()
        return token

    async def _host_flat(self, token: object) -> None:
        # The host of a handle without a group of its own: _main, then done.
        if self._host_token is not token:
            return  # a later generation runs (destroyed, then connected again, first)
        self._host_state = 2
        try:
            await self._main()
        except UNCAUGHT as exc:
            self._runtime.fail(exc)
        finally:
            if self._host_token is token:  # not a later generation (a reconnect)
                self._host_state = 3

    async def _host(self) -> None:
        tg = anyio.create_task_group()
        try:
            async with tg:
                self._tg = tg
                self._host_state = 2
                pending, self._pending = self._pending, []
                for fn, args, counted in pending:
                    self._runtime.spawn(fn, *args, task_group=tg, counted=counted)
                    if counted:
                        self._runtime.unref()  # the ref taken when it was queued
                try:
                    await self._main()
                except UNCAUGHT as exc:
                    # Reported here, not raised through the group (no ExceptionGroup wrapping).
                    self._runtime.fail(exc)
        finally:
            if self._tg is tg:
                self._tg = None
                self._host_state = 3

    async def _main(self) -> None:
        """The body of the host task; the handle's group closes when it returns."""

    def _dispatch_awaitable(self, awaitable: Awaitable[object]) -> None:
        # An async listener runs as a task of this handle's group.
        async def _await() -> None:
            await awaitable

        self._spawn(_await, counted=True)

    # -- deferred emits ------------------------------------------------------------------

    def _emit_soon(self, name: str, *args: Any) -> None:
        """Emit ``name`` after the current call returns (Node's ``process.nextTick``)."""
        if _debug.enabled:
            _debug.deferred_event(self, name, args)
        self._runtime.call_soon(self.emit, name, *args)

    # -- lifetime ------------------------------------------------------------------------

    def _set_active(self, active: bool) -> None:
        self._active = active
        if active or not self._holds_descriptor():
            track_handle(self, active)
        self._update_count()

    def _holds_descriptor(self) -> bool:
        """Whether the handle still owns a descriptor while inactive (a socket until closed)."""
        return False

    def _update_count(self) -> None:
        want = self._active and self._refed
        if want != self._counted:
            self._counted = want
            if want:
                self._runtime.ref()
            else:
                self._runtime.unref()

    def ref(self) -> Any:
        """Keep the runtime alive while this handle is active (the default).

        Node: ``ref()``
        """
        self._refed = True
        self._update_count()
        return self

    def unref(self) -> Any:
        """Let the runtime finish even while this handle is active.

        Node: ``unref()``
        """
        self._refed = False
        self._update_count()
        return self
