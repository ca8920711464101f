# Rewritten from Node v20 test/parallel/test-net-dns-error.js
"""An over-long host name fails with ``ENOTFOUND``; 'lookup' fires with that error and no
address."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-dns-error.js"), pytest.mark.anyio]

HOST = "*" * 64
ERR_CODES = ["ENOTFOUND", "EAI_FAIL"]


async def test_bad_host_name(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            socket = net.connect(42, HOST, must_call(None, 0))

            def on_error(err: Any) -> None:
                assert err.code in ERR_CODES, err

            def on_lookup(err: Any, ip: Any, address_type: Any) -> None:
                assert isinstance(err, Exception)
                assert err.code in ERR_CODES, err  # type: ignore[attr-defined]
                assert ip is None
                assert address_type is None

            socket.on("error", must_call(on_error))
            socket.on("lookup", must_call(on_lookup))
