"""Backends, call counting, event recording and the leak check shared by every test."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from anyio_net import _runtime

try:
    import uvloop  # noqa: F401

    _HAVE_UVLOOP = True
except ImportError:  # pragma: no cover - uvloop is absent on Windows
    _HAVE_UVLOOP = False

_BACKENDS = {
    "asyncio": pytest.param(("asyncio", {}), id="asyncio"),
    "asyncio+uvloop": pytest.param(("asyncio", {"use_uvloop": True}), id="asyncio+uvloop"),
    "trio": pytest.param(("trio", {}), id="trio"),
}
_DEFAULT = ["asyncio", "asyncio+uvloop", "trio"] if _HAVE_UVLOOP else ["asyncio", "trio"]
_CHOSEN = [
    name for name in os.environ.get("ANYIO_NET_BACKENDS", ",".join(_DEFAULT)).split(",") if name
]


@pytest.fixture(params=[_BACKENDS[name] for name in _CHOSEN])
def anyio_backend(request: pytest.FixtureRequest) -> Any:
    return request.param


@pytest.fixture
def backend_name(anyio_backend: Any) -> str:
    name, options = anyio_backend
    return "asyncio+uvloop" if options.get("use_uvloop") else name


# -- must_call --------------------------------------------------------------------------


class _Counted:
    def __init__(self, fn: Callable[..., Any] | None, times: int, where: str) -> None:
        self.fn = fn
        self.times = times
        self.calls = 0
        self.where = where

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        if self.fn is not None:
            return self.fn(*args)
        return None


@pytest.fixture
def must_call() -> Iterator[Callable[..., Any]]:
    """``must_call(fn, times=1)``: fails at teardown unless ``fn`` ran exactly that often.

    Node: ``common.mustCall``. ``must_call(None, 0)`` is ``common.mustNotCall()``.
    """
    made: list[_Counted] = []

    def factory(fn: Callable[..., Any] | None = None, times: int = 1) -> Callable[..., Any]:
        import traceback

        where = "".join(traceback.format_stack(limit=2)[:1]).strip()
        counted = _Counted(fn, times, where)
        made.append(counted)

        def call(*args: Any) -> Any:
            return counted(*args)

        # Keep the listener's arity visible so the emitter passes the right arguments.
        if fn is not None:
            import functools

            call = functools.wraps(fn)(call)
        return call

    yield factory
    wrong = [c for c in made if c.calls != c.times]
    assert not wrong, "; ".join(
        f"expected {c.times} call(s), got {c.calls} at {c.where}" for c in wrong
    )


@pytest.fixture
def must_not_call(must_call: Callable[..., Any]) -> Callable[..., Any]:
    def factory(_name: str = "") -> Callable[..., Any]:
        return must_call(lambda *args: None, 0)

    return factory


# -- event recording ----------------------------------------------------------------------


class Recorder:
    """Records ``(name, args)`` for every event of one emitter, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, tuple[Any, ...]]] = []

    def watch(self, emitter: Any, *names: str) -> Any:
        for name in names:
            emitter.on(name, self._make(name))
        return emitter

    def _make(self, name: str) -> Callable[..., None]:
        def record(*args: Any) -> None:
            self.events.append((name, args))

        return record

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.events]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


# -- node ----------------------------------------------------------------------------------

NODE = shutil.which("node")


@pytest.fixture
def node() -> str:
    if NODE is None:  # pragma: no cover - CI installs node
        pytest.skip("node is not installed")
    return NODE


# -- the leak check -------------------------------------------------------------------------


def _socket_fds() -> set[str]:
    found = set()
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:  # pragma: no cover - not Linux
        return found
    for name in names:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(f"{name}->{target}")
    return found


@pytest.fixture(autouse=True)
def _no_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a socket descriptor open or an anyio_net task running."""
    before = _socket_fds()
    yield
    gc.collect()
    leaked = _socket_fds() - before
    assert _runtime.live_tasks() == 0, f"{_runtime.live_tasks()} anyio_net task(s) still running"
    assert _runtime.live_runtimes() == 0, "an anyio_net runtime is still open"
    assert not leaked, f"socket descriptors left open: {sorted(leaked)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ANYIO_NET_ONLY_IO=1 (set by nox for every backend session but the first), keep
    only the tests that run on an event loop: the pure ones already ran once."""
    if os.environ.get("ANYIO_NET_ONLY_IO") != "1":
        return
    keep = [item for item in items if "anyio_backend" in getattr(item, "fixturenames", ())]
    dropped = [item for item in items if "anyio_backend" not in getattr(item, "fixturenames", ())]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
