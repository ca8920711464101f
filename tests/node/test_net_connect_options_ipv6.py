# Rewritten from Node v20 test/parallel/test-net-connect-options-ipv6.js
"""``family: 6`` with a custom ``lookup`` connects to ``::1``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import has_ipv6

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-options-ipv6.js"), pytest.mark.anyio]

HOST_ADDR_IPV6 = "::1"
HOSTNAME = "dummy"


@pytest.mark.skipif(not has_ipv6(), reason="no IPv6 support")
async def test_family_6_with_a_custom_lookup(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                sock.resume()
                sock.on("end", must_call())
                sock.end()

            server = net.create_server({"allowHalfOpen": True}, on_connection)

            def lookup(addr: str, opt: dict[str, Any], cb: Any) -> None:
                assert addr == HOSTNAME
                assert opt["family"] == 6
                cb(None, HOST_ADDR_IPV6, opt["family"])

            def try_connect() -> None:
                connect_opt = {
                    "host": HOSTNAME,
                    "port": server.address()["port"],  # type: ignore[index]
                    "family": 6,
                    "allowHalfOpen": True,
                    "lookup": must_call(lookup),
                }

                def on_connect() -> None:
                    client.resume()

                    async def on_end() -> None:
                        # Wait a moment and make sure the socket is still writable.
                        await anyio.sleep(0.01)
                        assert client.writable
                        client.end()

                    client.on("end", must_call(on_end))
                    client.on("close", must_call(lambda _had_error: server.close()))

                client = net.connect(connect_opt, must_call(on_connect))

            server.listen(0, HOST_ADDR_IPV6, try_connect)
