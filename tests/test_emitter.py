from __future__ import annotations

import functools
import gc
import math
import weakref
from collections.abc import Awaitable, Callable, Generator, Hashable, Iterator
from typing import Any

import pytest

from anyio_net import _emitter
from anyio_net._emitter import (
    EventEmitter,
    MaxListenersExceededWarning,
    error_monitor,
    get_event_listeners,
    get_max_listeners,
    listener_count,
    set_default_awaitable_handler,
    set_max_listeners,
)


@pytest.fixture
def no_awaitable_handler() -> Iterator[None]:
    saved = _emitter._default_awaitable_handler
    set_default_awaitable_handler(None)
    try:
        yield
    finally:
        set_default_awaitable_handler(saved)


@pytest.fixture
def restore_default_max() -> Iterator[None]:
    saved = EventEmitter.default_max_listeners
    try:
        yield
    finally:
        EventEmitter.default_max_listeners = saved


def make_log() -> tuple[list[Any], Callable[[str], Callable[..., None]]]:
    log: list[Any] = []

    def make(tag: str) -> Callable[..., None]:
        def listener(*args: Any) -> None:
            log.append((tag, *args))

        return listener

    return log, make


# -- adding and emitting --------------------------------------------------------------------


def test_on_returns_emitter_and_aliases_are_the_same_functions() -> None:
    ee = EventEmitter()
    assert ee.on("a", print) is ee
    assert ee.add_listener("a", print) is ee
    assert ee.once("a", print) is ee
    assert ee.prepend_listener("a", print) is ee
    assert ee.prepend_once_listener("a", print) is ee
    assert ee.off("a", print) is ee
    assert ee.remove_listener("a", print) is ee
    assert ee.remove_all_listeners("a") is ee
    assert ee.remove_all_listeners() is ee
    assert ee.set_max_listeners(3) is ee
    assert EventEmitter.add_listener is EventEmitter.on  # type: ignore[misc]
    assert EventEmitter.off is EventEmitter.remove_listener  # type: ignore[misc]


def test_emit_returns_whether_listeners_ran() -> None:
    ee = EventEmitter()
    assert ee.emit("x") is False
    ee.on("x", lambda: None)
    assert ee.emit("x") is True
    assert ee.emit("y", 1, 2) is False


def test_listeners_run_in_registration_order_with_the_arguments() -> None:
    ee = EventEmitter()
    log, make = make_log()
    for tag in "abc":
        ee.on("ev", make(tag))
    ee.emit("ev", 1, "two")
    assert log == [("a", 1, "two"), ("b", 1, "two"), ("c", 1, "two")]


def test_same_listener_twice_runs_twice() -> None:
    ee = EventEmitter()
    log, make = make_log()
    fn = make("x")
    ee.on("ev", fn).on("ev", fn)
    ee.emit("ev")
    assert log == [("x",), ("x",)]
    assert ee.listeners("ev") == [fn, fn]


def test_event_names_can_be_any_hashable() -> None:
    ee = EventEmitter()
    sym = object()
    log, make = make_log()
    ee.on(123, make("int")).on(None, make("none")).on(sym, make("sym")).on(("t", 1), make("t"))
    ee.emit(123)
    ee.emit(None)
    ee.emit(sym)
    ee.emit(("t", 1))
    assert log == [("int",), ("none",), ("sym",), ("t",)]
    assert ee.event_names() == [123, None, sym, ("t", 1)]


def test_listener_exception_propagates_and_stops_the_emit() -> None:
    ee = EventEmitter()
    log, make = make_log()

    def boom() -> None:
        raise KeyError("boom")

    ee.on("ev", make("a")).on("ev", boom).on("ev", make("c"))
    with pytest.raises(KeyError, match="boom"):
        ee.emit("ev")
    assert log == [("a",)]


def test_non_callable_listener_is_rejected_everywhere() -> None:
    ee = EventEmitter()
    for method in (
        ee.on,
        ee.add_listener,
        ee.once,
        ee.prepend_listener,
        ee.prepend_once_listener,
        ee.remove_listener,
        ee.off,
    ):
        with pytest.raises(TypeError) as info:
            method("foo", None)  # type: ignore[arg-type]
        assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert ee.event_names() == []


