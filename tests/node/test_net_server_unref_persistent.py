# Rewritten from Node v20 test/parallel/test-net-server-unref-persistent.js
"""``unref()`` called before ``listen()`` still holds once listening."""

from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-unref-persistent.js"), pytest.mark.anyio]

# Node's unref'd one-second timer that must not fire becomes the bound on the block.


async def test_unref_before_listen_persists() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            server.unref()
            server.listen(0, "127.0.0.1")
            assert server.listening
        assert not server.listening
