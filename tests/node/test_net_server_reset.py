# Rewritten from Node v20 test/parallel/test-net-server-reset.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-reset.js"), pytest.mark.anyio]


async def test_server_resetting_its_sockets_after_close(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            sockets: list[net.Socket] = []

            def on_connection(c: net.Socket) -> None:
                c.on("close", must_call())
                sockets.append(c)
                if len(sockets) == 2:
                    assert server.close() is server
                    for s in sockets:
                        s.reset_and_destroy()

            server = net.create_server(on_connection)
            server.on("close", must_call())

            def on_client_error(error: BaseException) -> None:
                assert getattr(error, "code", None) == "ECONNRESET"

            def on_listening() -> None:
                port = port_of(server)
                net.create_connection(port, LOCALHOST).on("error", must_call(on_client_error))
                net.create_connection(port, LOCALHOST).on("error", must_call(on_client_error))

            assert server.listen(0, LOCALHOST, on_listening) is server
