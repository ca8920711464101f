# Rewritten from Node v20 test/parallel/test-net-listen-close-server-callback-is-not-function.js
"""``close('bad argument')`` ignores the non-function and still emits 'close'."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-listen-close-server-callback-is-not-function.js"),
    pytest.mark.anyio,
]


async def test_close_ignores_a_non_function(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_call(None, 0))
            server.on("close", must_call())
            server.listen(0, "127.0.0.1", must_call(None, 0))
            server.close("bad argument")  # type: ignore[arg-type]
