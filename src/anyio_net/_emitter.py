"""Node's ``EventEmitter``, synchronous and pure (no anyio here).

How it works:
- Each event name maps to one ``_Entry`` (a single listener) or to a tuple of them. Adding
  or removing replaces the tuple, never edits it, so ``emit`` iterates what it read without
  copying: a listener added or removed during an emit does not change that emit's list.
- A ``once`` listener is stored as a ``_OnceWrapper`` (Node's ``onceWrapper``) that removes
  itself before calling the listener; ``raw_listeners`` returns those wrappers, and each has
  the original in ``.listener``. A wrapper runs at most once.
- JS ignores surplus arguments. At registration the number of positional parameters a
  listener takes is computed once (``*args``, builtins and the uninspectable take them
  all), and ``emit`` passes at most that many.
- 'newListener' is emitted before a listener is added, 'removeListener' after it is
  removed, both with the listener as given (never a once-wrapper) and only when someone
  listens to them.
- Past ``get_max_listeners()`` listeners (0 = no limit) for one event, a
  ``MaxListenersExceededWarning`` is issued once for that event, like Node's.
- ``emit('error', err)``: ``error_monitor`` listeners run first; with no 'error' listener,
  ``err`` is raised if it is an exception, else an ``ERR_UNHANDLED_ERROR`` error is.
- A listener that returns an awaitable (an ``async def`` listener) hands it to
  ``_dispatch_awaitable``; handles spawn it in their task group, a plain emitter in the
  runtime installed with ``set_default_awaitable_handler``.
- Exceptions raised by listeners are never caught here: they propagate out of ``emit``.
"""

from __future__ import annotations

import inspect
import sys
import warnings
from collections.abc import Awaitable, Callable, Hashable
from types import (
    BuiltinFunctionType,
    BuiltinMethodType,
    FunctionType,
    GeneratorType,
    MethodDescriptorType,
    MethodType,
    MethodWrapperType,
    WrapperDescriptorType,
)
from typing import TYPE_CHECKING, Any, ClassVar, Final

from ._aliases import EventEmitterNodeNames

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "EventEmitter",
    "Listener",
    "MaxListenersExceededWarning",
    "error_monitor",
    "get_event_listeners",
    "get_max_listeners",
    "listener_count",
    "set_default_awaitable_handler",
    "set_max_listeners",
]

Listener = Callable[..., object]

_ALL: Final = sys.maxsize  # "takes every positional argument"
_CO_VARARGS: Final = inspect.CO_VARARGS
_ALWAYS_ALL: Final = (
    BuiltinFunctionType,
    BuiltinMethodType,
    MethodWrapperType,
    WrapperDescriptorType,
    MethodDescriptorType,
)
_POSITIONAL: Final = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
)


class _Symbol:
    """A named unique value, like a JS ``Symbol``."""

    __slots__ = ("_description",)

    def __init__(self, description: str) -> None:
        self._description = description

    def __repr__(self) -> str:
        return f"Symbol({self._description})"


error_monitor: Final[Hashable] = _Symbol("events.errorMonitor")
"""Listeners of this event see every 'error' before the 'error' listeners (or the raise).

Node: ``events.errorMonitor``
"""


class MaxListenersExceededWarning(RuntimeWarning):
    """More listeners than ``get_max_listeners()`` were added for one event.

    Attributes:
        emitter: The emitter.
        type: The event name (Node's field name).
        count: How many listeners the event had when the warning was issued.

    Node: the ``MaxListenersExceededWarning`` process warning
    """

    def __init__(self, emitter: object, name: Hashable, count: int) -> None:
        super().__init__(
            f"Possible EventEmitter memory leak detected. {count} {name} listeners "
            f"added to [{type(emitter).__name__}]. "
            "Use emitter.set_max_listeners() to increase limit"
        )
        self.emitter = emitter
        self.type = name
        self.count = count


