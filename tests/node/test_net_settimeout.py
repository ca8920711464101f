# Rewritten from Node v20 test/parallel/test-net-settimeout.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-settimeout.js"), pytest.mark.anyio]

T = 100  # ms


async def test_set_timeout_then_zero_never_fires(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    # Set a timeout, then turn it off at once: it must never fire (joyent/node#2245).
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_call(lambda c: c.write("hello")))

            def on_listening() -> None:
                socket = net.create_connection(port_of(server), LOCALHOST)
                s = socket.set_timeout(T, must_not_call())
                assert isinstance(s, net.Socket)

                async def on_data(_chunk: bytes) -> None:
                    await anyio.sleep(T * 2 / 1000)
                    socket.destroy()
                    server.close()

                socket.on("data", must_call(on_data))
                socket.set_timeout(0)

            server.listen(0, LOCALHOST, on_listening)
