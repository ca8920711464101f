# Rewritten from Node v20 test/parallel/test-net-bytes-stats.js
"""Over two connections of one Socket, byte counters count each connection."""

from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-bytes-stats.js"), pytest.mark.anyio]


async def test_byte_counters_per_connection() -> None:
    totals = {"read": 0, "written": 0, "count": 0}
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(s: net.Socket) -> None:
                s.resume()  # trigger old mode

                def on_end() -> None:
                    totals["read"] += s.bytes_read

                s.on("end", on_end)

            tcp = net.Server(on_connection)

            def do_test() -> None:
                sock = net.create_connection(tcp.address()["port"])  # type: ignore[index]

                def on_connect() -> None:
                    totals["count"] += 1
                    sock.write("foo", lambda *_: sock.end("bar"))

                def on_finish() -> None:
                    totals["written"] += sock.bytes_written

                def on_close(_had_error: bool) -> None:
                    if totals["count"] < 2:
                        sock.connect(tcp.address()["port"])  # type: ignore[index]
                    else:
                        tcp.close()

                sock.on("connect", on_connect)
                sock.on("finish", on_finish)
                sock.on("close", on_close)

            # Node listens on the wildcard address; loopback here.
            tcp.listen(0, "127.0.0.1", do_test)
    assert totals["read"] == 12
    assert totals["written"] == 12
