# Rewritten from Node v20 test/parallel/test-net-socket-reset-send.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-reset-send.js"), pytest.mark.anyio]


async def test_reset_and_destroy_then_write_fails_through_the_callback(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_server_error(err: BaseException) -> None:
                assert isinstance(err, net.NetError)
                assert err.code == "ECONNRESET"
                assert err.syscall == "read"
                assert str(err) == "read ECONNRESET"

            def on_listening() -> None:
                conn = net.create_connection(port_of(server), LOCALHOST)
                server.on(
                    "connection", lambda socket: socket.on("error", must_call(on_server_error))
                )

                def on_write_done(err: BaseException | None) -> None:
                    assert getattr(err, "code", None) == "ERR_STREAM_DESTROYED"
                    assert str(err) == "Cannot call write after a stream was destroyed"

                def on_connect() -> None:
                    assert conn.reset_and_destroy().destroy() is conn
                    conn.on("error", must_not_call())
                    conn.write(b"fzfzfzfzfz", must_call(on_write_done))
                    server.close()

                conn.on("connect", must_call(on_connect))

            server.listen(0, LOCALHOST, must_call(on_listening))
