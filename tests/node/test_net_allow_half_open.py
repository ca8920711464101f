# Rewritten from Node v20 test/parallel/test-net-allow-half-open.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-allow-half-open.js"), pytest.mark.anyio]


async def test_not_destroyed_on_the_tick_of_end(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime() as rt:
            server = net.create_server(must_call(lambda socket: socket.end(bytes(1024))))

            def on_listening() -> None:
                socket = net.connect(port_of(server), LOCALHOST)
                assert socket.allow_half_open is False
                socket.resume()

                def after_end() -> None:
                    # The socket must shut its side down properly, not be destroyed at once.
                    assert not socket.destroyed
                    server.close()

                socket.on("end", must_call(lambda: rt.call_soon(after_end)))
                socket.on("finish", must_call(lambda: _assert_alive(socket)))
                socket.on("close", must_call())

            server.listen(0, LOCALHOST, must_call(on_listening))


async def test_own_end_before_the_peer_end(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_call(lambda socket: socket.end(bytes(1024))))

            def on_listening() -> None:
                socket = net.connect(port_of(server), LOCALHOST)
                assert socket.allow_half_open is False
                socket.resume()
                socket.on("end", must_call(lambda: _assert_alive(socket)))
                socket.end("asd")
                socket.on("finish", must_call(lambda: _assert_alive(socket)))
                socket.on("close", must_call(lambda had_error: server.close()))

            server.listen(0, LOCALHOST, must_call(on_listening))


def _assert_alive(socket: net.Socket) -> None:
    assert not socket.destroyed
