# Rewritten from Node v20 test/parallel/test-net-server-options.js
"""``create_server('path')`` and ``create_server(0)`` raise: options must be a dict."""

from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-options.js"), pytest.mark.anyio]


async def test_options_must_be_a_mapping() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(TypeError) as info:
                net.create_server("path")
            assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]

            with pytest.raises(TypeError) as info:
                net.create_server(0)
            assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]
