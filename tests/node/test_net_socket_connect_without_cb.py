# Rewritten from Node v20 test/parallel/test-net-socket-connect-without-cb.js
"""``Socket().connect(server.address())`` without a callback still emits ``'connect'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-connect-without-cb.js"), pytest.mark.anyio]


async def test_connect_without_callback_emits_connect(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(conn: net.Socket) -> None:
                conn.end()
                server.close()

            def on_listening() -> None:
                client = net.Socket()
                client.on("connect", must_call(lambda: client.end()))
                # Node's test listens on the wildcard address; loopback here.
                client.connect(server.address())

            server = net.create_server(must_call(on_connection))
            server.listen(0, "127.0.0.1", must_call(on_listening))
