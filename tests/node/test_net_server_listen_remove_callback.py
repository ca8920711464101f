# Rewritten from Node v20 test/parallel/test-net-server-listen-remove-callback.js
"""The listen callback is a once-listener: none is left after close, and a second listen()
with a new callback fires only that one."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-listen-remove-callback.js"), pytest.mark.anyio]


async def test_listen_callback_is_removed(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_close() -> None:
                assert len(server.listeners("listening")) == 0

            server.on("close", must_call(on_close, 2))  # once per close()
            server.listen(0, "127.0.0.1", must_call(lambda: server.close()))

            def listen_again() -> None:
                server.listen(0, "127.0.0.1", must_call(lambda: server.close()))

            server.once("close", must_call(listen_again))
