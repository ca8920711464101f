# Rewritten from Node v20 test/parallel/test-net-during-close.js
"""Reading the remote address fields of a still-connecting socket, just after the server
closed, does not raise."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-during-close.js"), pytest.mark.anyio]


async def test_remote_fields_while_connecting(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda socket: socket.end())

            def on_listening() -> None:
                client = net.create_connection(server.address()["port"], "127.0.0.1")  # type: ignore[index]
                server.close()
                # The server's 'connection' has not fired and the client is still trying
                # to connect: the fields are unset, and reading them does not raise.
                assert client.remote_address is None
                assert client.remote_family is None
                assert client.remote_port is None
                # Node exits here (process.exit); do not wait for the client's outcome.
                client.destroy()

            server.listen(0, "127.0.0.1", must_call(on_listening))
