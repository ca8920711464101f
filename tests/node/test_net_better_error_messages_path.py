# Rewritten from Node v20 test/parallel/test-net-better-error-messages-path.js
"""Connecting to a missing Unix path: ``ENOENT``, ``connect ENOENT <path>``; a non-string
``path`` raises at the call."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-better-error-messages-path.js"),
    pytest.mark.anyio,
    pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets are POSIX only here"),
]


async def test_missing_path_is_enoent(tmp_path: Path, must_call: Any) -> None:
    fp = str(tmp_path / "fadagagsdfgsdf")
    with anyio.fail_after(10):
        async with net.open_runtime():
            c = net.connect(fp)
            c.on("connect", must_call(None, 0))

            def on_error(err: Any) -> None:
                assert err.code == "ENOENT"
                assert str(err) == f"connect ENOENT {fp}"

            c.on("error", must_call(on_error))


async def test_path_must_be_a_string() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(TypeError) as info:
                net.create_connection({"path": {}})
            assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
