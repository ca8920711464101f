# Rewritten from Node v20 test/parallel/test-net-bytes-read.js
"""``bytesRead`` rises with every chunk and equals the total at ``'end'`` and ``'close'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-bytes-read.js"), pytest.mark.anyio]

# Left out: ``assert(!socket._handle)`` in 'close' (the libuv handle is a JS internal).

BIG = bytes(1024 * 1024)


async def test_bytes_read_rises_to_the_total(must_call: Any) -> None:
    state = {"prev": 0, "chunks": 0}
    with anyio.fail_after(20):
        async with net.open_runtime():
            server: net.Server

            def handler(sock: net.Socket) -> None:
                sock.end(BIG)
                server.close()

            def on_listen() -> None:
                def check_raise(value: int) -> None:
                    assert value > state["prev"]
                    state["prev"] = value

                def on_data(_chunk: bytes) -> None:
                    state["chunks"] += 1
                    check_raise(sock.bytes_read)

                def on_end() -> None:
                    assert sock.bytes_read == state["prev"]
                    assert len(BIG) == state["prev"]

                def on_close(_had_error: bool) -> None:
                    assert sock.bytes_read == state["prev"]
                    assert len(BIG) == state["prev"]

                def on_connect() -> None:
                    sock.on("data", on_data)
                    sock.on("end", must_call(on_end))
                    sock.on("close", must_call(on_close))
                    sock.end()

                sock = net.connect(server.address()["port"], must_call(on_connect))  # type: ignore[index]

            server = net.create_server(must_call(handler))
            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listen))
    assert state["chunks"] >= 1  # common.mustCallAtLeast(onData)
