# Rewritten from Node v20 test/parallel/test-net-socket-connecting.js
"""``connecting`` is True right after ``connect()`` and False in the connect callback."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-connecting.js"), pytest.mark.anyio]

# Left out: the legacy ``_connecting`` getter (a private JS alias of ``connecting``).


async def test_connecting_flag(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(conn: net.Socket) -> None:
                conn.end()
                server.close()

            def on_listening() -> None:
                def on_connect() -> None:
                    assert client.connecting is False
                    client.end()

                client = net.connect(server.address()["port"], must_call(on_connect))  # type: ignore[index]
                assert client.connecting is True

            server = net.create_server(on_connection)
            server.listen(0, "127.0.0.1", must_call(on_listening))
