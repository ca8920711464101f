# Rewritten from Node v23.9.0 test/parallel/test-net-pipe-with-long-path.js
# (the file is not in v20.11.1, whose libuv truncated such paths; see docs/differences.md)
"""An over-long Unix path either works (the file exists, clients connect) or fails with
EINVAL for both listen and connect; it is never truncated silently."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from tests.helpers import wait_for

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-pipe-with-long-path.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets are POSIX only here"),
]


async def test_long_path_works_or_fails_with_einval(tmp_path: Path, must_call: Any) -> None:
    pipe_path = str(tmp_path / ("x" * 10000 + ".sock"))
    outcome: list[str] = []
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server().listen(pipe_path)

            def on_listening() -> None:
                # It may work on some systems: then the socket file must exist.
                outcome.append("listening")
                assert os.path.exists(pipe_path)

                def on_connect() -> None:
                    socket.destroy()
                    server.close()

                socket = net.connect(pipe_path, must_call(on_connect))

            async def on_error(error: Any) -> None:
                outcome.append("error")
                assert error.code == "EINVAL", str(error)
                client = net.connect(pipe_path)
                client.on("connect", must_call(None, 0))
                (client_error,) = await wait_for(client, "error")
                assert client_error.code == "EINVAL", str(client_error)

            server.on("listening", on_listening)
            server.on("error", on_error)
    assert len(outcome) == 1
    assert not os.listdir(tmp_path)  # nothing was created under a truncated name
