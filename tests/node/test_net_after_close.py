# Rewritten from Node v20 test/parallel/test-net-after-close.js
"""After ``'close'``, socket methods and properties do not raise."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-after-close.js"), pytest.mark.anyio]

# Left out: ``assert c._handle === null`` (the libuv handle is a JS internal).


async def test_calls_after_close_do_not_raise(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(must_call(lambda s: s.end()))

            def on_listening() -> None:
                c = net.create_connection(server.address()["port"])  # type: ignore[index]

                def on_close(_had_error: bool) -> None:
                    # Calling functions / reading properties of a closed socket must not raise.
                    c.set_no_delay()
                    c.set_keep_alive()
                    _ = c.buffer_size
                    c.pause()
                    c.resume()
                    c.address()
                    _ = c.remote_address
                    _ = c.remote_port
                    server.close()

                c.on("close", must_call(on_close))

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
