# Rewritten from Node v20 test/parallel/test-net-socket-byteswritten.js
"""``bytesWritten`` counts UTF-8 bytes of corked writes, at once and later."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-byteswritten.js"), pytest.mark.anyio]


async def test_bytes_written_of_corked_writes(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda sock: sock.end())

            def on_listening() -> None:
                sock = net.connect(server.address()["port"])  # type: ignore[index]
                # Cork, then write twice: one combined write (Node: a writev, which once
                # miscounted bytesWritten).
                sock.cork()
                sock.write("one")
                sock.write("twø".encode())
                sock.uncork()
                # one = 3 bytes, twø = 4 bytes
                assert sock.bytes_written == 3 + 4

                def on_connect() -> None:
                    assert sock.bytes_written == 3 + 4

                def on_end() -> None:
                    assert sock.bytes_written == 3 + 4
                    server.close()

                sock.on("connect", must_call(on_connect))
                sock.on("end", must_call(on_end))

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", must_call(on_listening))
