# Rewritten from Node v20 test/parallel/test-net-server-async-dispose.mjs
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-async-dispose.mjs"), pytest.mark.anyio]

# Node's server[Symbol.asyncDispose]() is Python's `async with server:` exit, __aexit__.
# The original's never-firing 2**31-1 ms timer only keeps Node's process alive while the
# async listener runs; an async listener keeps the runtime alive by itself.


async def test_async_dispose_closes_the_server(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            closed: list[bool] = []

            async def on_listening() -> None:
                async with server:
                    pass
                # Resolved once the server has closed, as Node's close() promise.
                assert closed == [True]
                assert server.address() is None

            server.listen(0, LOCALHOST, must_call(on_listening))
            server.on("close", must_call(lambda: closed.append(True)))


async def test_async_dispose_resolves_when_already_closed(
    must_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.on("close", must_call())

            async def on_listening() -> None:
                await server.__aexit__(None, None, None)
                await server.__aexit__(None, None, None)  # must neither raise nor hang

            server.listen(0, LOCALHOST, must_call(on_listening))
