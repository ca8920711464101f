# Rewritten from Node v20 test/parallel/test-net-write-cb-on-destroy-before-connect.js
"""A write queued while connecting is called back with an error if the socket is destroyed."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-write-cb-on-destroy-before-connect.js"),
    pytest.mark.anyio,
]


async def test_write_callback_when_destroyed_while_connecting(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_listening() -> None:
                sock = net.Socket()
                sock.on("connect", must_call(None, 0))
                sock.connect({"port": server.address()["port"]})  # type: ignore[index]
                assert sock.connecting

                def on_written(err: BaseException) -> None:
                    # common.expectsError({code, name: 'Error'}): a plain Error, not a
                    # TypeError or RangeError.
                    assert err.code == "ERR_SOCKET_CLOSED_BEFORE_CONNECTION"  # type: ignore[attr-defined]
                    assert not isinstance(err, (TypeError, ValueError))

                sock.write("foo", must_call(on_written))
                sock.destroy()
                server.close()

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