# -- arity ----------------------------------------------------------------------------------


def _accepted_positionals(fn: Listener) -> int:
    """How many positional arguments ``fn`` takes (``_ALL`` for ``*args`` or unknown)."""
    target: object = fn
    skip = 0
    if type(fn) is MethodType:
        target, skip = fn.__func__, 1
    # Plain functions without decorator metadata: read the code object, much faster.
    if type(target) is FunctionType and not target.__dict__:
        code = target.__code__
        if code.co_flags & _CO_VARARGS:
            return _ALL
        return max(code.co_argcount - skip, 0)
    if isinstance(fn, _ALWAYS_ALL):
        return _ALL
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return _ALL
    count = 0
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return _ALL
        if parameter.kind in _POSITIONAL:
            count += 1
    return count


# -- awaitable results ----------------------------------------------------------------------

# type(result) -> whether its instances are awaitable. Seeded with what listeners commonly
# return so that emit() settles those with one dict lookup.
_awaitable_types: dict[type, bool] = {
    t: False for t in (bool, int, float, str, bytes, tuple, list, dict, type(NotImplemented))
}
_AWAITABLE_TYPES_MAX: Final = 256

_default_awaitable_handler: Callable[[Awaitable[object]], None] | None = None


def set_default_awaitable_handler(handler: Callable[[Awaitable[object]], None] | None) -> None:
    """Install (or with ``None`` remove) what runs async listeners of plain emitters.

    The runtime installs one that spawns the awaitable into the current runtime.
    """
    global _default_awaitable_handler
    _default_awaitable_handler = handler


def _maybe_dispatch(emitter: EventEmitter, result: object) -> None:
    """Hand ``result`` to the emitter if it is awaitable (the slow path of emit)."""
    cls = type(result)
    if cls is GeneratorType:  # awaitable only when made by @types.coroutine
        if inspect.isawaitable(result):
            emitter._dispatch_awaitable(result)
        return
    awaitable = _awaitable_types.get(cls)
    if awaitable is None:
        awaitable = hasattr(cls, "__await__")
        if len(_awaitable_types) < _AWAITABLE_TYPES_MAX:
            _awaitable_types[cls] = awaitable
    if awaitable:
        emitter._dispatch_awaitable(result)  # type: ignore[arg-type]


# -- entries --------------------------------------------------------------------------------


class _Entry:
    """One registration: what emit calls, how many arguments it takes, what the user gave."""

    __slots__ = ("fn", "listener", "nargs")

    def __init__(self, fn: Listener, listener: Listener, nargs: int) -> None:
        self.fn = fn
        self.listener = listener
        self.nargs = nargs

    def matches(self, listener: object) -> bool:
        # Identity first; equality so that a fresh bound method (obj.method) matches too.
        fn = self.listener
        return fn is listener or self.fn is listener or fn == listener


class _OnceWrapper:
    """A ``once`` registration: removes itself, then calls the listener (Node's onceWrapper)."""

    __slots__ = ("emitter", "fired", "listener", "name", "nargs")

    def __init__(self, emitter: EventEmitter, name: Hashable, listener: Listener, nargs: int):
        self.emitter = emitter
        self.name = name
        self.listener = listener
        self.nargs = nargs
        self.fired = False

    def __call__(self, *args: Any) -> object:
        if self.fired:
            return None
        self.emitter.remove_listener(self.name, self)
        self.fired = True
        if len(args) > self.nargs:
            args = args[: self.nargs]
        return self.listener(*args)

    def __repr__(self) -> str:
        return f"<once wrapper of {self.listener!r}>"


def _check_listener(listener: object) -> None:
    # Raises for what is not callable; callers test callable() first themselves (on() and
    # off() are on every connection's path, and a call costs more than the test).
    from ._validators import validate_function

    validate_function(listener, "listener")


