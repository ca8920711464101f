# Rewritten from Node v20 test/parallel/test-net-listening.js
"""``listening`` is False before listen(), True in its callback, False in close's."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-listening.js"), pytest.mark.anyio]


async def test_listening_flag(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            assert server.listening is False

            def on_close() -> None:
                assert server.listening is False

            def on_listening() -> None:
                assert server.listening is True
                server.close(must_call(on_close))

            server.listen(0, "127.0.0.1", must_call(on_listening))
