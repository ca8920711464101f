# Rewritten from Node v20 test/parallel/test-net-connect-options-invalid.js
"""``objectMode``, ``readableObjectMode``, ``writableObjectMode`` in connect options raise
``ERR_INVALID_ARG_VALUE``."""

from __future__ import annotations

import re

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-options-invalid.js"), pytest.mark.anyio]


@pytest.mark.parametrize("invalid_key", ["objectMode", "readableObjectMode", "writableObjectMode"])
async def test_object_mode_options_raise(invalid_key: str) -> None:
    option = {"port": 8080, invalid_key: True}
    # Python's repr in the message: True where Node shows true.
    message = f"The property 'options.{invalid_key}' is not supported. Received True"
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(TypeError) as info:
                net.create_connection(option)
            assert info.value.code == "ERR_INVALID_ARG_VALUE"  # type: ignore[attr-defined]
            assert re.search(re.escape(message), str(info.value))