# -- modification during emit ---------------------------------------------------------------


def test_listener_removed_during_emit_still_runs_for_that_emit() -> None:
    ee = EventEmitter()
    log, make = make_log()
    second = make("second")

    def first() -> None:
        log.append(("first",))
        ee.remove_listener("ev", second)

    ee.on("ev", first).on("ev", second)
    ee.emit("ev")
    assert log == [("first",), ("second",)]
    ee.emit("ev")
    assert log == [("first",), ("second",), ("first",)]


def test_listener_added_during_emit_runs_from_the_next_emit() -> None:
    ee = EventEmitter()
    log, make = make_log()
    late = make("late")

    def first() -> None:
        log.append(("first",))
        ee.on("ev", late)

    ee.once("ev", first)
    ee.on("ev", make("second"))
    ee.emit("ev")
    assert log == [("first",), ("second",)]
    ee.emit("ev")
    assert log == [("first",), ("second",), ("second",), ("late",)]


def test_remove_all_during_emit_keeps_the_running_emit() -> None:
    ee = EventEmitter()
    log, make = make_log()

    def first() -> None:
        log.append(("first",))
        ee.remove_all_listeners()

    ee.on("ev", first).on("ev", make("second"))
    ee.emit("ev")
    assert log == [("first",), ("second",)]
    assert ee.emit("ev") is False


def test_recursive_emit_sees_the_current_listeners() -> None:
    ee = EventEmitter()
    log: list[int] = []

    def listener(depth: int) -> None:
        log.append(depth)
        if depth < 3:
            ee.emit("ev", depth + 1)

    ee.on("ev", listener)
    ee.emit("ev", 0)
    assert log == [0, 1, 2, 3]


# -- once -----------------------------------------------------------------------------------


def test_once_runs_once_and_is_removed_before_it_runs() -> None:
    ee = EventEmitter()
    seen: list[Any] = []

    def listener(*args: Any) -> None:
        seen.append((args, ee.listener_count("ev")))

    ee.once("ev", listener)
    assert ee.listener_count("ev") == 1
    assert ee.emit("ev", 1, 2) is True
    assert ee.emit("ev", 3) is False
    assert seen == [((1, 2), 0)]


def test_once_reentrant_emit_runs_each_once_listener_once() -> None:
    ee = EventEmitter()
    log: list[str] = []

    def first() -> None:
        log.append("a")
        ee.emit("e")

    ee.once("e", first)
    ee.once("e", lambda: log.append("b"))
    ee.emit("e")
    assert log == ["a", "b"]
    assert ee.listener_count("e") == 0


def test_once_can_be_removed_with_the_original_listener() -> None:
    ee = EventEmitter()
    log, make = make_log()
    fn = make("x")
    ee.once("ev", fn)
    ee.remove_listener("ev", fn)
    assert ee.emit("ev") is False
    assert log == []


def test_once_can_be_removed_with_its_wrapper() -> None:
    ee = EventEmitter()
    fn = lambda: None  # noqa: E731
    ee.on("ev", print).once("ev", fn)
    wrapper = ee.raw_listeners("ev")[1]
    ee.remove_listener("ev", wrapper)
    assert ee.listeners("ev") == [print]


def test_raw_listeners_expose_once_wrappers() -> None:
    ee = EventEmitter()
    calls: list[int] = []

    def plain() -> None:
        calls.append(1)

    def one_shot() -> int:
        calls.append(2)
        return 42

    ee.on("ev", plain).once("ev", one_shot)
    raw = ee.raw_listeners("ev")
    assert raw[0] is plain
    assert raw[1] is not one_shot
    assert raw[1].listener is one_shot  # type: ignore[attr-defined]
    assert ee.listeners("ev") == [plain, one_shot]
    # Calling the wrapper removes it, returns the listener's result, and only once.
    assert raw[1]() == 42
    assert raw[1]() is None
    assert calls == [2]
    assert ee.listeners("ev") == [plain]


def test_once_wrapper_adapts_arity() -> None:
    ee = EventEmitter()
    got: list[Any] = []
    ee.once("ev", lambda a: got.append(a))
    ee.emit("ev", 1, 2, 3)
    assert got == [1]


