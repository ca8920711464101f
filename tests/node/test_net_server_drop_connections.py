# Rewritten from Node v20 test/parallel/test-net-server-drop-connections.js
"""A connection over ``max_connections`` emits 'drop' with the addresses and ports."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-drop-connections.js"), pytest.mark.anyio]


async def test_drop_event(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            first: list[net.Socket] = []
            server = net.create_server(must_call(first.append))
            server.max_connections = 1

            def on_drop(data: dict[str, Any]) -> None:
                assert bool(data["localAddress"]) is True
                assert bool(data["localPort"]) is True
                assert bool(data["remoteAddress"]) is True
                assert bool(data["remotePort"]) is True
                assert bool(data["remoteFamily"]) is True
                first[0].destroy()
                server.close()

            server.on("drop", must_call(on_drop))

            def on_listening() -> None:
                port = server.address()["port"]  # type: ignore[index]
                net.create_connection(port, "127.0.0.1")
                net.create_connection(port, "127.0.0.1")

            server.listen(0, "127.0.0.1", on_listening)
