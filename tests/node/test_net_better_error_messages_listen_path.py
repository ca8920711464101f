# Rewritten from Node v20 test/parallel/test-net-better-error-messages-listen-path.js
"""A listen error on a bad Unix path carries the path as ``address``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-better-error-messages-listen-path.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets are POSIX only here"),
]


async def test_listen_path_error_has_the_path(tmp_path: Path, must_call: Any) -> None:
    fp = str(tmp_path / "blah" / "fadfa")  # Node's /blah/fadfa: a missing directory
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_call(None, 0))
            server.listen(fp, must_call(None, 0))

            def on_error(e: Any) -> None:
                assert e.address == fp

            server.on("error", must_call(on_error))
