# Rewritten from Node v20 test/parallel/test-net-connect-reset-until-connected.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-connect-reset-until-connected.js"),
    pytest.mark.anyio,
]


def barrier(count: int, callback: Callable[[], object]) -> Callable[..., None]:
    """Run ``callback`` on the ``count``-th call."""
    left = [count]

    def arrive(*_: object) -> None:
        left[0] -= 1
        if left[0] == 0:
            callback()

    return arrive


async def test_reset_once_both_ends_are_connected(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_server_error(err: BaseException) -> None:
                assert isinstance(err, net.NetError)
                assert err.code == "ECONNRESET"
                assert str(err) == "read ECONNRESET"

            def on_listening() -> None:
                conn = net.create_connection(port_of(server), LOCALHOST)
                connok = barrier(2, conn.reset_and_destroy)
                conn.on("close", must_call())

                def on_connection(socket: net.Socket) -> None:
                    connok()
                    socket.on("error", must_call(on_server_error))
                    server.close()

                server.on("connection", on_connection)
                conn.on("connect", connok)

            server.listen(0, LOCALHOST, must_call(on_listening))