def _check_max(value: object, name: str) -> None:
    """Node's ``validateNumber(n, name, 0)`` for max-listener counts."""
    from ._validators import validate_number

    validate_number(value, name, 0)


# -- the emitter ----------------------------------------------------------------------------


class EventEmitter(EventEmitterNodeNames):
    """Node's ``EventEmitter``: named events, listeners called synchronously by ``emit``.

    Listeners run in registration order, inside ``emit``; their exceptions propagate out of
    ``emit``. A listener may take fewer positional arguments than the event carries (as JS
    functions do); it gets the first ones. A listener that returns an awaitable (an
    ``async def`` function) has it run as a task (see ``_dispatch_awaitable``).

    Subclasses must call ``super().__init__()``; they may override ``_listener_added`` and
    ``_listener_removed`` (for the event names listed in ``_hooked``) and
    ``_dispatch_awaitable``.

    Events:
        'newListener' (name, listener): before a listener is added.
        'removeListener' (name, listener): after a listener was removed.

    Node: ``events.EventEmitter``
    """

    __slots__ = ("__weakref__", "_events", "_max_listeners", "_warned")

    _events: dict[Hashable, Any]  # name -> _Entry | tuple[_Entry, ...]
    _max_listeners: int | float | None  # None until set_max_listeners()
    _warned: set[Hashable] | None  # None until the first warning

    #: The limit used by emitters that never called ``set_max_listeners`` (Node's
    #: ``EventEmitter.defaultMaxListeners``). Assign on this class to change every emitter.
    default_max_listeners: int | float = 10

    #: The event names whose listeners the hooks below are told about. Other names skip the
    #: calls: adding and removing listeners is on every connection's path (pipe() alone adds
    #: six and removes them again).
    _hooked: ClassVar[frozenset[Hashable]] = frozenset()

    def __init__(self) -> None:
        self._events = {}
        # Both set, not left unset: reading an unset slot raises, which cost a caught
        # AttributeError on every removal and on every second listener.
        self._max_listeners = None
        self._warned = None

    # -- adding ---------------------------------------------------------------------------

    def _add(self, name: Hashable, listener: Listener, prepend: bool, once: bool) -> None:
        given: object = listener  # (typed as callable, but given by anyone)
        if not callable(given):
            _check_listener(given)
        events = self._events
        if "newListener" in events:
            self.emit("newListener", name, listener)
        nargs = _accepted_positionals(listener)
        if once:
            entry = _Entry(_OnceWrapper(self, name, listener, nargs), listener, _ALL)
        else:
            entry = _Entry(listener, listener, nargs)
        existing = events.get(name)  # read again: a 'newListener' listener may have added
        if existing is None:
            events[name] = entry
            if name in self._hooked:
                self._listener_added(name)
            return
        if type(existing) is _Entry:
            existing = (existing,)
        events[name] = (entry, *existing) if prepend else (*existing, entry)
        if name in self._hooked:
            self._listener_added(name)
        count = len(existing) + 1
        limit = self._max_listeners
        if limit is None:
            limit = type(self).default_max_listeners
        if 0 < limit < count:
            self._warn_max(name, count)

    def _warn_max(self, name: Hashable, count: int) -> None:
        warned = self._warned
        if warned is None:
            warned = self._warned = set()
        if name in warned:
            return
        warned.add(name)
        # stacklevel: _warn_max <- _add <- on/once/... <- the caller
        warnings.warn(MaxListenersExceededWarning(self, name, count), stacklevel=4)

    def on(self, name: Hashable, listener: Listener) -> Self:
        """Call ``listener`` on every ``name`` event, after the listeners already there.

        Args:
            name: The event name (any hashable; Node's are strings).
            listener: A function or ``async def`` function.

        Returns:
            The emitter, for chaining.

        Raises:
            TypeError: ``listener`` is not callable (code ``ERR_INVALID_ARG_TYPE``).

        Events:
            'newListener' (name, listener): before it is added.

        Node: ``emitter.on(eventName, listener)``
        """
        self._add(name, listener, False, False)
        return self

    add_listener = on

    def once(self, name: Hashable, listener: Listener) -> Self:
        """Call ``listener`` on the next ``name`` event only; it is removed before it runs.

        Node: ``emitter.once(eventName, listener)``
        """
        self._add(name, listener, False, True)
        return self

    def prepend_listener(self, name: Hashable, listener: Listener) -> Self:
        """Like ``on``, but ``listener`` runs before the listeners already there.

        Node: ``emitter.prependListener(eventName, listener)``
        """
        self._add(name, listener, True, False)
        return self

    def prepend_once_listener(self, name: Hashable, listener: Listener) -> Self:
        """Like ``once``, but ``listener`` runs before the listeners already there.

        Node: ``emitter.prependOnceListener(eventName, listener)``
        """
        self._add(name, listener, True, True)
        return self

    # -- removing -------------------------------------------------------------------------

    def remove_listener(self, name: Hashable, listener: Listener) -> Self:
        """Remove the most recently added registration of ``listener`` for ``name``.

        Does nothing if it is not registered. An emit already running still calls it.

        Raises:
            TypeError: ``listener`` is not callable (code ``ERR_INVALID_ARG_TYPE``).

        Events:
            'removeListener' (name, listener): after it is removed.

        Node: ``emitter.removeListener(eventName, listener)``
        """
        given: object = listener  # (typed as callable, but given by anyone)
        if not callable(given):
            _check_listener(given)
        events = self._events
        existing = events.get(name)
        if existing is None:
            return self
        if type(existing) is _Entry:
            if not existing.matches(listener):
                return self
            removed = existing
            del events[name]
            self._forget_warning(name)
        else:
            for index in range(len(existing) - 1, -1, -1):
                if existing[index].matches(listener):
                    break
            else:
                return self
            removed = existing[index]
            rest = existing[:index] + existing[index + 1 :]
            if len(rest) == 1:
                events[name] = rest[0]
                self._forget_warning(name)
            else:
                events[name] = rest
        if name in self._hooked:
            self._listener_removed(name)
        if "removeListener" in events:
            self.emit("removeListener", name, removed.listener)
        return self

    off = remove_listener

    def remove_all_listeners(self, name: Hashable | None = None) -> Self:
        """Remove every listener of ``name``, or of every event when ``name`` is None.

        With 'removeListener' listeners present, listeners are removed one by one (last
        added first, 'removeListener' itself last) so that each removal is reported.

        Node: ``emitter.removeAllListeners([eventName])``
        """
        events = self._events
        if "removeListener" not in events:
            if name is None:
                names = list(events)
                events.clear()
                self._warned = set()
                for each in names:
                    if each in self._hooked:
                        self._listener_removed(each)
            elif name in events:
                del events[name]
                self._forget_warning(name)
                if name in self._hooked:
                    self._listener_removed(name)
            return self
        if name is None:
            for each in list(events):
                if each != "removeListener":
                    self.remove_all_listeners(each)
            self.remove_all_listeners("removeListener")
            leftover = list(events)  # added by a 'removeListener' listener meanwhile
            events.clear()
            self._warned = set()
            for each in leftover:
                if each in self._hooked:
                    self._listener_removed(each)
            return self
        existing = events.get(name)
        if existing is None:
            return self
        if type(existing) is _Entry:
            existing = (existing,)
        for entry in reversed(existing):
            self.remove_listener(name, entry.fn)
        return self

    def _forget_warning(self, name: Hashable) -> None:
        # Node keeps its "warned" mark on the listener array, lost when it shrinks to one.
        warned = self._warned
        if warned:
            warned.discard(name)

    # -- emitting -------------------------------------------------------------------------

    def emit(self, name: Hashable, *args: Any) -> bool:
        """Call every listener of ``name`` with ``args``, in order, right now.

        Returns:
            Whether the event had listeners.

        Raises:
            Exception: ``emit('error', err)`` with no 'error' listener raises ``err``, or
                an ``ERR_UNHANDLED_ERROR`` error when ``err`` is not an exception.
                Whatever a listener raises propagates.

        Node: ``emitter.emit(eventName[, ...args])``
        """
        if name == "error":
            return self._emit_error(args)
        entries = self._events.get(name)
        if entries is None:
            return False
        if type(entries) is _Entry:
            result = (
                entries.fn(*args)
                if len(args) <= entries.nargs
                else entries.fn(*args[: entries.nargs])
            )
            if result is not None and _awaitable_types.get(type(result)) is not False:
                _maybe_dispatch(self, result)
            return True
        count = len(args)
        for entry in entries:
            nargs = entry.nargs
            result = entry.fn(*args) if count <= nargs else entry.fn(*args[:nargs])
            if result is not None and _awaitable_types.get(type(result)) is not False:
                _maybe_dispatch(self, result)
        return True

    def _emit_error(self, args: tuple[Any, ...]) -> bool:
        events = self._events
        if error_monitor in events:
            self.emit(error_monitor, *args)
        entries = events.get("error")
        if entries is None:
            error = args[0] if args else None
            if isinstance(error, BaseException):
                raise error
            raise _unhandled(error, bool(args))
        if type(entries) is _Entry:
            entries = (entries,)
        count = len(args)
        for entry in entries:
            nargs = entry.nargs
            result = entry.fn(*args) if count <= nargs else entry.fn(*args[:nargs])
            if result is not None and _awaitable_types.get(type(result)) is not False:
                _maybe_dispatch(self, result)
        return True

    def _dispatch_awaitable(self, awaitable: Awaitable[object]) -> None:
        """Run what an async listener returned; handles override this to use their group."""
        handler = _default_awaitable_handler
        if handler is None:
            close = getattr(awaitable, "close", None)
            if close is not None:
                close()  # no "coroutine was never awaited" warning on top of the error
            raise RuntimeError(
                "an async listener needs a running anyio_net runtime: call it through "
                "anyio_net.run(main) or inside `async with anyio_net.open_runtime():`"
            )
        handler(awaitable)

    # -- hooks ----------------------------------------------------------------------------

    def _listener_added(self, name: Hashable) -> None:
        """Called after a listener of ``name`` was added (a Socket starts flowing on 'data')."""

    def _listener_removed(self, name: Hashable) -> None:
        """Called after listeners of ``name`` were removed (check ``listener_count``)."""

    # -- inspecting -----------------------------------------------------------------------

    def listeners(self, name: Hashable) -> list[Listener]:
        """A new list of the listeners of ``name`` as they were given (once ones unwrapped).

        Node: ``emitter.listeners(eventName)``
        """
        entries = self._events.get(name)
        if entries is None:
            return []
        if type(entries) is _Entry:
            return [entries.listener]
        return [entry.listener for entry in entries]

    def raw_listeners(self, name: Hashable) -> list[Listener]:
        """Like ``listeners``, but ``once`` listeners appear as their wrappers.

        A wrapper has the original in ``.listener``; calling it removes it and calls that.

        Node: ``emitter.rawListeners(eventName)``
        """
        entries = self._events.get(name)
        if entries is None:
            return []
        if type(entries) is _Entry:
            return [entries.fn]
        return [entry.fn for entry in entries]

    def listener_count(self, name: Hashable, listener: Listener | None = None) -> int:
        """How many listeners ``name`` has, or how many times ``listener`` is one of them.

        Node: ``emitter.listenerCount(eventName[, listener])``
        """
        entries = self._events.get(name)
        if entries is None:
            return 0
        if type(entries) is _Entry:
            entries = (entries,)
        if listener is None:
            return len(entries)
        return sum(1 for entry in entries if entry.matches(listener))

    def event_names(self) -> list[Hashable]:
        """The names that have listeners, in the order they first got one.

        Node: ``emitter.eventNames()``
        """
        return list(self._events)

    def set_max_listeners(self, n: int | float) -> Self:
        """Warn once an event has more than ``n`` listeners; ``0`` (or ``math.inf``): never.

        Raises:
            TypeError: ``n`` is not a number (code ``ERR_INVALID_ARG_TYPE``).
            ValueError: ``n`` is negative or NaN (code ``ERR_OUT_OF_RANGE``).

        Node: ``emitter.setMaxListeners(n)``
        """
        _check_max(n, "n")
        self._max_listeners = n
        return self

    def get_max_listeners(self) -> int | float:
        """The limit set by ``set_max_listeners``, else ``default_max_listeners``.

        Node: ``emitter.getMaxListeners()``
        """
        limit = self._max_listeners
        return type(self).default_max_listeners if limit is None else limit


