# Rewritten from Node v20 test/sequential/test-net-response-size.js
"""The server copes with many 1 KiB writes followed, after a blocked event loop, by a
1-byte write and ``destroy_soon()`` (node-v0.x-archive#1697)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-response-size.js"), pytest.mark.anyio]

# Node runs the server in a child process; here it runs in the same runtime, so the
# blocked loop also stalls the server, which only makes the burst bigger.


async def test_big_then_tiny_write_then_destroy_soon(must_call: Callable[..., Any]) -> None:
    received = {"bytes": 0}
    with anyio.fail_after(20):
        async with net.open_runtime():

            def on_connection(conn: net.Socket) -> None:
                def on_data(data: bytes) -> None:
                    received["bytes"] += len(data)

                conn.on("data", on_data)
                conn.on("close", must_call(lambda *_: server.close()))

            server = net.create_server(must_call(on_connection))

            def on_listening() -> None:
                client = net.create_connection(port_of(server), LOCALHOST)

                def on_connect() -> None:
                    alot = bytes(1024)
                    alittle = bytes(1)
                    for _ in range(100):
                        client.write(alot)
                    # Block the event loop for one second.
                    time.sleep(1)
                    client.write(alittle)
                    client.destroy_soon()

                client.on("connect", must_call(on_connect))

            server.listen(0, LOCALHOST, must_call(on_listening))
    assert received["bytes"] == 100 * 1024 + 1
