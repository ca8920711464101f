# Rewritten from Node v20 test/parallel/test-net-remote-address.js
"""``remoteAddress`` is unset while connecting and set on ``'connect'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-remote-address.js"), pytest.mark.anyio]


async def test_remote_address_once_connected(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_listening() -> None:
                sock = net.connect({"port": server.address()["port"]})  # type: ignore[index]
                assert sock.connecting is True
                assert sock.remote_address is None

                def on_connect() -> None:
                    assert sock.remote_address is not None
                    sock.end()

                sock.on("connect", must_call(on_connect))
                sock.on("end", must_call(lambda: server.close()))

            # Node's test listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
