"""Server over TCP: listen forms, address, close, errors, max_connections, ref/unref."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, Waiter, port_of

import anyio_net as net

pytestmark = pytest.mark.anyio


async def test_listening_is_emitted_after_listen_returns(must_call: Any) -> None:
    order: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.on("listening", must_call(lambda: order.append("listening")))
            server.listen(0, LOCALHOST)
            order.append("returned")
            # Node binds at once for a port: address() and listening are valid already.
            assert server.listening
            assert server.address()["address"] == LOCALHOST
            await net.once(server, "listening")
            server.close()
    assert order == ["returned", "listening"]


@pytest.mark.parametrize(
    "args",
    [(), (None,), (0,), ("0",), ({"port": 0},), ({"port": None},)],
    ids=["none", "None", "0", "'0'", "{port:0}", "{port:None}"],
)
async def test_every_listen_form_without_host_is_dual_stack(args: tuple[Any, ...]) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(*args)
            await net.once(server, "listening")
            address = server.address()
            assert address["address"] in ("::", "0.0.0.0")
            assert address["family"] == ("IPv6" if address["address"] == "::" else "IPv4")
            assert address["port"] > 0
            # a dual-stack listener takes IPv4 clients too
            client = net.connect(address["port"], LOCALHOST)
            await net.once(client, "connect")
            client.destroy()
            server.close()


async def test_listen_forms_with_callback_keyword_and_backlog(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            a = net.create_server().listen(0, LOCALHOST, 10, must_call())
            b = net.create_server().listen(port=0, host=LOCALHOST, backlog=5, callback=must_call())
            c = net.create_server().listen({"port": 0, "host": LOCALHOST}, must_call())
            d = net.create_server().listen(must_call())
            for server in (a, b, c, d):
                if not server.listening or server.listeners("listening"):
                    await net.once(server, "listening")
            for server in (a, b, c, d):
                server.close()


async def test_listen_host_name_binds_after_lookup(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, "localhost", must_call())
            assert server.address() is None  # the lookup has not finished
            await net.once(server, "listening")
            assert server.address()["address"] in ("127.0.0.1", "::1")
            server.close()


async def test_close_before_lookup_finishes_emits_no_listening(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.on("listening", must_call(None, 0))
            server.listen(0, "localhost").close()


async def test_bad_ports_raise_at_the_call() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            for port in (-1, 65536, 1.5, float("nan"), float("inf"), "abc1"):
                server = net.create_server()
                with pytest.raises(ValueError) as info:
                    server.listen({"port": port})
                assert info.value.code == "ERR_SOCKET_BAD_PORT"
            with pytest.raises(TypeError) as type_info:
                net.create_server().listen({"host": "x"})
            assert type_info.value.code == "ERR_INVALID_ARG_VALUE"
            with pytest.raises(TypeError) as opt_info:
                net.create_server("path")  # type: ignore[arg-type]
            assert opt_info.value.code == "ERR_INVALID_ARG_TYPE"


async def test_listen_twice_raises_already_listen() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server().listen(0, LOCALHOST)
            with pytest.raises(RuntimeError) as info:
                server.listen(0, LOCALHOST)
            assert info.value.code == "ERR_SERVER_ALREADY_LISTEN"
            server.close()


async def test_eaddrinuse_is_an_error_event_and_the_server_can_listen_again(
    must_call: Any,
) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            first = net.create_server().listen(0, LOCALHOST)
            port = port_of(first)
            second = net.create_server()
            never = must_call(None, 0)
            second.on("listening", never)
            second.listen(port, LOCALHOST)
            (err,) = await net.once(second, "error")
            assert isinstance(err, net.NetError)
            assert isinstance(err, OSError)
            assert err.code == "EADDRINUSE"
            assert err.syscall == "listen"
            assert err.address == LOCALHOST
            assert err.port == port
            assert str(err).startswith("listen EADDRINUSE")
            assert not second.listening
            second.off("listening", never)
            second.listen(0, LOCALHOST)
            await net.once(second, "listening")
            first.close()
            second.close()


async def test_eacces_on_a_privileged_port_or_eaddrnotavail(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            errors: list[Any] = []
            got = anyio.Event()
            server.on("error", lambda e: (errors.append(e), got.set()))
            server.listen(1, "1.1.1.1")  # an address this host does not own
            await got.wait()
            assert errors[0].code in ("EADDRNOTAVAIL", "EACCES")
            assert errors[0].syscall == "listen"


async def test_close_waits_for_connections_then_emits_close_once(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            accepted: list[net.Socket] = []
            server = net.create_server(accepted.append)
            server.listen(0, LOCALHOST)
            clients = [net.connect(port_of(server), LOCALHOST) for _ in range(2)]
            for c in clients:
                if c.connecting:
                    await net.once(c, "connect")
            while len(accepted) < 2:
                await net.once(server, "connection")
            server.on("close", must_call())
            for c in clients:
                c.on("close", must_call(lambda had_error: None))
            server.close(must_call(lambda err=None: None))
            assert not server.listening
            assert server.connections == 2
            for c in clients:
                c.destroy()


async def test_close_when_not_listening_gives_err_server_not_running(must_call: Any) -> None:
    results: list[Any] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.close(must_call(results.append))
    assert results[0].code == "ERR_SERVER_NOT_RUNNING"


async def test_get_connections_and_connections(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            (conn,) = await net.once(server, "connection")
            counts: list[Any] = []
            done = anyio.Event()
            server.get_connections(must_call(lambda err, n: (counts.append((err, n)), done.set())))
            await done.wait()
            assert counts == [(None, 1)]
            assert server.connections == 1
            client.destroy()
            conn.destroy()
            server.close()


async def test_max_connections_drops_with_info(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.resume())
            server.max_connections = 1
            server.listen(0, LOCALHOST)
            port = port_of(server)
            first = net.connect(port, LOCALHOST)
            await net.once(server, "connection")
            dropped = Waiter(server, "drop")
            second = net.connect(port, LOCALHOST)
            second.resume()
            second.on("error", lambda e: None)
            # The drop may come before the client's 'connect' is seen: compare once both are.
            await net.once(second, "connect")
            (info,) = await dropped.wait()
            assert info["localPort"] == port
            assert info["remoteAddress"] == LOCALHOST
            assert info["remotePort"] == second.local_port
            assert info["remoteFamily"] == "IPv4"
            if not second.destroyed:
                await net.once(second, "close")
            first.destroy()
            server.close()


async def test_no_delay_and_keep_alive_apply_to_accepted_sockets() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(
                {"noDelay": True, "keepAlive": True, "keepAliveInitialDelay": 3000}
            )
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            connected = Waiter(client, "connect")
            (conn,) = await net.once(server, "connection")
            await connected.wait()
            raw = conn._transport.raw
            assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            assert raw.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
            assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 3
            # Node's default: Nagle stays on for the client.
            assert not client._transport.raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            client.destroy()
            conn.destroy()
            server.close()


async def test_pause_on_connect_reads_nothing_until_resume(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server({"pauseOnConnect": True})
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.write(b"x" * 100)
            (conn,) = await net.once(server, "connection")
            chunks: list[bytes] = []
            conn.on("data", chunks.append)
            for _ in range(20):
                await anyio.lowlevel.checkpoint()
            assert conn.bytes_read == 0
            assert chunks == []
            conn.resume()
            await net.once(conn, "data")
            assert b"".join(chunks) == b"x" * 100
            client.destroy()
            conn.destroy()
            server.close()


async def test_unref_server_does_not_keep_the_runtime_alive() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.unref()  # before listen: Node keeps it unref'd
            server.listen(0, LOCALHOST)
    assert True  # the runtime returned: that is the assertion


async def test_server_as_async_context_manager_closes(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            async with net.create_server().listen(0, LOCALHOST) as server:
                server.on("close", must_call())
                assert server.listening
            assert not server.listening


async def test_allow_half_open_server_keeps_writing_after_client_end() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():

            def on_connection(c: net.Socket) -> None:
                c.resume()
                c.on("end", lambda: c.end(b"late reply"))

            server = net.create_server({"allowHalfOpen": True}, on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(
                {"port": port_of(server), "host": LOCALHOST, "allowHalfOpen": True}
            )
            chunks: list[bytes] = []
            client.on("data", chunks.append)
            client.end(b"bye")
            await net.once(client, "end")
            assert b"".join(chunks) == b"late reply"
            await net.once(client, "close")
            server.close()


EACCES_SCRIPT = r"""
import os, sys
import anyio_net as net
import anyio, asyncio, selectors, socket  # imported while the files are still readable
import anyio._backends._asyncio, anyio._backends._trio, anyio._core._sockets, trio

if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)  # nobody: ports below 1024 are privileged again


def main():
    server = net.create_server()
    server.on("error", lambda err: print(err.code, err.syscall, err.address, err.port, err))
    server.listen(80, "127.0.0.1")


net.run(main, backend=sys.argv[1])
"""


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_eacces_on_a_privileged_port_is_an_error_event(backend: str) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", EACCES_SCRIPT, backend],
        capture_output=True,
        text=True,
        timeout=30,
        env={**__import__("os").environ, "PYTHONPATH": __import__("os").pathsep.join(sys.path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "EACCES listen 127.0.0.1 80 listen EACCES: permission denied 127.0.0.1:80"
    )


def test_accepted_sockets_get_the_options_parsing_would_give() -> None:
    # Accepted sockets skip option parsing with configs made once: they must stay equal.
    from anyio_net._options import parse_socket_options
    from anyio_net._socket import _ACCEPTED_CONFIGS

    for half_open in (False, True):
        parsed = parse_socket_options(None, {"allowHalfOpen": half_open})
        assert _ACCEPTED_CONFIGS[half_open] == parsed
