# Rewritten from Node v20 test/parallel/test-net-listen-ipv6only.js
"""``listen({host: '::', ipv6Only: True})`` refuses IPv4 clients."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import has_ipv6

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-listen-ipv6only.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(not has_ipv6(), reason="no IPv6 support"),
]


async def test_ipv6_only_refuses_ipv4(must_call: Any) -> None:
    # '::' is the point here: without ipv6Only it would take IPv4 clients too.
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_listening() -> None:
                port = server.address()["port"]  # type: ignore[index]
                socket = net.connect({"host": "0.0.0.0", "port": port})
                socket.on("connect", must_call(None, 0))

                def on_error(err: Any) -> None:
                    assert err.code == "ECONNREFUSED"
                    server.close()

                socket.on("error", must_call(on_error))

            server.listen({"host": "::", "port": 0, "ipv6Only": True}, must_call(on_listening))
