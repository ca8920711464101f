# Rewritten from Node v20 test/parallel/test-net-server-unref.js
"""An unref'd listening server does not keep the runtime alive."""

from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-unref.js"), pytest.mark.anyio]

# Node's unref'd one-second timer that must not fire becomes the bound on the block: a
# server that kept the runtime alive would never let it end.


async def test_unref_server_lets_the_runtime_end() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            s = net.create_server()
            s.listen(0, "127.0.0.1")
            s.unref()
        assert not s.listening  # destroyed when the runtime ended
