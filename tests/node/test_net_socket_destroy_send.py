# Rewritten from Node v20 test/parallel/test-net-socket-destroy-send.js
"""``destroy()`` returns the socket; a later write fails through its callback only."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-destroy-send.js"), pytest.mark.anyio]


async def test_write_after_destroy(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_listening() -> None:
                conn = net.create_connection(server.address()["port"])  # type: ignore[index]

                def on_connect() -> None:
                    # destroy() returns the socket, even when repeated and short-circuited.
                    assert conn.destroy().destroy() is conn
                    conn.on("error", must_call(None, 0))

                    def on_written(err: BaseException) -> None:
                        assert err.code == "ERR_STREAM_DESTROYED"  # type: ignore[attr-defined]
                        assert str(err) == "Cannot call write after a stream was destroyed"
                        assert not isinstance(err, (TypeError, ValueError))  # name: 'Error'

                    conn.write(b"kaboom", must_call(on_written))
                    server.close()

                conn.on("connect", must_call(on_connect))

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
