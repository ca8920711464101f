"""How sockets read on each backend: on asyncio and uvloop, one epoll set per runtime that
the event loop watches (``_transport.Poller``); its life, and a socket destroyed by another
socket's listener while both were ready."""

from __future__ import annotations

import asyncio
import os
import socket

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of, wait_for

import anyio_net as net
from anyio_net import _transport

pytestmark = pytest.mark.anyio


async def test_the_runtime_owns_one_epoll_set_on_asyncio_and_closes_it(backend_name: str) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime() as runtime:
            server = net.create_server(lambda c: c.pipe(c))
            server.listen(0, LOCALHOST)
            clients = [net.connect(port_of(server), LOCALHOST) for _ in range(3)]
            for client in clients:
                client.write(b"ping")
                assert (await wait_for(client, "data"))[0] == b"ping"
            poller = runtime._poller
            polled = backend_name != "trio" and _transport.USE_LOOP_TRANSPORT
            if not polled:
                # Trio's own epoll (wait_readable), or ANYIO_NET_LOOP_TRANSPORT=0
                assert poller is False
            else:
                assert poller is not None
                epoll_fd = poller._fd
                os.fstat(epoll_fd)  # open
                # Three clients and three accepted sockets are registered, nothing else.
                assert len(poller._handlers) == 6
            for client in clients:
                client.destroy()
            server.close()
    if polled:
        assert poller._fd == -1
        with pytest.raises(OSError):
            os.fstat(epoll_fd)


async def test_a_socket_destroyed_by_another_ones_listener_in_the_same_round_gets_no_data(
    backend_name: str,
) -> None:
    # Both clients are readable at once (the server writes to both in one callback): the
    # first one's 'data' listener destroys the second, whose readiness was reported in the
    # same round. The second must see no 'data' after destroy(), and close normally.
    with anyio.fail_after(5):
        async with net.open_runtime():
            accepted: list[net.Socket] = []
            both_accepted = anyio.Event()

            def on_connection(sock: net.Socket) -> None:
                accepted.append(sock)
                if len(accepted) == 2:
                    both_accepted.set()

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            first = net.connect(port_of(server), LOCALHOST)
            second = net.connect(port_of(server), LOCALHOST)
            await both_accepted.wait()
            after_destroy: list[bytes] = []
            second.on("data", lambda d: after_destroy.append(d) if second.destroyed else None)
            closed = anyio.Event()
            second.on("close", lambda _had_error: closed.set())

            def on_first_data(_data: bytes) -> None:
                if not second.destroyed:
                    second.destroy()

            first.on("data", on_first_data)
            for sock in accepted:
                sock.write(b"both")
            await closed.wait()
            assert second.destroyed
            assert after_destroy == []
            first.destroy()
            server.close()


async def test_without_epoll_sockets_read_through_the_loops_add_reader(
    backend_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where select.epoll does not exist (macOS, BSD), the loop's add_reader takes the
    # sockets, and on uvloop a short read asks for a pending error (uvloop drops an error
    # event after reporting it once).
    monkeypatch.setattr(_transport, "_HAVE_EPOLL", False)
    with anyio.fail_after(5):
        async with net.open_runtime() as runtime:
            server = net.create_server(lambda c: c.pipe(c))
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.write(b"ping")
            assert (await wait_for(client, "data"))[0] == b"ping"
            poller = runtime._poller
            if backend_name == "trio" or not _transport.USE_LOOP_TRANSPORT:
                assert poller is False
            else:
                assert poller._ep is None
                assert poller._fd == -1
                assert poller.probe == (backend_name == "asyncio+uvloop")
            client.end()
            await wait_for(client, "close")
            server.close()


async def test_a_socket_reads_through_its_own_runtimes_set_whoever_connects_it(
    backend_name: str,
) -> None:
    # connect() called from another runtime's context (here a nested one that ends first):
    # the socket belongs to the runtime it was made in, and keeps reading after the other
    # one (and whatever it owned) is gone.
    with anyio.fail_after(5):
        async with net.open_runtime() as outer:
            server = net.create_server(lambda c: c.pipe(c))
            server.listen(0, LOCALHOST)
            client = net.Socket()
            async with net.open_runtime() as inner:
                client.connect(port_of(server), LOCALHOST)
                await wait_for(client, "connect")
                client.write(b"one")
                assert (await wait_for(client, "data"))[0] == b"one"
            assert inner._closed
            client.write(b"two")
            assert (await wait_for(client, "data"))[0] == b"two"
            transport = client._transport
            if isinstance(transport, _transport.LoopTransport):
                assert transport._poller is outer._poller
            client.destroy()
            server.close()


def test_the_epoll_set_removes_only_the_registration_it_is_asked_for() -> None:
    # A descriptor closed by someone else (the owner of a Socket({"fd": n})) may be reused
    # by another socket before the first one is destroyed: removing the first one's
    # registration must leave the new socket's alone. (The set is asyncio's: its own loop.)

    async def main() -> tuple[list[str], list[str], bool]:
        poller = _transport.Poller(asyncio.get_running_loop())
        left, right = socket.socketpair()
        calls: list[str] = []
        try:
            with left, right:
                read = asyncio.Event()

                def first() -> None:
                    calls.append("first")

                def second() -> None:
                    calls.append("second")
                    left.recv(16)
                    read.set()

                poller.add(left.fileno(), second)  # the newer socket's registration
                poller.remove(left.fileno(), first)  # the older one's: not there any more
                right.send(b"x")
                await asyncio.wait_for(read.wait(), 5)
                kept = left.fileno() in poller._handlers
                poller.remove(left.fileno(), second)
                return calls, list(poller._handlers), kept
        finally:
            poller.close()

    calls, left_over, kept = asyncio.run(main())
    assert calls == ["second"]
    assert kept
    assert left_over == []


async def test_a_read_of_a_socket_closed_under_it_is_a_reset() -> None:
    # Closed by its first owner between the wait and the read (the read then fails with
    # EBADF): reported as a reset, as when it is closed during the wait.
    left, right = socket.socketpair()
    with right:
        left.setblocking(False)
        transport = _transport.SocketTransport(left)
        transport.read_first()  # read before waiting, as after a wake-up
        left.close()
        with anyio.fail_after(5), pytest.raises(ConnectionResetError):
            await transport.receive()
