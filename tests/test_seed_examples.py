"""Every TCP example of the seed document (shared/ruff-net.md), ported line by line.

The seed listens on 8124; the tests listen on port 0 (and read the port back) so that
parallel runs never collide. Timers of the seed (``setTimeout``) become async listeners.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of, wait_for

import anyio_net as net

pytestmark = pytest.mark.anyio


async def test_echo_server_example(capsys: pytest.CaptureFixture[str]) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():

            def connection_listener(c: net.Socket) -> None:  # 'connection' listener
                print("client connected")
                c.on("end", lambda: print("client disconnected"))
                c.write("hello\r\n")
                c.pipe(c)

            server = net.create_server(connection_listener)
            server.listen(0, lambda: print("server bound"))  # 'listening' listener
            await net.once(server, "listening")

            # telnet localhost 8124 — a client that says something and leaves
            client = net.connect(port_of(server), "localhost")
            got: list[bytes] = []
            client.on("data", got.append)
            client.end(b"typed\r\n")
            await net.once(client, "close")
            server.close()
    assert b"".join(got) == b"hello\r\ntyped\r\n"
    assert capsys.readouterr().out.splitlines() == [
        "server bound",
        "client connected",
        "client disconnected",
    ]


async def test_echo_client_example(capsys: pytest.CaptureFixture[str]) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.pipe(c))
            server.listen(0, LOCALHOST)
            await net.once(server, "listening")
            port = port_of(server)

            def connect_listener() -> None:  # 'connect' listener
                print("connected to server!")
                client.write("world!\r\n")

            client = net.connect({"port": port}, connect_listener)

            def on_data(data: bytes) -> None:
                print(data.decode())
                client.end()

            client.on("data", on_data)
            client.on("end", lambda: print("disconnected from server"))
            await net.once(client, "close")
            server.close()
    assert capsys.readouterr().out == (
        "connected to server!\nworld!\r\n\ndisconnected from server\n"
    )


async def test_eaddrinuse_retry_example(capsys: pytest.CaptureFixture[str]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            holder = net.create_server().listen(0, LOCALHOST)
            port, host = port_of(holder), LOCALHOST
            server = net.create_server()

            async def on_error(e: Any) -> None:
                if e.code == "EADDRINUSE":
                    print("Address in use, retrying...")
                    await anyio.sleep(0.1)  # the seed's setTimeout(..., 1000), shortened
                    server.close()
                    server.listen(port, host)

            server.on("error", on_error)
            server.listen(port, host)
            await wait_for(server, "error")
            holder.close()  # the other server goes away: the retry succeeds
            await net.once(server, "listening")
            assert server.address()["port"] == port
            server.close()
    assert capsys.readouterr().out.splitlines() == ["Address in use, retrying..."]


async def test_address_example(capsys: pytest.CaptureFixture[str]) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda socket: socket.end("goodbye\n"))

            # grab a random port.
            def on_listening() -> None:
                address = server.address()
                print(f"opened server on {address}")

            server.listen(on_listening)
            await net.once(server, "listening")
            client = net.connect(port_of(server), LOCALHOST)
            client.set_encoding("utf8")
            got: list[str] = []
            client.on("data", got.append)
            await net.once(client, "end")
            server.close()
    assert "".join(got) == "goodbye\n"
    out = capsys.readouterr().out
    assert out.startswith("opened server on {'address': '::', 'family': 'IPv6', 'port': ")


async def test_listen_options_example_host_localhost() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.listen({"host": "localhost", "port": 0})
            await net.once(server, "listening")
            assert server.address()["address"] in ("127.0.0.1", "::1")
            server.close()


async def test_unix_echo_server_example(tmp_path: Any) -> None:
    import tempfile

    path = tempfile.mktemp(prefix="echo-", suffix=".sock", dir="/tmp")  # short sun_path
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: (c.write("hello\r\n"), c.pipe(c)))
            server.listen(path, lambda: print("server bound"))
            await net.once(server, "listening")
            assert server.address() == path
            # nc -U /tmp/echo.sock
            client = net.connect(path)
            got: list[bytes] = []
            client.on("data", got.append)
            client.end(b"unix\r\n")
            await net.once(client, "close")
            server.close()
    assert b"".join(got) == b"hello\r\nunix\r\n"
