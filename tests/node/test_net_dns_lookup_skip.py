# Rewritten from Node v20 test/parallel/test-net-dns-lookup-skip.js
"""Connecting to an IP literal emits no ``'lookup'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import has_ipv6

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-dns-lookup-skip.js"), pytest.mark.anyio]


async def check(address_type: int, must_call: Any) -> None:
    async with net.open_runtime():
        server: net.Server

        def on_connection(client: net.Socket) -> None:
            client.end()
            server.close()

        address = "127.0.0.1" if address_type == 4 else "::1"

        def on_listening() -> None:
            port = server.address()["port"]  # type: ignore[index]
            net.connect(port, address).on("lookup", must_call(None, 0))

        server = net.create_server(must_call(on_connection))
        server.listen(0, address, must_call(on_listening))


async def test_no_lookup_for_ipv4_literal(must_call: Any) -> None:
    with anyio.fail_after(10):
        await check(4, must_call)


@pytest.mark.skipif(not has_ipv6(), reason="no IPv6 support")
async def test_no_lookup_for_ipv6_literal(must_call: Any) -> None:
    with anyio.fail_after(10):
        await check(6, must_call)
