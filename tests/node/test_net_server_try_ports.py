# Rewritten from Node v20 test/parallel/test-net-server-try-ports.js
"""After EADDRINUSE on one port the same server can listen on another."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-try-ports.js"), pytest.mark.anyio]

HOST = "127.0.0.1"


async def test_listen_on_another_port_after_eaddrinuse(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server1 = net.Server()
            server2 = net.Server()

            def on_error(err: Any) -> None:
                assert err.code == "EADDRINUSE"

                def on_listening() -> None:
                    server1.close()
                    server2.close()

                server2.listen(0, HOST, must_call(on_listening))

            server2.on("error", must_call(on_error))

            def on_listening1() -> None:
                # This makes server2 emit EADDRINUSE.
                server2.listen(server1.address()["port"], HOST)  # type: ignore[index]

            server1.listen(0, HOST, must_call(on_listening1))
