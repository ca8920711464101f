# Rewritten from Node v20 test/parallel/test-net-pipe-connect-errors.js
"""Connecting to a regular file: ``ENOTSOCK``/``ECONNREFUSED``; to a missing path:
``ENOENT``; to a socket without permission: ``EACCES``."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
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


# Root is never refused by file permissions (Node's test skips this part for root). Run as
# root, as CI does, the client connects from a child process that has become nobody.
CONNECT_AS_NOBODY = r"""
import os, sys
import anyio_net as net
import anyio, asyncio, selectors, socket  # imported while the files are still readable
import anyio._backends._asyncio, anyio._backends._trio, anyio._core._sockets, trio

os.setgid(65534)
os.setuid(65534)


def main():
    client = net.create_connection(sys.argv[2], lambda: print("connected"))
    client.on("error", lambda err: print(err.code))


net.run(main, backend=sys.argv[1])
"""


async def test_socket_without_permission_is_eacces(anyio_backend: Any, must_call: Any) -> None:
    as_root = os.geteuid() == 0
    # A directory anyone may enter (pytest's tmp_path is root's own when run as root).
    directory = tempfile.mkdtemp(prefix="anet-", dir="/tmp")
    os.chmod(directory, 0o755)
    pipe = os.path.join(directory, "s")
    try:
        with anyio.fail_after(20):
            async with net.open_runtime():
                access_server = net.create_server(must_call(None, 0))
                listening = anyio.Event()
                access_server.listen(pipe, must_call(listening.set))
                await listening.wait()
                os.chmod(pipe, 0)
                if as_root:
                    backend = "trio" if "trio" in str(anyio_backend) else "asyncio"
                    result = await anyio.run_process(
                        [sys.executable, "-c", CONNECT_AS_NOBODY, backend, pipe],
                        check=False,
                        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
                    )
                    assert result.returncode == 0, result.stderr
                    assert result.stdout.decode().split() == ["EACCES"]
                    access_server.close()
                else:
                    access_client = net.create_connection(pipe, fail)

                    def on_error(err: Any) -> None:
                        assert err.code == "EACCES"
                        access_server.close()

                    access_client.on("error", must_call(on_error))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