def _unhandled(error: object, given: bool) -> Exception:
    """Node's ERR_UNHANDLED_ERROR for ``emit('error', value)`` where value is no exception."""
    from ._errors import coded

    exc: Exception
    if not given:
        exc = coded("ERR_UNHANDLED_ERROR")
    else:
        try:
            exc = coded("ERR_UNHANDLED_ERROR", err=error)
        except Exception:  # its repr() raised: Node falls back to the plain value too
            exc = coded("ERR_UNHANDLED_ERROR", err=_Shown(object.__repr__(error)))
    setattr(exc, "context", error)  # Node's err.context: the value given to emit
    return exc


class _Shown:
    """Shows as the given text in a message that uses repr()."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text


# -- module functions (Node's statics on EventEmitter / events) ------------------------------


def listener_count(emitter: EventEmitter, name: Hashable) -> int:
    """How many listeners ``emitter`` has for ``name``.

    Node: ``EventEmitter.listenerCount(emitter, eventName)`` (deprecated there)
    """
    return emitter.listener_count(name)


def _require_emitter(value: object, name: str) -> None:
    # Takes `object` so that callers typed with EventEmitter still check at run time.
    if not isinstance(value, EventEmitter):
        from ._errors import coded

        raise coded("ERR_INVALID_ARG_TYPE", name=name, expected="EventEmitter", value=value)


def get_event_listeners(emitter: EventEmitter, name: Hashable) -> list[Listener]:
    """A copy of ``emitter``'s listeners for ``name``.

    Raises:
        TypeError: ``emitter`` is not an EventEmitter (code ``ERR_INVALID_ARG_TYPE``).

    Node: ``events.getEventListeners(emitterOrTarget, eventName)``
    """
    _require_emitter(emitter, "emitter")
    return emitter.listeners(name)


def get_max_listeners(emitter: EventEmitter) -> int | float:
    """``emitter.get_max_listeners()``, checking that it is an emitter.

    Raises:
        TypeError: ``emitter`` is not an EventEmitter (code ``ERR_INVALID_ARG_TYPE``).

    Node: ``events.getMaxListeners(emitterOrTarget)``
    """
    _require_emitter(emitter, "emitter")
    return emitter.get_max_listeners()


def set_max_listeners(n: int | float, *emitters: EventEmitter) -> None:
    """Set the limit of each of ``emitters``, or with none, ``default_max_listeners``.

    Raises:
        TypeError: ``n`` is not a number, or an emitter is not one (``ERR_INVALID_ARG_TYPE``).
        ValueError: ``n`` is negative or NaN (code ``ERR_OUT_OF_RANGE``).

    Node: ``events.setMaxListeners(n[, ...eventTargets])``
    """
    _check_max(n, "n")
    for emitter in emitters:  # all checked before any is changed
        _require_emitter(emitter, "eventTargets")
    if not emitters:
        EventEmitter.default_max_listeners = n
    for emitter in emitters:
        emitter.set_max_listeners(n)
