# Rewritten from Node v20 test/parallel/test-net-socket-ready-without-cb.js
"""``'ready'`` is emitted after a connect without a callback."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-ready-without-cb.js"), pytest.mark.anyio]


async def test_ready_without_callback(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(conn: net.Socket) -> None:
                conn.end()
                server.close()

            def on_listening() -> None:
                client = net.Socket()
                client.on("ready", must_call(lambda: client.end()))
                client.connect(server.address())

            server = net.create_server(must_call(on_connection))
            server.listen(0, "localhost", must_call(on_listening))
