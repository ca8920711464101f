# Rewritten from Node v20 test/parallel/test-net-dns-lookup.js
"""Connecting to ``'localhost'`` emits ``'lookup'`` with no error and a loopback address."""

from __future__ import annotations

import re
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-dns-lookup.js"), pytest.mark.anyio]


async def test_lookup_event_for_localhost(must_call: Any) -> None:
    calls: list[tuple[Any, ...]] = []
    with anyio.fail_after(10):
        async with net.open_runtime():
            server: net.Server

            def on_connection(client: net.Socket) -> None:
                client.end()
                server.close()

            def on_lookup(err: Any, ip: str, family: int, host: str) -> None:
                calls.append((err, ip, family, host))
                assert err is None
                assert re.match(r"^(127\.0\.0\.1|::1)$", ip)
                assert re.match(r"^(4|6)$", str(family))
                assert host == "localhost"

            def on_listening() -> None:
                port = server.address()["port"]  # type: ignore[index]
                net.connect(port, "localhost").on("lookup", on_lookup)

            server = net.create_server(on_connection)
            # Node's test listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
    assert len(calls) >= 1  # common.mustCallAtLeast(fn, 1)
