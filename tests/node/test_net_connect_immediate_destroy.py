# Rewritten from Node v20 test/parallel/test-net-connect-immediate-destroy.js
"""Connect then ``destroy()`` at once: no ``'connect'``, no ``'error'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-immediate-destroy.js"), pytest.mark.anyio]


async def test_connect_then_destroy(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            # Node listens on the wildcard address; an IP literal binds at once too.
            server.listen(0, "127.0.0.1")
            port = server.address()["port"]  # type: ignore[index]
            sock = net.connect(port, "127.0.0.1", must_call(None, 0))
            sock.on("error", must_call(None, 0))
            server.close()
            sock.destroy()
