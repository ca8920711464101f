# Rewritten from Node v20 test/parallel/test-net-connect-reset.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-reset.js"), pytest.mark.anyio]


async def test_reset_on_a_socket_that_is_neither_connecting_nor_connected(
    must_call: Callable[..., Any],
) -> None:
    def on_error(err: BaseException) -> None:
        assert getattr(err, "code", None) == "ERR_SOCKET_CLOSED"

    with anyio.fail_after(10):
        async with net.open_runtime():
            socket = net.Socket()
            socket.reset_and_destroy()
            # The 'error' comes later, so a listener added after the call still gets it.
            socket.on("error", must_call(on_error))
