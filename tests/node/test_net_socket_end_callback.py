# Rewritten from Node v20 test/parallel/test-net-socket-end-callback.js
"""``end(cb)``, ``end('foo', cb)`` and ``end('foo', 'utf8', cb)`` all call the callback."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-end-callback.js"), pytest.mark.anyio]


async def test_end_callback_in_every_form(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda sock: sock.resume()).unref()

            def on_listening() -> None:
                def connect(*args: Any) -> None:
                    def on_connect() -> None:
                        sock.end(*args)

                    sock = net.create_connection(server.address()["port"], on_connect)

                cb = must_call(None, 3)
                connect(cb)
                connect("foo", cb)
                connect("foo", "utf8", cb)

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
