# Rewritten from Node v20 test/parallel/test-net-server-listen-path.js
"""``listen(path)``, ``listen({path})`` with or without callback listen on a Unix socket."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-server-listen-path.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets are POSIX only here"),
]


class Paths:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.counter = 0

    def next(self) -> str:
        path = str(self.base / f"s-listen-path-{self.counter}")
        self.counter += 1
        return path


async def test_listen_path_forms(tmp_path: Path, must_call: Any) -> None:
    paths = Paths(tmp_path)

    def close_server(server: net.Server) -> Any:
        return must_call(lambda: server.close())

    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(paths.next()).on("listening", close_server(server))

            server = net.create_server()
            server.listen({"path": paths.next()}).on("listening", close_server(server))

            server = net.create_server()
            server.listen(paths.next(), close_server(server))

            server = net.create_server()
            server.listen({"path": paths.next()}, close_server(server))


async def test_readable_all_and_writable_all(tmp_path: Path, must_call: Any) -> None:
    handle_path = Paths(tmp_path).next()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_listening() -> None:
                mode = os.stat(handle_path).st_mode
                assert mode & stat.S_IROTH != 0
                assert mode & stat.S_IWOTH != 0
                server.close()

            server.listen(
                {"path": handle_path, "readableAll": True, "writableAll": True},
                must_call(on_listening),
            )


async def test_path_in_use_is_eaddrinuse(tmp_path: Path, must_call: Any) -> None:
    handle_path = Paths(tmp_path).next()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server1 = net.create_server()

            def on_listening() -> None:
                # The path is in use: binding it again makes the server emit EADDRINUSE.
                server2 = net.create_server().listen(
                    {"path": handle_path, "writableAll": True}, must_call(None, 0)
                )

                def on_error(err: Any) -> None:
                    server1.close()
                    assert err.code == "EADDRINUSE"
                    assert re.match(r"^listen EADDRINUSE: address already in use", str(err))

                server2.on("error", must_call(on_error))

            server1.listen({"path": handle_path}, on_listening)
