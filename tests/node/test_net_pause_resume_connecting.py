# Rewritten from Node v20 test/parallel/test-net-pause-resume-connecting.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-pause-resume-connecting.js"), pytest.mark.anyio]


async def test_pause_and_resume_while_connecting_take_effect_once_connected(
    must_not_call: Callable[..., Any],
) -> None:
    counts = {"connections": 0, "data_events": 0}
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(conn: net.Socket) -> None:
                counts["connections"] += 1
                conn.end("This was the year he fell to pieces.")
                if counts["connections"] == 5:
                    server.close()

            server = net.create_server(on_connection)

            def on_data_ok(_chunk: bytes) -> None:
                counts["data_events"] += 1

            async def on_listening() -> None:
                port = port_of(server)

                # Client 1
                conn = net.create_connection(port, LOCALHOST)
                conn.resume()
                conn.on("data", on_data_ok)

                # Client 2
                conn = net.create_connection(port, LOCALHOST)
                conn.pause()
                conn.resume()
                conn.on("data", on_data_ok)

                # Client 3
                conn3 = net.create_connection(port, LOCALHOST)
                conn3.pause()
                conn3.on("data", must_not_call())

                # Client 4
                conn = net.create_connection(port, LOCALHOST)
                conn.resume()
                conn.pause()
                conn.resume()
                conn.on("data", on_data_ok)

                # Client 5
                conn5 = net.create_connection(port, LOCALHOST)
                conn5.resume()
                conn5.resume()
                conn5.pause()
                conn5.on("data", must_not_call())

                # The tear-down of the paused clients, 100 ms later.
                await anyio.sleep(0.1)
                for paused in (conn3, conn5):
                    paused.remove_all_listeners("data")
                    paused.resume()

            server.listen(0, LOCALHOST, on_listening)

    assert counts["connections"] == 5
    assert counts["data_events"] == 3
