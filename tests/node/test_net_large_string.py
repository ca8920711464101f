# Rewritten from Node v20 test/parallel/test-net-large-string.js
"""A large string of 3-byte characters arrives whole with ``setEncoding('UTF-8')``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-large-string.js"), pytest.mark.anyio]

K_POOL_SIZE = 40 * 1024
DATA = "あ" * K_POOL_SIZE
ENCODING = "UTF-8"


async def test_large_multibyte_string(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                received = {"size": 0}
                sock.set_encoding(ENCODING)

                def on_data(data: str) -> None:
                    received["size"] += len(data)

                def on_end() -> None:
                    assert received["size"] == K_POOL_SIZE
                    sock.end()

                sock.on("data", on_data)
                sock.on("end", must_call(on_end))

            server = net.create_server(must_call(on_connection))

            def on_listening() -> None:
                client = net.create_connection(server.address()["port"])  # type: ignore[index]
                client.on("end", lambda: server.close())
                client.write(DATA, ENCODING)
                client.end()

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", on_listening)
