# Rewritten from Node v20 test/parallel/test-net-writable.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-writable.js"), pytest.mark.anyio]


async def test_still_writable_in_the_end_listener(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(s: net.Socket) -> None:
                server.close()
                s.end()

            server = net.create_server(must_call(on_connection))

            def on_listening() -> None:
                socket = net.connect(port_of(server), LOCALHOST)

                def on_end() -> None:
                    assert socket.writable is True
                    socket.write("hello world")

                socket.on("end", must_call(on_end))

            server.listen(0, LOCALHOST, must_call(on_listening))
