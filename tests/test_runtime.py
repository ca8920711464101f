"""The runtime: Node's process lifetime, ref/unref, async listeners, exceptions, cancellation."""

from __future__ import annotations

import os

import anyio
import anyio.lowlevel
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net
from anyio_net import _runtime

pytestmark = pytest.mark.anyio


def test_creating_a_handle_outside_a_runtime_says_what_to_do() -> None:
    for make in (net.create_server, net.Socket, lambda: net.connect(80)):
        with pytest.raises(RuntimeError, match=r"anyio_net\.run\(main\)|open_runtime"):
            make()


def test_run_with_a_plain_main_returns_when_no_handle_is_left(backend_name: str) -> None:
    backend = "trio" if backend_name == "trio" else "asyncio"
    options = {"use_uvloop": True} if backend_name == "asyncio+uvloop" else None
    events: list[str] = []

    def main() -> None:
        def on_connection(c: net.Socket) -> None:
            c.on("end", lambda: events.append("server end"))
            c.write("hello\r\n")
            c.pipe(c)

        server = net.create_server(on_connection)

        def on_listening() -> None:
            client = net.connect(port_of(server), LOCALHOST)
            client.on("data", lambda d: events.append(f"data {bytes(d)!r}"))
            client.on("close", lambda: server.close())
            client.end(b"x")

        server.listen(0, LOCALHOST, on_listening)

    result = net.run(main, backend=backend, backend_options=options)
    assert result is None
    assert events[0].startswith("data b'hello")
    assert "server end" in events


def test_run_with_an_async_main_returns_its_result(backend_name: str) -> None:
    backend = "trio" if backend_name == "trio" else "asyncio"

    async def main(x: int) -> int:
        await anyio.lowlevel.checkpoint()
        return x * 2

    assert net.run(main, 21, backend=backend) == 42


async def test_open_runtime_waits_for_referenced_handles() -> None:
    order: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, LOCALHOST)

            async def close_later() -> None:
                await anyio.sleep(0.05)
                order.append("closing")
                server.close()

            server.on("listening", close_later)
        order.append("left")
    assert order == ["closing", "left"]


async def test_unref_then_ref_keeps_it_referenced() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.unref()
            server.ref()
            server.listen(0, LOCALHOST)
            server.on("listening", lambda: server.close())


async def test_unrefd_handles_are_destroyed_when_the_runtime_ends() -> None:
    fds_before = len(os.listdir("/proc/self/fd"))
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.unref())
            server.listen(0, LOCALHOST).unref()
            client = net.connect(port_of(server), LOCALHOST)
            client.unref()
            await net.once(server, "connection")
    assert len(os.listdir("/proc/self/fd")) <= fds_before


async def test_what_a_held_callback_queues_runs_in_order_as_it_is_released() -> None:
    # An I/O callback (a received chunk's listeners) drains the soon queue as it returns,
    # as Node runs its nextTick queue after each callback: no task switch in between.
    ran: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime() as runtime:
            runtime.call_soon(ran.append, "before")  # queued outside: runs first all the same
            mark = runtime.hold()
            assert mark >= 0
            assert runtime.hold() == -1  # a nested hold leaves the draining to the outer one
            runtime.call_soon(ran.append, "one")
            runtime.call_soon(lambda: runtime.call_soon(ran.append, "queued by two"))
            runtime.call_soon(ran.append, "three")
            assert ran == []
            runtime.release(mark)
            assert ran == ["before", "one", "three", "queued by two"]
            again = runtime.hold()  # released: the next callback holds again
            assert again >= 0
            runtime.release(again)


async def test_a_held_callback_that_queues_nothing_leaves_the_queue_to_the_drainer() -> None:
    ran: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime() as runtime:
            drained = anyio.Event()
            runtime.call_soon(ran.append, "before")
            runtime.call_soon(drained.set)
            runtime.release(runtime.hold())
            assert ran == []  # the drainer, already woken, runs the batch
            await drained.wait()
            assert ran == ["before"]


async def test_an_error_raised_by_what_a_held_callback_queued_ends_the_run() -> None:
    def fail() -> None:
        raise ValueError("deferred")

    with pytest.raises(ValueError, match="deferred"):
        with anyio.fail_after(5):
            async with net.open_runtime() as runtime:
                mark = runtime.hold()
                runtime.call_soon(fail)
                runtime.release(mark)
                assert isinstance(runtime._failure, ValueError)  # ran in release(), not later
                await anyio.sleep_forever()  # cancelled by the failure


