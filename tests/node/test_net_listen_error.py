# Rewritten from Node v20 test/parallel/test-net-listen-error.js
"""Listening on an address the host does not own gives 'error', never 'listening'."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-listen-error.js"), pytest.mark.anyio]

# 1.1.1.1 as in Node: bind() fails at once on a host that does not own it, nothing is sent.


async def test_listen_on_a_foreign_address(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda socket: None)
            server.listen(1, "1.1.1.1", must_call(None, 0))  # EACCES or EADDRNOTAVAIL

            def on_error(err: Any) -> None:
                assert err.code in ("EACCES", "EADDRNOTAVAIL")

            server.on("error", must_call(on_error))
