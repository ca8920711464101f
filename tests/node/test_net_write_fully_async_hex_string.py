# Rewritten from Node v20 test/parallel/test-net-write-fully-async-hex-string.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-write-fully-async-hex-string.js"),
    pytest.mark.anyio,
]

# Regression test for nodejs/node#8251: the buffer that write() makes from the hex string
# must stay alive while it is queued. Left out: the forced minor GC after each loop
# (`global.gc`), which has no Python twin.

DATA = bytes(1_000_000).hex()


async def test_hex_strings_written_until_false_then_on_drain(
    must_call: Callable[..., Any],
) -> None:
    with anyio.fail_after(30):
        async with net.open_runtime():
            server = net.create_server(must_call(lambda conn: conn.resume()))

            def on_listening() -> None:
                def on_connect() -> None:
                    count = [0]

                    def write_loop() -> None:
                        if count[0] == 20:
                            conn.destroy()
                            server.close()
                            return
                        count[0] += 1
                        while conn.write(DATA, "hex"):
                            pass

                    conn.on("drain", write_loop)
                    write_loop()

                conn = net.create_connection(port_of(server), LOCALHOST, must_call(on_connect))

            server.listen(0, LOCALHOST, must_call(on_listening))
