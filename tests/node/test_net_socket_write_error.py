# Rewritten from Node v20 test/parallel/test-net-socket-write-error.js
"""``write(1337)`` raises ``ERR_INVALID_ARG_TYPE`` at the call, with no 'error' event."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-write-error.js"), pytest.mark.anyio]


async def test_write_a_number_raises(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def connect_to_server() -> None:
                def on_connect() -> None:
                    client.on("error", must_call(None, 0))
                    with pytest.raises(TypeError) as info:
                        client.write(1337)
                    assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
                    client.destroy()

                client = net.create_connection(
                    server.address()["port"],  # type: ignore[index]
                    "127.0.0.1",
                    must_call(on_connect),
                )
                client.on("close", lambda had_error: server.close())

            server.listen(0, "127.0.0.1", connect_to_server)