# -- prepend --------------------------------------------------------------------------------


def test_prepend_orders_before_existing_listeners() -> None:
    ee = EventEmitter()
    log, make = make_log()
    ee.on("ev", make("on"))
    ee.prepend_listener("ev", make("prepend"))
    ee.prepend_once_listener("ev", make("prepend_once"))
    ee.on("ev", make("on2"))
    ee.emit("ev")
    ee.emit("ev")
    assert [tag for (tag,) in log] == [
        "prepend_once",
        "prepend",
        "on",
        "on2",
        "prepend",
        "on",
        "on2",
    ]


# -- newListener / removeListener -----------------------------------------------------------


def test_new_listener_is_emitted_before_adding_with_the_unwrapped_listener() -> None:
    ee = EventEmitter()
    seen: list[Any] = []

    def on_new(name: Hashable, listener: Any) -> None:
        seen.append((name, listener, ee.listeners(name)))

    ee.on("newListener", on_new)
    fn = lambda: None  # noqa: E731
    ee.on("ev", fn)
    ee.once("ev", fn)
    ee.prepend_once_listener("other", fn)
    assert seen == [("ev", fn, []), ("ev", fn, [fn]), ("other", fn, [])]


def test_new_listener_adding_listeners_puts_them_first() -> None:
    ee = EventEmitter()
    first = lambda: None  # noqa: E731
    second = lambda: None  # noqa: E731
    ee.once("newListener", lambda name, listener: ee.on("ev", second))
    ee.on("ev", first)
    assert ee.listeners("ev") == [second, first]


def test_new_listener_is_not_emitted_without_listeners_of_it() -> None:
    ee = EventEmitter()
    ee.on("ev", print)
    assert ee.event_names() == ["ev"]


def test_new_listener_listener_sees_itself_being_added() -> None:
    ee = EventEmitter()
    seen: list[Any] = []
    ee.on("newListener", lambda *args: seen.append(args))
    fn = lambda: None  # noqa: E731
    ee.on("newListener", fn)
    assert seen == [("newListener", fn)]


def test_remove_listener_event_after_removal_with_unwrapped_listener() -> None:
    ee = EventEmitter()
    seen: list[Any] = []
    fn = lambda: None  # noqa: E731
    other = lambda: None  # noqa: E731
    ee.on(
        "removeListener", lambda name, listener: seen.append((name, listener, ee.listeners(name)))
    )
    ee.on("ev", fn).on("ev", other)
    ee.remove_listener("ev", fn)
    assert seen == [("ev", fn, [other])]
    seen.clear()
    # A fired once listener is reported unwrapped, also when others remain.
    ee.once("ev", fn)
    ee.emit("ev")
    assert seen == [("ev", fn, [other])]


def test_remove_listener_not_emitted_when_nothing_was_removed() -> None:
    ee = EventEmitter()
    seen: list[Any] = []
    ee.on("removeListener", lambda *args: seen.append(args))
    ee.on("ev", print)
    ee.remove_listener("ev", repr)
    ee.remove_listener("other", repr)
    assert seen == []


def test_remove_all_listeners_of_one_event_reports_last_added_first() -> None:
    ee = EventEmitter()
    seen: list[Any] = []
    a, b, c = (lambda: None), (lambda: None), (lambda: None)
    ee.on("ev", a).once("ev", b).on("ev", c).on("keep", a)
    ee.on("removeListener", lambda name, listener: seen.append((name, listener)))
    ee.remove_all_listeners("ev")
    assert seen == [("ev", c), ("ev", b), ("ev", a)]
    assert ee.listeners("keep") == [a]


def test_remove_all_listeners_reports_remove_listener_last() -> None:
    ee = EventEmitter()
    seen: list[Any] = []
    first = lambda name, listener: seen.append(("first", name))  # noqa: E731
    second = lambda name, listener: seen.append(("second", name))  # noqa: E731
    ee.on("foo", print).on("bar", print)
    ee.on("removeListener", first).on("removeListener", second)
    ee.remove_all_listeners()
    assert seen == [
        ("first", "foo"),
        ("second", "foo"),
        ("first", "bar"),
        ("second", "bar"),
        ("first", "removeListener"),
    ]
    assert ee.event_names() == []


