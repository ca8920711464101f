# Rewritten from Node v20 test/parallel/test-net-buffersize.js
"""``bufferSize`` grows by one per 1-byte write while connecting and is 0 at ``'finish'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-buffersize.js"), pytest.mark.anyio]

ITER = 10


async def test_buffer_size_while_connecting(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(sock: net.Socket) -> None:
                sock.on("readable", lambda: sock.read())
                sock.on("end", lambda: server.close())

            server = net.create_server(on_connection)

            def on_listening() -> None:
                client = net.connect(server.address()["port"])  # type: ignore[index]

                def on_finish() -> None:
                    assert client.buffer_size == 0

                client.on("finish", must_call(on_finish))
                for i in range(1, ITER):
                    client.write("a")
                    assert client.buffer_size == i
                client.end()

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
