# Rewritten from Node v20 test/parallel/test-net-write-slow.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-write-slow.js"), pytest.mark.anyio]

SIZE = 200_000
N = 10


def set_timeout(rt: Any, fn: Callable[[], object], ms: float) -> None:
    """Node's ``setTimeout``: a timer task that keeps the runtime alive until it has run."""

    async def later() -> None:
        await anyio.sleep(ms / 1000)
        fn()

    rt.spawn_awaitable(later())


async def test_slow_reader_gets_everything_before_the_writer_times_out(
    must_call: Callable[..., Any],
) -> None:
    counts = {"flushed": 0, "received": 0}
    buf = b"a" * SIZE
    with anyio.fail_after(20):
        async with net.open_runtime() as rt:

            def on_connection(socket: net.Socket) -> None:
                socket.set_no_delay()
                socket.set_timeout(9999)

                def on_timeout() -> None:
                    raise AssertionError(
                        f"flushed: {counts['flushed']}, received: {counts['received']}/{SIZE * N}"
                    )

                def on_flushed(err: BaseException | None) -> None:
                    counts["flushed"] += 1
                    if counts["flushed"] == N:
                        socket.set_timeout(0)

                socket.on("timeout", on_timeout)
                for _ in range(N):
                    socket.write(buf, on_flushed)
                socket.end()

            server = net.create_server(on_connection)

            def on_listening() -> None:
                conn = net.connect(port_of(server), LOCALHOST)

                def on_data(chunk: bytes) -> None:
                    counts["received"] += len(chunk)
                    conn.pause()
                    set_timeout(rt, conn.resume, 20)

                def on_end() -> None:
                    server.close()
                    assert counts["received"] == SIZE * N

                conn.on("data", on_data)
                conn.on("end", must_call(on_end))

            server.listen(0, LOCALHOST, must_call(on_listening))

    assert counts["flushed"] == N
