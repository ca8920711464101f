# Rewritten from Node v20 test/parallel/test-net-bind-twice.js
"""A second server on 127.0.0.1 and the same port: ``EADDRINUSE``, no listen callback."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-bind-twice.js"), pytest.mark.anyio]


async def test_bind_twice(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server1 = net.create_server(must_call(None, 0))

            def on_listening() -> None:
                server2 = net.create_server(must_call(None, 0))
                server2.listen(
                    server1.address()["port"],  # type: ignore[index]
                    "127.0.0.1",
                    must_call(None, 0),
                )

                def on_error(e: Any) -> None:
                    assert e.code == "EADDRINUSE"
                    server1.close()

                server2.on("error", must_call(on_error))

            server1.listen(0, "127.0.0.1", must_call(on_listening))
