# Rewritten from Node v20 test/parallel/test-net-pipe-connect-errors.js
"""Connecting to a regular file: ``ENOTSOCK``/``ECONNREFUSED``; to a missing path:
``ENOENT``; to a socket without permission: ``EACCES``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-pipe-connect-errors.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets are POSIX only here"),
]


def fail(*args: Any) -> None:
    raise AssertionError("the connect callback should not run")


async def test_regular_file_and_missing_path(tmp_path: Path, must_call: Any) -> None:
    empty_txt = tmp_path / "0.txt"
    empty_txt.write_text("")
    with anyio.fail_after(10):
        async with net.open_runtime():
            not_socket_client = net.create_connection(str(empty_txt), fail)

            def on_not_socket_error(err: Any) -> None:
                assert err.code in ("ENOTSOCK", "ECONNREFUSED"), (
                    f"received {err.code} instead of ENOTSOCK or ECONNREFUSED"
                )

            not_socket_client.on("error", must_call(on_not_socket_error))

            # Node names a relative 'no-ent-file'; a missing file under tmp_path here.
            no_ent_socket_client = net.create_connection(str(tmp_path / "no-ent-file"), fail)

            def on_no_ent_error(err: Any) -> None:
                assert err.code == "ENOENT"

            no_ent_socket_client.on("error", must_call(on_no_ent_error))


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() == 0,
    reason="root is never refused by file permissions (Node skips this part for root too)",
)
async def test_socket_without_permission_is_eacces(tmp_path: Path, must_call: Any) -> None:
    pipe = str(tmp_path / "s")
    with anyio.fail_after(10):
        async with net.open_runtime():
            access_server = net.create_server(must_call(None, 0))

            def on_listening() -> None:
                os.chmod(pipe, 0)
                access_client = net.create_connection(pipe, fail)

                def on_error(err: Any) -> None:
                    assert err.code == "EACCES"
                    access_server.close()

                access_client.on("error", must_call(on_error))

            access_server.listen(pipe, must_call(on_listening))
