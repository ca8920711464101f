# Rewritten from Node v20 test/parallel/test-net-listen-close-server.js
"""``listen(0)`` immediately followed by ``close()``: no 'listening', no 'error'."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-listen-close-server.js"), pytest.mark.anyio]


async def test_close_right_after_listen(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda socket: None)
            server.listen(0, "127.0.0.1", must_call(None, 0))
            server.on("error", must_call(None, 0))
            server.close()
