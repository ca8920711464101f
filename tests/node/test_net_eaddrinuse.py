# Rewritten from Node v20 test/parallel/test-net-eaddrinuse.js
"""A second server on a used port gets an 'error' whose message mentions EADDRINUSE."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-eaddrinuse.js"), pytest.mark.anyio]

# Node listens with no host; the port clash is the point, so both use 127.0.0.1.


async def test_second_server_on_a_used_port(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server1 = net.create_server(lambda socket: None)
            server2 = net.create_server(lambda socket: None)

            def on_listening() -> None:
                def on_error(error: Any) -> None:
                    assert "EADDRINUSE" in str(error)
                    server1.close()

                server2.on("error", must_call(on_error))
                server2.listen(server1.address()["port"], "127.0.0.1")  # type: ignore[index]

            server1.listen(0, "127.0.0.1", must_call(on_listening))
