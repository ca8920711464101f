# Rewritten from Node v20 test/parallel/test-net-write-after-close.js
"""A server writing after the client ended gets its write callback called with an error."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-write-after-close.js"), pytest.mark.anyio]


async def test_server_write_after_client_end(must_call: Any) -> None:
    server_socket: list[net.Socket] = []
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                server_socket.append(sock)
                sock.resume()
                sock.on("error", must_call(None, 0))

            server = net.create_server(must_call(on_connection))

            def on_listening() -> None:
                def on_connect() -> None:
                    # client.end() closes both sides of the duplex since allowHalfOpen is
                    # false by default; 'end' comes when the other side's FIN arrives.
                    def on_end() -> None:
                        def on_written(err: Any) -> None:
                            assert err
                            server.close()

                        server_socket[0].write("test", must_call(on_written))

                    client.on("end", must_call(on_end))
                    client.end()

                client = net.connect(server.address()["port"], on_connect)  # type: ignore[index]

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", on_listening)
