# Rewritten from Node v20 test/parallel/test-net-pingpong.js
"""1000 PING/PONG round trips over a Unix socket, TCP and ``::1``; flags through half-close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from tests.helpers import has_ipv6

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-pingpong.js"), pytest.mark.anyio]

N = 1000


def ping_pong_test(must_call: Any, port: int | str, host: str | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {"count": 0, "sent_pongs": 0, "sent_final_ping": False}

    def on_socket(sock: net.Socket) -> None:
        assert sock.server is server

        def on_connections(err: Any, connections: int) -> None:
            assert err is None  # common.mustSucceed
            assert connections == 1

        assert server.get_connections(must_call(on_connections)) is server

        sock.set_no_delay()
        sock.timeout = 0
        sock.set_encoding("utf8")

        def on_data(data: str) -> None:
            # We never queue data (a PONG is sent only after a PING arrived), so the
            # write queue always holds less than one message.
            assert 0 <= sock.buffer_size <= 4
            assert sock.writable is True
            assert sock.readable is True
            assert state["count"] <= N
            assert data == "PING"

            def on_written(*_args: Any) -> None:
                state["sent_pongs"] += 1

            sock.write("PONG", must_call(on_written))

        def on_end() -> None:
            assert sock.allow_half_open is True
            assert sock.writable is True  # Because allowHalfOpen
            assert sock.readable is False
            sock.end()

        def on_close(_had_error: bool) -> None:
            assert sock.writable is False
            assert sock.readable is False
            sock.server.close()

        sock.on("data", must_call(on_data, N + 1))
        sock.on("end", must_call(on_end))
        sock.on("error", must_call(None, 0))
        sock.on("close", must_call(on_close))

    server = net.create_server({"allowHalfOpen": True}, must_call(on_socket))

    def on_listening() -> None:
        address = server.address()
        target: int | str = address["port"] if isinstance(address, dict) else port
        client = (
            net.create_connection(target, host)
            if host is not None
            else net.create_connection(target)
        )
        client.set_encoding("ascii")

        def on_connect() -> None:
            assert client.readable is True
            assert client.writable is True
            client.write("PING")

        def on_data(data: str) -> None:
            assert data == "PONG"
            state["count"] += 1
            if state["sent_final_ping"]:
                assert client.writable is False
                assert client.readable is True
                return
            assert client.writable is True
            assert client.readable is True
            if state["count"] < N:
                client.write("PING")
            else:
                state["sent_final_ping"] = True
                client.write("PING")
                client.end()

        def on_close(_had_error: bool) -> None:
            assert state["count"] == N + 1
            assert state["sent_pongs"] == N + 1
            assert state["sent_final_ping"] is True

        client.on("connect", must_call(on_connect))
        client.on("data", must_call(on_data, N + 1))
        client.on("close", must_call(on_close))
        client.on("error", must_call(None, 0))

    if host is None:
        server.listen(port, must_call(on_listening))
    else:
        server.listen(port, host, must_call(on_listening))
    return state


async def test_ping_pong(tmp_path: Path, must_call: Any) -> None:
    # All run at once, so on different ports. Node's second server listens on the wildcard
    # address; loopback here.
    with anyio.fail_after(60):
        async with net.open_runtime():
            states = [
                ping_pong_test(must_call, str(tmp_path / "pingpong.sock")),
                ping_pong_test(must_call, 0, "127.0.0.1"),
                ping_pong_test(must_call, 0, "::1" if has_ipv6() else "127.0.0.1"),
            ]
    for state in states:
        assert state["count"] == N + 1
