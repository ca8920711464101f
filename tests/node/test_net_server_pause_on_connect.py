# Rewritten from Node v20 test/parallel/test-net-server-pause-on-connect.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-pause-on-connect.js"), pytest.mark.anyio]

MSG = "test"


async def test_pause_on_connect_reads_nothing_until_resume(
    must_call: Callable[..., Any],
) -> None:
    state: dict[str, Any] = {"stopped": True, "server1_sock": None}
    with anyio.fail_after(10):
        async with net.open_runtime():

            def server1_conn_handler(socket: net.Socket) -> None:
                def on_data(data: bytes) -> None:
                    assert not state["stopped"], "'data' should not have happened yet"
                    assert data.decode() == MSG
                    socket.end()
                    server1.close()

                socket.on("data", on_data)
                state["server1_sock"] = socket

            server1 = net.create_server({"pauseOnConnect": True}, server1_conn_handler)

            def server2_conn_handler(socket: net.Socket) -> None:
                def on_data(data: bytes) -> None:
                    assert data.decode() == MSG
                    socket.end()
                    server2.close()
                    server1_sock = state["server1_sock"]
                    assert server1_sock.bytes_read == 0
                    server1_sock.resume()
                    state["stopped"] = False

                socket.on("data", on_data)

            server2 = net.create_server({"pauseOnConnect": False}, server2_conn_handler)

            def on_listening1() -> None:
                def on_listening2() -> None:
                    client = net.create_connection({"port": port_of(server2), "host": LOCALHOST})
                    client.write(MSG)

                def client_handler(err: BaseException | None) -> None:
                    server2.listen(0, LOCALHOST, on_listening2)

                client = net.create_connection({"port": port_of(server1), "host": LOCALHOST})
                client.write(MSG, must_call(client_handler))

            server1.listen(0, LOCALHOST, on_listening1)

    assert state["stopped"] is False
