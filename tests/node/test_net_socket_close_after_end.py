# Rewritten from Node v20 test/parallel/test-net-socket-close-after-end.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-close-after-end.js"), pytest.mark.anyio]


async def test_close_comes_after_end_when_the_last_data_is_read_late(
    must_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(socket: net.Socket) -> None:
                end_emitted = [False]

                async def read_later() -> None:
                    await anyio.sleep(0.1)
                    socket.read()

                def on_end() -> None:
                    end_emitted[0] = True

                def on_close(had_error: bool) -> None:
                    assert end_emitted[0]
                    server.close()

                socket.once("readable", read_later)
                socket.on("end", on_end)
                socket.on("close", must_call(on_close))
                socket.end("foo")

            server = net.create_server(on_connection)

            def on_listening() -> None:
                socket = net.create_connection(port_of(server), LOCALHOST)
                socket.on("connect", lambda: socket.end("foo"))

            server.listen(0, LOCALHOST, must_call(on_listening))
