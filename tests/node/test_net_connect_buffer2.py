# Rewritten from Node v20 test/parallel/test-net-connect-buffer2.js
"""Writes while connecting: pending/connecting state, byte counts, callback order."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-buffer2.js"), pytest.mark.anyio]


async def test_write_while_connecting(must_call: Any) -> None:
    received: list[str] = []
    with anyio.fail_after(10):
        async with net.open_runtime():
            tcp: net.Server

            def on_connection(s: net.Socket) -> None:
                tcp.close()
                s.set_encoding("utf8")
                s.on("data", received.append)

                def on_end() -> None:
                    assert "".join(received) == "L'État, c'est moi"
                    s.end()

                s.on("end", must_call(on_end))

            tcp = net.Server(must_call(on_connection))

            def on_listening() -> None:
                # Node: net.Stream, the old name of net.Socket.
                socket = net.Socket({"highWaterMark": 0})
                state = {"connected": False}
                assert socket.pending is True

                def on_connect() -> None:
                    state["connected"] = True

                socket.connect(tcp.address()["port"], must_call(on_connect))  # type: ignore[index]
                assert socket.pending is True
                assert socket.connecting is True
                assert socket.ready_state == "opening"

                # A string with a multi-byte character: bytes_written counts bytes, not
                # characters.
                a = "L'État, c'est "
                b = "moi"

                # Still connecting, so the write is queued until connected; it must not be
                # counted again in bytes_written when it actually happens.
                def on_written(_err: Any = None) -> None:
                    assert state["connected"]
                    assert socket.bytes_written == len((a + b).encode())
                    assert socket.pending is False

                r = socket.write(a, must_call(on_written))
                socket.on("close", must_call(lambda _had_error: check_pending(socket)))
                assert socket.bytes_written == len(a.encode())
                assert r is False
                socket.end(b)
                assert socket.ready_state == "opening"

            def check_pending(socket: net.Socket) -> None:
                assert socket.pending is True

            # Node listens on the wildcard address; loopback here.
            tcp.listen(0, "127.0.0.1", must_call(on_listening))
