# Rewritten from Node v20 test/parallel/test-net-write-connect-write.js
"""Data written before and after ``'connect'`` arrives in order."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-write-connect-write.js"), pytest.mark.anyio]


async def test_write_before_and_after_connect(must_call: Any) -> None:
    received: list[str] = []
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda sock: sock.pipe(sock))

            def on_listening() -> None:
                conn = net.connect(server.address()["port"])  # type: ignore[index]
                conn.set_encoding("utf8")
                conn.write("before")
                conn.on("connect", lambda: conn.write(" after"))

                def on_data(buf: str) -> None:
                    received.append(buf)
                    conn.end()

                def on_end() -> None:
                    server.close()
                    assert "".join(received) == "before after"

                conn.on("data", on_data)
                conn.on("end", must_call(on_end))

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