def test_remove_all_listeners_none_means_every_event() -> None:
    ee = EventEmitter()
    ee.on(None, print).on("a", print)
    ee.remove_all_listeners(None)
    assert ee.event_names() == []


def test_remove_listener_removes_the_last_added_match() -> None:
    ee = EventEmitter()
    fn = lambda: None  # noqa: E731
    ee.on("ev", fn).on("ev", print).on("ev", fn)
    ee.remove_listener("ev", fn)
    assert ee.listeners("ev") == [fn, print]
    ee.remove_listener("ev", fn)
    assert ee.listeners("ev") == [print]
    ee.remove_listener("ev", print)
    assert ee.event_names() == []


def test_remove_listener_matches_a_fresh_bound_method() -> None:
    class Thing:
        def __init__(self) -> None:
            self.count = 0

        def handle(self) -> None:
            self.count += 1

    thing = Thing()
    ee = EventEmitter()
    ee.on("ev", thing.handle)
    assert ee.listener_count("ev", thing.handle) == 1
    ee.emit("ev")
    ee.off("ev", thing.handle)
    assert ee.emit("ev") is False
    assert thing.count == 1


# -- inspection -----------------------------------------------------------------------------


def test_listeners_returns_a_new_list_each_time() -> None:
    ee = EventEmitter()
    ee.on("ev", print)
    copy = ee.listeners("ev")
    copy.append(repr)
    assert ee.listeners("ev") == [print]
    assert ee.listeners("ev") is not ee.listeners("ev")
    assert ee.listeners("missing") == []
    assert ee.raw_listeners("missing") == []


def test_listener_count_with_and_without_listener() -> None:
    ee = EventEmitter()
    fn = lambda: None  # noqa: E731
    assert ee.listener_count("ev") == 0
    assert ee.listener_count("ev", fn) == 0
    ee.on("ev", fn).once("ev", fn).on("ev", print)
    assert ee.listener_count("ev") == 3
    assert ee.listener_count("ev", fn) == 2
    assert ee.listener_count("ev", print) == 1
    assert ee.listener_count("ev", repr) == 0
    assert listener_count(ee, "ev") == 3


def test_event_names_in_first_added_order() -> None:
    ee = EventEmitter()
    ee.on("b", print).on("a", print).on("b", repr)
    assert ee.event_names() == ["b", "a"]
    ee.remove_all_listeners("b")
    ee.on("b", print)
    assert ee.event_names() == ["a", "b"]


def test_get_event_listeners() -> None:
    ee = EventEmitter()
    ee.on("ev", print).once("ev", repr)
    assert get_event_listeners(ee, "ev") == [print, repr]
    assert get_event_listeners(ee, "none") == []
    with pytest.raises(TypeError) as info:
        get_event_listeners("not an emitter", "ev")  # type: ignore[arg-type]
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]


# -- arity adaptation -----------------------------------------------------------------------


def test_listener_gets_at_most_the_arguments_it_takes() -> None:
    ee = EventEmitter()
    got: list[Any] = []

    def none() -> None:
        got.append(("none",))

    def one(a: Any) -> None:
        got.append(("one", a))

    def default(a: Any, b: Any = "dflt") -> None:
        got.append(("default", a, b))

    def star(*args: Any) -> None:
        got.append(("star", *args))

    def mixed(a: Any, *rest: Any) -> None:
        got.append(("mixed", a, rest))

    def kwonly(a: Any, *, key: str = "k") -> None:
        got.append(("kwonly", a, key))

    for fn in (none, one, default, star, mixed, kwonly):
        ee.on("ev", fn)
    ee.emit("ev", 1, 2, 3)
    assert got == [
        ("none",),
        ("one", 1),
        ("default", 1, 2),
        ("star", 1, 2, 3),
        ("mixed", 1, (2, 3)),
        ("kwonly", 1, "k"),
    ]
    got.clear()
    ee.emit("ev", 1)
    assert got == [
        ("none",),
        ("one", 1),
        ("default", 1, "dflt"),
        ("star", 1),
        ("mixed", 1, ()),
        ("kwonly", 1, "k"),
    ]


