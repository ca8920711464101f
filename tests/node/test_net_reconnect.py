# Rewritten from Node v20 test/parallel/test-net-reconnect.js
"""A Socket reconnected from its own ``'close'`` listener works every time."""

from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-reconnect.js"), pytest.mark.anyio]

N = 50


async def test_reconnect_from_close_listener() -> None:
    counts = {"client_recv": 0, "client_end": 0, "disconnect": 0}
    with anyio.fail_after(30):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                sock.resume()
                sock.write("hello\r\n")
                sock.on("end", lambda: sock.end())

                def on_close(had_error: bool) -> None:
                    assert had_error is False

                sock.on("close", on_close)

            server = net.create_server(on_connection)

            def on_listening() -> None:
                client = net.create_connection(server.address()["port"])  # type: ignore[index]
                client.set_encoding("UTF8")

                def on_data(chunk: str) -> None:
                    counts["client_recv"] += 1
                    assert chunk == "hello\r\n"
                    client.end()

                def on_end() -> None:
                    counts["client_end"] += 1

                def on_close(had_error: bool) -> None:
                    assert had_error is False
                    counts["disconnect"] += 1
                    if counts["disconnect"] <= N:
                        client.connect(server.address()["port"])  # type: ignore[index]  # reconnect
                    else:
                        server.close()

                client.on("data", on_data)
                client.on("end", on_end)
                client.on("close", on_close)

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", on_listening)
    assert counts["disconnect"] == N + 1
    assert counts["client_recv"] == N + 1
    assert counts["client_end"] == N + 1
