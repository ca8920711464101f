# Rewritten from Node v20 test/parallel/test-net-connect-options-path.js
"""The twelve ways to connect to a Unix socket path all connect."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-options-path.js"), pytest.mark.anyio]

CLIENT_VARIANTS = 12


async def test_every_path_call_shape_connects(tmp_path: Path, must_call: Any) -> None:
    server_path = str(tmp_path / "net-connect-options-path-server")
    counter = {"closed": 0}
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.on("connection", must_call(lambda sock: sock.end("ok"), CLIENT_VARIANTS))

            def variant(make: Callable[[Callable[[], None]], net.Socket]) -> None:
                # Node's callbacks use ``this``; here the callback finds its socket in a cell.
                cell: list[net.Socket] = []

                def on_close(_had_error: bool) -> None:
                    counter["closed"] += 1
                    if counter["closed"] == CLIENT_VARIANTS:
                        server.close()

                def on_connect() -> None:
                    sock = cell[0]
                    sock.end()
                    sock.on("close", must_call(on_close))

                sock = make(must_call(on_connect))
                cell.append(sock)
                sock.resume()

            def on_listening() -> None:
                p = server_path
                # CLIENT_VARIANTS depends on the following code
                variant(lambda cb: net.connect(p, cb))
                variant(lambda cb: net.connect(p).on("connect", cb))
                variant(lambda cb: net.create_connection(p, cb))
                variant(lambda cb: net.create_connection(p).on("connect", cb))
                variant(lambda cb: net.Socket().connect(p, cb))
                variant(lambda cb: net.Socket().connect(p).on("connect", cb))
                variant(lambda cb: net.connect({"path": p}, cb))
                variant(lambda cb: net.connect({"path": p}).on("connect", cb))
                variant(lambda cb: net.create_connection({"path": p}, cb))
                variant(lambda cb: net.create_connection({"path": p}).on("connect", cb))
                variant(lambda cb: net.Socket().connect({"path": p}, cb))
                variant(lambda cb: net.Socket().connect({"path": p}).on("connect", cb))

            server.listen(server_path, must_call(on_listening))
    assert counter["closed"] == CLIENT_VARIANTS