def test_arity_of_methods_partials_callables_and_classes() -> None:
    got: list[Any] = []

    class Handler:
        def method(self, a: Any) -> None:
            got.append(("method", a))

        @staticmethod
        def static(a: Any, b: Any) -> None:
            got.append(("static", a, b))

        @classmethod
        def klass(cls, a: Any) -> None:
            got.append(("classmethod", a))

        def __call__(self, a: Any) -> None:
            got.append(("call", a))

    class Built:
        def __init__(self, a: Any) -> None:
            got.append(("init", a))

    def two(a: Any, b: Any) -> None:
        got.append(("partial", a, b))

    h = Handler()
    ee = EventEmitter()
    for fn in (h.method, Handler.static, Handler.klass, h, Built, functools.partial(two, "p")):
        ee.on("ev", fn)
    ee.emit("ev", 1, 2, 3)
    assert got == [
        ("method", 1),
        ("static", 1, 2),
        ("classmethod", 1),
        ("call", 1),
        ("init", 1),
        ("partial", "p", 1),
    ]


def test_arity_follows_functools_wraps() -> None:
    got: list[Any] = []

    def counted(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any) -> Any:
            return fn(*args)

        return wrapper

    @counted
    def one(a: Any) -> None:
        got.append(a)

    ee = EventEmitter()
    ee.on("ev", one)
    ee.emit("ev", 1, 2)
    assert got == [1]


def test_builtins_and_uninspectable_callables_get_every_argument() -> None:
    got: list[Any] = []

    class Opaque:
        @property
        def __signature__(self) -> Any:
            raise ValueError("no signature")

        def __call__(self, *args: Any) -> None:
            got.append(args)

    ee = EventEmitter()
    sink: list[Any] = []
    ee.on("ev", sink.append)
    ee.on("ev", Opaque())
    ee.emit("ev", "x")
    assert sink == ["x"]
    assert got == [("x",)]
    with pytest.raises(TypeError):
        ee.emit("ev", "x", "y")  # list.append takes one: builtins are not second-guessed


def test_listeners_keep_their_identity() -> None:
    ee = EventEmitter()

    def one(a: Any) -> None:
        pass

    ee.on("ev", one)
    assert ee.listeners("ev") == [one]
    assert ee.listeners("ev")[0] is one
    assert ee.raw_listeners("ev")[0] is one
    ee.off("ev", one)
    assert ee.listener_count("ev") == 0


# -- max listeners --------------------------------------------------------------------------


def test_max_listeners_warns_once_per_event() -> None:
    ee = EventEmitter()
    for _ in range(10):
        ee.on("ev", print)
    with pytest.warns(MaxListenersExceededWarning) as record:
        ee.on("ev", print).on("ev", print)
    assert len(record) == 1
    warning = record[0].message
    assert isinstance(warning, MaxListenersExceededWarning)
    assert isinstance(warning, RuntimeWarning)
    assert warning.emitter is ee
    assert warning.type == "ev"
    assert warning.count == 11
    assert "11 ev listeners added to [EventEmitter]" in str(warning)
    assert record[0].filename == __file__  # points at the caller
    # Another event warns on its own.
    ee.set_max_listeners(1)
    ee.on("other", print)
    with pytest.warns(MaxListenersExceededWarning, match="2 other listeners"):
        ee.once("other", print)


def test_max_listeners_zero_and_infinity_mean_unlimited() -> None:
    for limit in (0, math.inf):
        ee = EventEmitter().set_max_listeners(limit)
        for _ in range(100):
            ee.on("ev", print)  # filterwarnings=error would raise
        assert ee.get_max_listeners() == limit


def test_max_listeners_default_comes_from_the_class(restore_default_max: None) -> None:
    class Quiet(EventEmitter):
        default_max_listeners = 2

    assert EventEmitter().get_max_listeners() == 10
    quiet = Quiet()
    assert quiet.get_max_listeners() == 2
    quiet.on("ev", print).on("ev", print)
    with pytest.warns(MaxListenersExceededWarning):
        quiet.on("ev", print)
    EventEmitter.default_max_listeners = 1
    ee = EventEmitter()
    assert ee.get_max_listeners() == 1
    assert get_max_listeners(ee) == 1
    ee.set_max_listeners(5)
    assert ee.get_max_listeners() == 5


