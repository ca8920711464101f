# Rewritten from Node v20 test/parallel/test-net-timeout-no-handle.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-timeout-no-handle.js"), pytest.mark.anyio]


async def test_timeout_fires_on_a_socket_that_never_connected(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            socket = net.Socket()
            socket.set_timeout(50)

            def on_timeout() -> None:
                # Node checks `socket._handle === null`; the public twin: nothing is open.
                assert socket.pending
                assert not socket.connecting

            socket.on("timeout", must_call(on_timeout))
            socket.on("connect", must_not_call())
            # The socket's timer does not keep the runtime alive, so something else must:
            # Node's test holds it with a 200 ms timer; here the wait for the event does.
            await net.once(socket, "timeout")


async def test_the_timer_alone_does_not_keep_the_runtime_alive(
    must_not_call: Callable[..., Any],
) -> None:
    # The comment of the original: without its 200 ms timer the program would exit.
    with anyio.fail_after(10):
        async with net.open_runtime():
            socket = net.Socket()
            socket.set_timeout(5000)
            socket.on("timeout", must_not_call())
