# Rewritten from Node v20 test/parallel/test-net-throttle.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-throttle.js"), pytest.mark.anyio]

# Node pauses for 100 ms; half that keeps the test short on three backends (the loopback
# buffers hold about 4 MB, so the client pauses some 60 times) and changes no assertion.
PAUSE_MS = 50


def set_timeout(rt: Any, fn: Callable[[], object], ms: float) -> None:
    """Node's ``setTimeout``: a timer task that keeps the runtime alive until it has run."""

    async def later() -> None:
        await anyio.sleep(ms / 1000)
        fn()

    rt.spawn_awaitable(later())


async def test_writer_throttled_by_a_pausing_reader_loses_nothing() -> None:
    state = {"chars_recved": 0, "npauses": 0, "total_length": 0}
    with anyio.fail_after(20):
        async with net.open_runtime() as rt:

            def on_connection(connection: net.Socket) -> None:
                body = "C" * 1024
                n = 1
                while connection.write(body):
                    n += 1
                # Now that we are throttled, write more to be sure that nothing is lost.
                connection.write(body)
                connection.write(body)
                n += 2
                state["total_length"] = n * len(body)
                assert connection.buffer_size >= 0
                assert connection.writable_length <= state["total_length"]
                connection.end()

            server = net.create_server(on_connection)

            def on_listening() -> None:
                paused = [False]
                client = net.create_connection(port_of(server), LOCALHOST)
                client.set_encoding("ascii")

                def on_data(d: str) -> None:
                    state["chars_recved"] += len(d)
                    if not paused[0]:
                        client.pause()
                        state["npauses"] += 1
                        paused[0] = True
                        x = state["chars_recved"]

                        def resume() -> None:
                            # Nothing arrives while paused.
                            assert state["chars_recved"] == x
                            client.resume()
                            paused[0] = False

                        set_timeout(rt, resume, PAUSE_MS)

                def on_end() -> None:
                    server.close()
                    client.end()

                client.on("data", on_data)
                client.on("end", on_end)

            server.listen(0, LOCALHOST, on_listening)

    assert state["chars_recved"] == state["total_length"]
    assert state["npauses"] > 1