def test_warning_can_come_again_after_the_event_shrank() -> None:
    ee = EventEmitter().set_max_listeners(1)
    ee.on("ev", print)
    with pytest.warns(MaxListenersExceededWarning):
        ee.on("ev", repr)
    ee.off("ev", repr)
    with pytest.warns(MaxListenersExceededWarning):
        ee.on("ev", repr)


def test_set_max_listeners_rejects_bad_values() -> None:
    ee = EventEmitter()
    for bad in (-1, math.nan, -math.inf):
        with pytest.raises(ValueError) as info:
            ee.set_max_listeners(bad)
        assert info.value.code == "ERR_OUT_OF_RANGE"  # type: ignore[attr-defined]
    for wrong in ("3", None, True):
        with pytest.raises(TypeError) as type_info:
            ee.set_max_listeners(wrong)  # type: ignore[arg-type]
        assert type_info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    assert ee.get_max_listeners() == 10


def test_module_set_max_listeners(restore_default_max: None) -> None:
    a, b = EventEmitter(), EventEmitter()
    set_max_listeners(3, a, b)
    assert a.get_max_listeners() == b.get_max_listeners() == 3
    set_max_listeners(7)
    assert EventEmitter.default_max_listeners == 7
    assert EventEmitter().get_max_listeners() == 7
    with pytest.raises(TypeError) as info:
        set_max_listeners(3, "nope")  # type: ignore[arg-type]
    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        set_max_listeners(-1)


# -- errors ---------------------------------------------------------------------------------


def test_unhandled_error_raises_the_exception_itself() -> None:
    ee = EventEmitter()
    err = OSError("boom")
    with pytest.raises(OSError) as info:
        ee.emit("error", err)
    assert info.value is err


def test_unhandled_non_exception_raises_err_unhandled_error() -> None:
    ee = EventEmitter()
    with pytest.raises(Exception) as info:
        ee.emit("error", "a string")
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]
    assert info.value.context == "a string"  # type: ignore[attr-defined]
    assert "'a string'" in str(info.value)
    with pytest.raises(Exception) as info:
        ee.emit("error")
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]
    assert info.value.context is None  # type: ignore[attr-defined]


def test_unhandled_error_with_an_unprintable_value() -> None:
    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    ee = EventEmitter()
    value = Unprintable()
    with pytest.raises(Exception) as info:
        ee.emit("error", value)
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]
    assert info.value.context is value  # type: ignore[attr-defined]


def test_error_with_a_listener_is_handled() -> None:
    ee = EventEmitter()
    got: list[Any] = []
    ee.on("error", got.append)
    err = ValueError("x")
    assert ee.emit("error", err) is True
    assert got == [err]


def test_error_monitor_runs_before_error_listeners_and_before_the_raise() -> None:
    ee = EventEmitter()
    log: list[str] = []
    err = ValueError("x")
    ee.on(error_monitor, lambda e: log.append("monitor" if e is err else "?"))
    with pytest.raises(ValueError):
        ee.emit("error", err)
    assert log == ["monitor"]
    ee.on("error", lambda e: log.append("error"))
    ee.emit("error", err)
    assert log == ["monitor", "monitor", "error"]
    ee.emit("other", err)
    assert log == ["monitor", "monitor", "error"]
    assert repr(error_monitor) == "Symbol(events.errorMonitor)"


def test_error_monitor_can_add_the_error_listener() -> None:
    ee = EventEmitter()
    got: list[Any] = []
    ee.once(error_monitor, lambda e: ee.on("error", got.append))
    err = ValueError("x")
    assert ee.emit("error", err) is True
    assert got == [err]


# -- async listeners ------------------------------------------------------------------------


