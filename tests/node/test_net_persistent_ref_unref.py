# Rewritten from Node v20 test/parallel/test-net-persistent-ref-unref.js
"""``unref()`` then ``ref()`` before ``connect()`` leaves the socket referenced."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-persistent-ref-unref.js"), pytest.mark.anyio]

# Node counts ref()/unref() calls on the TCP handle. Here the observable effect is checked:
# the server and its accepted sockets are unreferenced, so only the client can keep the
# runtime open. Were the client left unreferenced, the runtime would finish before
# 'connect' and 'end' and destroy it.


async def test_ref_after_unref_before_connect(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(conn: net.Socket) -> None:
                conn.unref()
                conn.end()

            echo_server = net.create_server(on_connection)
            # Node listens on the wildcard address; an IP literal binds at once too.
            echo_server.listen(0, "127.0.0.1")
            echo_server.unref()

            sock = net.Socket()
            sock.unref()
            sock.ref()
            sock.connect(echo_server.address()["port"])  # type: ignore[index]
            sock.on("connect", must_call())

            def on_end() -> None:
                echo_server.close()

            sock.on("end", must_call(on_end))
            sock.on("close", must_call())
