# Rewritten from Node v20 test/parallel/test-net-socket-connect-invalid-autoselectfamily.js
from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-socket-connect-invalid-autoselectfamily.js"),
    pytest.mark.anyio,
]


async def test_a_non_boolean_auto_select_family_throws() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(TypeError) as info:
                net.connect({"port": 8080, "autoSelectFamily": "INVALID"})
            assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_TYPE"