def test_async_listener_goes_to_the_default_handler() -> None:
    saved = _emitter._default_awaitable_handler
    handed: list[Awaitable[object]] = []
    set_default_awaitable_handler(handed.append)
    try:
        ee = EventEmitter()
        got: list[Any] = []

        async def listener(a: Any) -> None:
            got.append(a)

        ee.on("ev", listener)
        assert ee.emit("ev", 1, 2) is True
        assert len(handed) == 1
        coro = handed[0]
        with pytest.raises(StopIteration):
            coro.send(None)  # type: ignore[attr-defined]
        assert got == [1]
    finally:
        set_default_awaitable_handler(saved)


def test_async_listener_without_runtime_raises(no_awaitable_handler: None) -> None:
    ee = EventEmitter()
    started: list[int] = []

    async def listener() -> None:
        started.append(1)

    ee.on("ev", listener)
    with pytest.raises(RuntimeError, match=r"anyio_net\.run\(.*open_runtime"):
        ee.emit("ev")
    gc.collect()  # the coroutine was closed: no "never awaited" warning (warnings are errors)
    assert started == []


def test_subclass_dispatch_awaitable_gets_every_awaitable(no_awaitable_handler: None) -> None:
    class Awaitable_:
        def __await__(self) -> Generator[Any, None, None]:
            yield from ()

    class Spawner(EventEmitter):
        def __init__(self) -> None:
            super().__init__()
            self.spawned: list[Any] = []

        def _dispatch_awaitable(self, awaitable: Awaitable[object]) -> None:
            self.spawned.append(awaitable)

    thing = Awaitable_()
    ee = Spawner()
    ee.on("ev", lambda: thing)
    ee.on("ev", lambda: 5).on("ev", lambda: "s").on("ev", lambda: True).on("ev", lambda: [1])
    ee.emit("ev")
    ee.once("other", lambda: thing)
    ee.emit("other")
    ee.on("error", lambda e: thing)
    ee.emit("error", ValueError())
    assert ee.spawned == [thing, thing, thing]


def test_generator_results_are_not_awaitable(no_awaitable_handler: None) -> None:
    ee = EventEmitter()

    def generator() -> Iterator[int]:
        yield from ()

    ee.on("ev", generator)
    assert ee.emit("ev") is True


# -- hooks and subclassing ------------------------------------------------------------------


def test_hooks_run_after_each_change() -> None:
    class Hooked(EventEmitter):
        _hooked = frozenset({"data", "end", "a", "b"})

        def __init__(self) -> None:
            super().__init__()
            self.log: list[tuple[str, Hashable, int]] = []

        def _listener_added(self, name: Hashable) -> None:
            self.log.append(("added", name, self.listener_count(name)))

        def _listener_removed(self, name: Hashable) -> None:
            self.log.append(("removed", name, self.listener_count(name)))

    def other() -> None:
        pass

    ee = Hooked()
    ee.on("data", print).once("data", other).prepend_listener("end", print)
    ee.emit("data")
    ee.off("data", print)
    ee.off("data", print)  # not there: no hook
    ee.on("a", print).on("a", other)
    ee.remove_all_listeners("a")
    ee.on("b", print)
    ee.on("unhooked", print).off("unhooked", print).on("unhooked", other)
    ee.remove_all_listeners()
    assert ee.log == [
        ("added", "data", 1),
        ("added", "data", 2),
        ("added", "end", 1),
        ("removed", "data", 1),
        ("removed", "data", 0),
        ("added", "a", 1),
        ("added", "a", 2),
        ("removed", "a", 0),
        ("added", "b", 1),
        ("removed", "end", 0),
        ("removed", "b", 0),
    ]


def test_subclass_without_slots_takes_attributes_and_weakrefs() -> None:
    class Custom(EventEmitter):
        pass

    ee = Custom()
    ee.anything = 1  # type: ignore[attr-defined]
    plain = EventEmitter()
    assert weakref.ref(plain)() is plain
    with pytest.raises(AttributeError):
        plain.anything = 1  # type: ignore[attr-defined]


def test_emitters_do_not_share_state() -> None:
    a, b = EventEmitter(), EventEmitter()
    a.on("x", print)
    a.set_max_listeners(3)
    assert b.listener_count("x") == 0
    assert b.get_max_listeners() == 10
