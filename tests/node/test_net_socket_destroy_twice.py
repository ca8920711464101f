# Rewritten from Node v20 test/parallel/test-net-socket-destroy-twice.js
"""A refused connect that calls ``destroy()`` from its 'error' listener gets one 'error'
and one 'close'."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-destroy-twice.js"), pytest.mark.anyio]


async def test_destroy_in_error_listener(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, "127.0.0.1")
            port = server.address()["port"]  # type: ignore[index]
            conn = net.create_connection(port, "127.0.0.1")
            conn.on("error", must_call(lambda err: conn.destroy()))
            conn.on("close", must_call(lambda had_error: None))
            server.close()
