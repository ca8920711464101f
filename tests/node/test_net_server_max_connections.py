# Rewritten from Node v20 test/parallel/test-net-server-max-connections.js
"""With ``max_connections = 10``, of 20 connections the first 10 get data and the last 10
are closed without data (and close first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-max-connections.js"), pytest.mark.anyio]

N = 20


async def test_connections_past_the_limit_are_closed(must_call: Any) -> None:
    closes = 0
    waits: list[Callable[[], object]] = []
    errors: list[BaseException] = []
    with anyio.fail_after(20):
        async with net.open_runtime():

            def on_connection(connection: net.Socket) -> None:
                connection.write("hello")
                waits.append(lambda: connection.end())

            server = net.create_server(must_call(on_connection, N // 2))

            def make_connection(index: int) -> None:
                c = net.create_connection(server.address()["port"], "127.0.0.1")  # type: ignore[index]
                got_data = False

                def on_close(had_error: bool) -> None:
                    nonlocal closes
                    closes += 1
                    if closes < N // 2:
                        assert server.max_connections is not None
                        assert server.max_connections <= index, (
                            f"{index} should not have been one of the first closed connections"
                        )
                    if closes == N // 2:
                        while waits:
                            waits.pop(0)()
                        server.close()
                    if index < (server.max_connections or 0):
                        assert got_data, f"{index} didn't get data, but should have"
                    else:
                        assert not got_data, f"{index} got data, but shouldn't have"

                def on_connect() -> None:
                    if index + 1 < N:
                        make_connection(index + 1)
                    c.on("close", on_close)

                def on_data(b: bytes) -> None:
                    nonlocal got_data
                    got_data = True
                    assert len(b) > 0

                c.on("connect", on_connect)
                c.on("end", lambda: c.end())
                c.on("data", on_data)
                c.on("error", errors.append)

            server.listen(0, "127.0.0.1", lambda: make_connection(0))
            server.max_connections = N // 2
    assert closes == N
    assert errors == []
