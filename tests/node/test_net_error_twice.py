# Rewritten from Node v20 test/parallel/test-net-error-twice.js
"""Writing 10 MB to a peer that destroyed itself emits exactly one 'error'."""

from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-error-twice.js"), pytest.mark.anyio]

BUF = b"\x62" * (10 * 1024 * 1024)


async def test_one_error_only() -> None:
    errs: list[BaseException] = []
    with anyio.fail_after(20):
        async with net.open_runtime():
            client_socket: net.Socket | None = None
            server_socket: net.Socket | None = None

            def ready() -> None:
                if client_socket is not None and server_socket is not None:
                    client_socket.destroy()
                    server_socket.write(BUF)

            def on_connection(conn: net.Socket) -> None:
                nonlocal server_socket

                def on_error(err: BaseException) -> None:
                    errs.append(err)
                    if len(errs) > 1 and errs[0] is errs[1]:
                        raise AssertionError("Should not emit the same error twice")

                conn.on("error", on_error)
                conn.on("close", lambda had_error: server.unref())
                server_socket = conn
                ready()

            server = net.create_server(on_connection)

            def on_listening() -> None:
                client = net.connect({"port": server.address()["port"], "host": "127.0.0.1"})  # type: ignore[index]

                def on_connect() -> None:
                    nonlocal client_socket
                    client_socket = client
                    ready()

                client.on("connect", on_connect)

            server.listen(0, "127.0.0.1", on_listening)
    assert len(errs) == 1, errs
