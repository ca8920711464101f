# Rewritten from Node v20 test/parallel/test-socket-write-after-fin.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-socket-write-after-fin.js"), pytest.mark.anyio]

EXPECTED = "hello1hello2hello3\nbye"


async def test_half_open_server_replies_after_the_client_fin(
    must_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                server_data: list[str] = []
                sock.set_encoding("utf8")
                sock.on("data", server_data.append)

                def on_end() -> None:
                    assert "".join(server_data) == EXPECTED
                    sock.end("".join(server_data))
                    server.close()

                sock.on("end", must_call(on_end))

            server = net.create_server({"allowHalfOpen": True}, must_call(on_connection))

            def on_listening() -> None:
                sock = net.connect(port_of(server), LOCALHOST)
                client_data: list[str] = []
                sock.set_encoding("utf8")
                sock.on("data", client_data.append)

                def on_end() -> None:
                    assert "".join(client_data) == EXPECTED

                sock.on("end", must_call(on_end))
                sock.write("hello1")
                sock.write("hello2")
                sock.write("hello3\n")
                assert sock.end("bye") is sock

            server.listen(0, LOCALHOST, must_call(on_listening))
