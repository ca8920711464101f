# Rewritten from Node v20 test/parallel/test-net-connect-paused-connection.js
"""An unref'd server with an unref'd accepted socket and a paused client: the runtime ends."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-paused-connection.js"), pytest.mark.anyio]

# Node's unref'd one-second timer that must not fire becomes the bound on the block. As in
# Node (where a stream keeps the loop alive only while it reads or writes), a connected
# client that is paused, with nothing to write, does not keep the runtime alive.


async def test_paused_client_lets_the_runtime_end(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server: net.Server

            def on_listening() -> None:
                net.connect(server.address()["port"], "localhost").pause()  # type: ignore[index]

            server = net.create_server(lambda conn: conn.unref())
            server.listen(0, "127.0.0.1", must_call(on_listening)).unref()
