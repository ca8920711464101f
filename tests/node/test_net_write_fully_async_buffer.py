# Rewritten from Node v20 test/parallel/test-net-write-fully-async-buffer.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-write-fully-async-buffer.js"), pytest.mark.anyio]

# Left out: the forced minor GC after each loop (`global.gc`), a V8 check that the buffer
# queued inside write() stays alive; Python's bytes cannot be freed while queued.

DATA = bytes(1_000_000)


async def test_write_until_false_then_continue_on_drain(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(30):
        async with net.open_runtime():
            server = net.create_server(must_call(lambda conn: conn.resume()))

            def on_listening() -> None:
                def on_connect() -> None:
                    count = [0]

                    def write_loop() -> None:
                        if count[0] == 200:
                            conn.destroy()
                            server.close()
                            return
                        count[0] += 1
                        while conn.write(bytes(DATA)):
                            pass

                    conn.on("drain", write_loop)
                    write_loop()

                conn = net.create_connection(port_of(server), LOCALHOST, must_call(on_connect))

            server.listen(0, LOCALHOST, must_call(on_listening))
