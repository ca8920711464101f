# Rewritten from Node v20 test/parallel/test-net-client-bind-twice.js
"""``connect({localPort})`` on a port another server holds fails with ``EADDRINUSE``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-client-bind-twice.js"), pytest.mark.anyio]

HOST = "127.0.0.1"


async def test_client_bind_on_a_used_port(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server1 = net.create_server(must_call(None, 0))

            def on_listening1() -> None:
                server2 = net.create_server(must_call(None, 0))

                def on_listening2() -> None:
                    client = net.connect(
                        {
                            "host": HOST,
                            "port": server1.address()["port"],  # type: ignore[index]
                            "localAddress": HOST,
                            "localPort": server2.address()["port"],  # type: ignore[index]
                        },
                        must_call(None, 0),
                    )

                    def on_error(err: Any) -> None:
                        assert err.code == "EADDRINUSE"
                        server1.close()
                        server2.close()

                    client.on("error", must_call(on_error))

                server2.listen(0, HOST, must_call(on_listening2))

            server1.listen(0, HOST, must_call(on_listening1))