async def test_a_held_callback_that_raises_runs_nothing_more_and_its_error_wins() -> None:
    # Node never runs the next tick after an uncaught exception: what the listener queued
    # before it raised is left to the drainer, and the listener's own error is the run's.
    ran: list[str] = []

    def deferred() -> None:
        ran.append("deferred")
        raise ZeroDivisionError("deferred")

    def listener() -> None:
        runtime.call_soon(deferred)
        raise ValueError("listener")

    with pytest.raises(ValueError, match="listener"):
        with anyio.fail_after(5):
            async with net.open_runtime() as runtime:
                try:
                    runtime.run_held(listener)
                except ValueError as exc:
                    assert ran == []
                    runtime.fail(exc)  # as a socket's reading task or callback does
                mark = runtime.hold()
                assert mark >= 0  # the hold was let go
                runtime.release(mark)
                await anyio.sleep_forever()  # cancelled by the failure


async def test_sync_listener_exception_propagates_after_every_handle_closed() -> None:
    with anyio.fail_after(5), pytest.raises(ZeroDivisionError):
        async with net.open_runtime():

            def on_connection(c: net.Socket) -> None:
                c.on("data", lambda d: 1 / 0)

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.write(b"trigger")
            await anyio.sleep_forever()


async def test_async_listener_runs_in_the_handle_group_and_its_error_propagates() -> None:
    with anyio.fail_after(5), pytest.raises(KeyError):
        async with net.open_runtime():

            async def on_connection(c: net.Socket) -> None:
                await anyio.lowlevel.checkpoint()
                raise KeyError("async")

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            net.connect(port_of(server), LOCALHOST)


async def test_async_listener_keeps_the_runtime_alive() -> None:
    done: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            emitter = net.EventEmitter()

            async def slow() -> None:
                await anyio.sleep(0.05)
                done.append("slow")

            emitter.on("go", slow)
            emitter.emit("go")
    assert done == ["slow"]


async def test_body_exception_destroys_every_handle() -> None:
    with anyio.fail_after(5), pytest.raises(LookupError):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            raise LookupError("body")


async def test_cancellation_closes_every_descriptor() -> None:
    with anyio.fail_after(5):
        with anyio.move_on_after(0.2) as scope:
            async with net.open_runtime():
                server = net.create_server(lambda c: c.pipe(c))
                server.listen(0, LOCALHOST)
                client = net.connect(port_of(server), LOCALHOST)
                client.on("data", lambda d: client.write(d))
                client.write(b"ping")
        assert scope.cancelled_caught


@pytest.mark.parametrize("where", ["server data", "client data", "async listener"])
@pytest.mark.parametrize("exit_exc", [SystemExit(3), KeyboardInterrupt()], ids=["exit", "ki"])
def test_sys_exit_or_ctrl_c_in_a_listener_leaves_run_unwrapped(
    backend_name: str, where: str, exit_exc: BaseException
) -> None:
    # Node's process.exit() in a listener ends the program; sys.exit() (or a Ctrl-C landing
    # in a listener) closes every handle and comes out of run() as itself, not wrapped in an
    # ExceptionGroup (which would lose the exit status).
    backend = "trio" if backend_name == "trio" else "asyncio"
    options = {"use_uvloop": True} if backend_name == "asyncio+uvloop" else None

    def raise_it(*_: object) -> None:
        raise exit_exc

    def main() -> None:
        if where == "server data":  # asyncio: raised in the event loop's reader callback
            server = net.create_server(lambda c: c.on("data", raise_it))
        else:
            server = net.create_server(lambda c: c.end(b"bye"))

        def on_listening() -> None:
            client = net.connect(port_of(server), LOCALHOST)
            if where == "client data":
                client.on("data", raise_it)
            elif where == "async listener":

                async def later(_: object) -> None:
                    await anyio.lowlevel.checkpoint()
                    raise exit_exc

                client.on("data", later)
            client.write(b"x")

        server.listen(0, LOCALHOST, on_listening)

    fds_before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(type(exit_exc)) as raised:
        net.run(main, backend=backend, backend_options=options)
    assert raised.value is exit_exc
    assert len(os.listdir("/proc/self/fd")) <= fds_before


def test_sys_exit_after_an_uncaught_error_decides_how_run_ends(backend_name: str) -> None:
    backend = "trio" if backend_name == "trio" else "asyncio"

    def raise_it(exc: BaseException) -> None:
        raise exc

    def main() -> None:
        runtime = _runtime.current_runtime()
        runtime.call_soon(raise_it, ValueError("first"))
        runtime.call_soon(raise_it, SystemExit(5))

    with pytest.raises(SystemExit) as raised:
        net.run(main, backend=backend)
    assert raised.value.code == 5
