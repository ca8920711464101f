# Rewritten from Node v20 test/parallel/test-net-persistent-nodelay.js
"""``setNoDelay()`` before ``connect()`` is applied once connected."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-persistent-nodelay.js"), pytest.mark.anyio]

# Node counts calls of the TCP handle's setNoDelay (expects 1); here TCP_NODELAY is read
# back from the connected socket instead.


async def test_set_no_delay_before_connect_persists(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            echo_server = net.create_server(lambda connection: connection.end())
            # Node listens on the wildcard address; loopback here.
            echo_server.listen(0, "127.0.0.1")

            def on_listening() -> None:
                sock1 = net.Socket()
                # setNoDelay before the handle is created
                s = sock1.set_no_delay()
                assert isinstance(s, net.Socket)
                sock1.connect(echo_server.address()["port"])  # type: ignore[index]

                def on_end() -> None:
                    raw = sock1._transport.raw  # type: ignore[union-attr]
                    assert raw is not None
                    assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                    echo_server.close()

                sock1.on("end", must_call(on_end))

            echo_server.on("listening", must_call(on_listening))
