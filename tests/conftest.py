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
#
# Every test must leave the process as it found it: no descriptor of any kind (sockets,
# pipes, files, epoll/eventfd), no anyio_net task, no open runtime, no handle still
# registered. Event loops are closed by anyio's runner before this teardown runs; what a
# loop library keeps for the whole process (libuv's signal pipe, made by the first uvloop
# loop) is created once by `_warm_up_backends` before any test takes its snapshot.
# tests/test_reliability_leak_guard.py proves each check can fail.


def open_fds() -> dict[int, str]:
    """Every open descriptor of this process and what it points to (Linux; empty elsewhere)."""
    found: dict[int, str] = {}
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:  # pragma: no cover - not Linux
        return found
    for name in names:
        try:
            found[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # the descriptor listdir itself used, closed by now
    return found


def open_sockets() -> dict[int, str]:
    """The open socket descriptors: what a test compares while its event loop still runs.

    A running loop may open descriptors of its own on first need (libuv, under uvloop, keeps
    a spare ``/dev/null`` per loop from its first stream on), so in-test checks look at
    sockets only; the autouse check below sees every kind once the loop has closed.
    """
    return {fd: target for fd, target in open_fds().items() if target.startswith("socket:")}


def _leaked_fds(before: dict[int, str], after: dict[int, str]) -> dict[int, str]:
    return {fd: target for fd, target in after.items() if before.get(fd) != target}


@pytest.fixture(scope="session", autouse=True)
def _warm_up_backends() -> None:
    """Run each chosen backend once, so its process-wide descriptors predate every snapshot."""
    import anyio
    import anyio.lowlevel

    async def nothing() -> None:
        await anyio.lowlevel.checkpoint()

    for name in _CHOSEN:
        backend, options = _BACKENDS[name].values[0]  # type: ignore[misc]
        anyio.run(nothing, backend=backend, backend_options=options)


@pytest.fixture(autouse=True)
def _no_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a descriptor open, an anyio_net task running, a runtime open
    or a server/socket registered as open."""
    fds_before = open_fds()
    tasks_before = _runtime.live_tasks()
    runtimes_before = _runtime.live_runtimes()
    handles_before = {id(h) for h in _runtime.live_handles()}
    yield

    def problems() -> list[str]:
        found = []
        tasks = _runtime.live_tasks() - tasks_before
        if tasks > 0:
            found.append(f"{tasks} anyio_net task(s) still running")
        runtimes = _runtime.live_runtimes() - runtimes_before
        if runtimes > 0:
            found.append(f"{runtimes} anyio_net runtime(s) still open")
        handles = [h for h in _runtime.live_handles() if id(h) not in handles_before]
        if handles:
            found.append(f"handle(s) still registered as open: {handles!r}")
        leaked = _leaked_fds(fds_before, open_fds())
        if leaked:
            shown = ", ".join(f"{fd}->{target}" for fd, target in sorted(leaked.items()))
            found.append(f"descriptor(s) left open: {shown}")
        return found

    # A full collection costs tens of milliseconds: only pay it when something looks leaked,
    # to tell real leaks from garbage not yet collected.
    found = problems()
    if found:
        gc.collect()
        found = problems()
    if found:
        pytest.fail("leak check: " + "; ".join(found), pytrace=False)


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
