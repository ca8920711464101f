"""Cancelling the scope around ``open_runtime()`` at any point of a scripted exchange closes
every descriptor, never hangs, and raises the backend's own cancellation exception (alone,
not in a group), which the cancelled scope then absorbs.

Hypothesis picks the point (the k-th step the exchange reaches: inside a sync listener, an
async listener or the body) and the way: ``scope.cancel()`` right there, a deadline that has
just passed, or another task cancelling a moment later.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import open_fds
from tests.helpers import LOCALHOST, Waiter, port_of

import anyio_net as net
from anyio_net import _runtime

pytestmark = pytest.mark.anyio

MODES = ("inline", "deadline", "external")
BIG = b"b" * (1 << 20)  # queued behind a reader that is slower than the writer


class Script:
    """The exchange, counting the points it reaches and cancelling at the chosen one."""

    def __init__(self, cancel_at: int, mode: str, scope: anyio.CancelScope) -> None:
        self.cancel_at = cancel_at
        self.mode = mode
        self.scope = scope
        self.reached: list[str] = []
        self.trigger = anyio.Event()

    def point(self, name: str) -> None:
        self.reached.append(name)
        if len(self.reached) - 1 != self.cancel_at:
            return
        if self.mode == "inline":
            self.scope.cancel()
        elif self.mode == "deadline":
            self.scope.deadline = anyio.current_time()
        else:
            self.trigger.set()  # the canceller task wakes up and cancels

    async def canceller(self) -> None:
        await self.trigger.wait()
        self.scope.cancel()

    async def run(self) -> None:
        point = self.point
        async with net.open_runtime():
            point("body")
            # A server on a name binds after a lookup, so it can be cancelled mid-lookup.
            named = net.create_server()
            named.on("listening", lambda: (point("named listening"), named.close()))
            named.listen(0, "localhost")
            named_closed = Waiter(named, "close")

            def on_connection(conn: net.Socket) -> None:
                point("connection")
                conn.once("data", lambda chunk: point("server data"))
                conn.on("data", conn.write)  # echo
                conn.on("end", lambda: point("server end"))
                conn.on("close", lambda had_error: point("server socket close"))

            server = net.create_server(on_connection)
            server.on("listening", lambda: point("listening"))
            server.listen(0, LOCALHOST)
            port = port_of(server)
            closed = [0]

            def client_closed(had_error: bool) -> None:
                point("client close")
                closed[0] += 1
                if closed[0] == 2:
                    server.close()

            # A small ping-pong over a looked-up name, with an async listener.
            small = net.connect(port, "localhost")
            small.on("lookup", lambda *args: point("lookup"))
            small.on("connect", lambda: (point("connect"), small.write(b"hello")))

            async def on_small_data(chunk: bytes) -> None:
                point("client data (async listener)")
                await anyio.lowlevel.checkpoint()
                point("after a checkpoint in the async listener")
                small.end()

            small.on("data", on_small_data)
            small.on("finish", lambda: point("finish"))
            small.on("close", client_closed)
            # A bulk sender whose queued writes keep its writer task busy.
            bulk = net.connect(port, LOCALHOST)
            bulk.on("connect", lambda: (point("bulk connect"), bulk.end(BIG)))
            bulk.on("data", lambda chunk: None)
            bulk.on("end", lambda: point("bulk end"))
            bulk.on("close", client_closed)
            server.on("close", lambda: point("server close"))
            await net.once(server, "close")
            await named_closed.wait()
            point("body after server close")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cancel_at=st.integers(min_value=0, max_value=30), mode=st.sampled_from(MODES))
async def test_cancelling_around_open_runtime_at_any_point(cancel_at: int, mode: str) -> None:
    fds_before = open_fds()
    raised: list[BaseException] = []
    with anyio.fail_after(15):  # never hangs
        async with anyio.create_task_group() as tg:
            with anyio.CancelScope() as scope:
                script = Script(cancel_at, mode, scope)
                tg.start_soon(script.canceller)
                try:
                    await script.run()
                except BaseException as exc:
                    raised.append(exc)
                    raise
            tg.cancel_scope.cancel()  # the canceller, if it never fired
    reached = len(script.reached)
    if cancel_at < reached:
        assert scope.cancelled_caught, script.reached
        assert len(raised) == 1
        assert type(raised[0]) is anyio.get_cancelled_exc_class(), repr(raised[0])
    else:  # the exchange finished before the chosen point
        assert raised == []
        assert script.reached[-1] == "body after server close"
    assert open_fds() == fds_before, script.reached
    assert _runtime.live_tasks() == 0
    assert _runtime.live_runtimes() == 0
    assert _runtime.live_handles() == []


async def test_the_script_reaches_every_point_when_left_alone() -> None:
    with anyio.fail_after(10):
        with anyio.CancelScope() as scope:
            script = Script(10**6, "inline", scope)
            await script.run()
    assert not scope.cancel_called
    names = set(script.reached)
    assert {
        "body",
        "named listening",
        "listening",
        "lookup",
        "connect",
        "connection",
        "server data",
        "client data (async listener)",
        "after a checkpoint in the async listener",
        "bulk connect",
        "server end",
        "client close",
        "server close",
        "body after server close",
    } <= names
    # Enough points that the strategy's range covers the whole exchange and beyond.
    assert 15 <= len(script.reached) <= 30


@pytest.mark.parametrize("mode", MODES)
async def test_cancelling_inside_a_listener_before_any_socket_connects(
    mode: str, anyio_backend: Any
) -> None:
    fds_before = open_fds()
    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            with anyio.CancelScope() as scope:
                script = Script(0, mode, scope)
                tg.start_soon(script.canceller)
                await script.run()
            tg.cancel_scope.cancel()
    assert scope.cancelled_caught
    assert script.reached[0] == "body"
    assert open_fds() == fds_before


@pytest.mark.parametrize("state", ["reading", "writer blocked", "done reading"])
async def test_cancelling_closes_accepted_sockets_that_have_no_task(state: str) -> None:
    # Accepted sockets run without a task of their own where they can (reading in loop
    # callbacks on asyncio; done reading on any backend); the server's group closes them
    # when it is cancelled, and a blocked writer task closes its socket as it goes.
    fds_before = open_fds()
    with anyio.fail_after(10):
        with anyio.CancelScope() as scope:
            async with net.open_runtime():
                reached = anyio.Event()

                def ready(*_args: Any) -> None:
                    reached.set()

                def on_connection(c: net.Socket) -> None:
                    c.on("error", lambda _err: None)
                    if state == "writer blocked":
                        while c.write(BIG):  # the client never reads: the writer task waits
                            pass
                        ready()
                    elif state == "done reading":
                        c.on("end", ready)  # the write side stays open: allowHalfOpen
                        c.resume()
                    else:
                        c.on("data", ready)

                server = net.create_server({"allowHalfOpen": True}, on_connection)
                server.listen(0, LOCALHOST)
                client = net.connect(port_of(server), LOCALHOST)
                client.pause()
                client.write(b"x")
                if state == "done reading":
                    client.end()
                await reached.wait()
                scope.cancel()
    assert scope.cancelled_caught
    assert open_fds() == fds_before, state
    assert _runtime.live_tasks() == 0
    assert _runtime.live_handles() == []
