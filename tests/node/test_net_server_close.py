# Rewritten from Node v20 test/parallel/test-net-server-close.js
"""close() with two open sockets, then destroying them: one server 'close', two socket
'close's."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-close.js"), pytest.mark.anyio]

HOST = "127.0.0.1"


async def test_close_with_open_sockets(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            sockets: list[net.Socket] = []
            server: net.Server

            def on_connection(c: net.Socket) -> None:
                c.on("close", must_call(lambda had_error: None))
                sockets.append(c)
                if len(sockets) == 2:
                    assert server.close() is server
                    for s in sockets:
                        s.destroy()

            server = net.create_server(on_connection)
            server.on("close", must_call())

            def on_listening() -> None:
                port = server.address()["port"]  # type: ignore[index]
                net.create_connection(port, HOST)
                net.create_connection(port, HOST)

            assert server.listen(0, HOST, on_listening) is server
