# Rewritten from Node v20 test/parallel/test-net-can-reset-timeout.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-can-reset-timeout.js"), pytest.mark.anyio]


async def test_writing_from_the_timeout_listener_resets_the_timer(
    must_call: Callable[..., Any],
) -> None:
    # Ref: nodejs/node-v0.x-archive#481
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(stream: net.Socket) -> None:
                stream.set_timeout(100)
                stream.resume()
                # Try to reset the timeout by writing.
                stream.once("timeout", must_call(lambda: stream.write("WHAT.")))
                stream.on("end", must_call(lambda: stream.end()))

            server = net.create_server(must_call(on_connection))

            def on_listening() -> None:
                c = net.create_connection(port_of(server), LOCALHOST)
                c.on("data", lambda _chunk: c.end())
                c.on("end", lambda: server.close())

            server.listen(0, LOCALHOST, must_call(on_listening))
