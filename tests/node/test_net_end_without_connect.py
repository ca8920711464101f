# Rewritten from Node v20 test/parallel/test-net-end-without-connect.js
from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-end-without-connect.js"), pytest.mark.anyio]


async def test_end_on_a_never_connected_socket_does_not_raise() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.Socket()
            assert sock.end() is sock
