# Rewritten from Node v20 test/parallel/test-net-bytes-written-large.js
"""A 10 MB write is counted fully in ``bytesWritten`` at once; the peer reads it all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-bytes-written-large.js"), pytest.mark.anyio]

# Writing tries to hand as much as possible to the kernel at once and queues the rest;
# bytes_written must count both parts (Node issue #19562).
N = 10_000_000


async def run_variant(
    must_call: Any, on_connection: Callable[[net.Socket], None], expected: int
) -> None:
    async with net.open_runtime():
        server = net.create_server(must_call(on_connection))

        def on_listening() -> None:
            client = net.connect(server.address()["port"])  # type: ignore[index]
            client.resume()

            def on_close(_had_error: bool) -> None:
                assert client.bytes_read == expected
                server.close()

            client.on("close", must_call(on_close))

        # Node listens on the wildcard address; loopback here.
        server.listen(0, "127.0.0.1", must_call(on_listening))


async def test_write_a_buffer(must_call: Any) -> None:
    def on_connection(sock: net.Socket) -> None:
        def on_finish() -> None:
            assert sock.bytes_written == N

        sock.end(bytes(N), must_call(on_finish))
        assert sock.bytes_written == N

    with anyio.fail_after(60):
        await run_variant(must_call, on_connection, N)


async def test_write_a_string(must_call: Any) -> None:
    def on_connection(sock: net.Socket) -> None:
        def on_finish() -> None:
            assert sock.bytes_written == N

        sock.end("a" * N, must_call(on_finish))
        assert sock.bytes_written == N

    with anyio.fail_after(60):
        await run_variant(must_call, on_connection, N)


async def test_corked_mixed_writes(must_call: Any) -> None:
    # Node: writev() with mixed data.
    def on_connection(sock: net.Socket) -> None:
        sock.cork()
        sock.write("a" * N)
        assert sock.bytes_written == N
        sock.write(bytes(N))
        assert sock.bytes_written == 2 * N

        def on_finish() -> None:
            assert sock.bytes_written == 2 * N

        sock.end("", must_call(on_finish))
        sock.uncork()

    with anyio.fail_after(60):
        await run_variant(must_call, on_connection, 2 * N)
