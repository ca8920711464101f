# Rewritten from Node v20 test/sequential/test-net-localport.js
"""``connect({localPort})`` binds the client's end to that port."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import closed_port

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-localport.js"), pytest.mark.anyio]


async def test_local_port_is_used(must_call: Any) -> None:
    local_port = closed_port()  # Node uses common.PORT: a port known to be free
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(sock: net.Socket) -> None:
                assert sock.remote_port == local_port
                sock.end()
                sock.on("close", lambda _had_error: server.close())

            def on_listening() -> None:
                def on_connect() -> None:
                    assert client.local_port == local_port

                client = net.connect(
                    {
                        "host": "127.0.0.1",
                        "port": server.address()["port"],  # type: ignore[index]
                        "localPort": local_port,
                    }
                ).on("connect", must_call(on_connect))

            server = net.create_server(must_call(on_connection))
            server.listen(0, "127.0.0.1").on("listening", must_call(on_listening))
