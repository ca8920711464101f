# Rewritten from Node v20 test/parallel/test-net-connect-destroy.js
"""``destroy()`` on a never-connected Socket still emits ``'close'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-destroy.js"), pytest.mark.anyio]


async def test_destroy_unconnected_socket_emits_close(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            sock = net.Socket()
            sock.on("close", must_call())
            sock.destroy()
