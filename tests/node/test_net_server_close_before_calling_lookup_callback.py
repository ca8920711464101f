# Rewritten from Node v23.9.0 test/parallel/test-net-server-close-before-calling-lookup-callback.js
# (the file is not in v20.11.1; the behaviour it pins is the same in v20)
"""``listen(0, 'localhost').close()`` before the lookup finishes: no 'listening', and
nothing keeps the runtime alive."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-server-close-before-calling-lookup-callback.js"),
    pytest.mark.anyio,
]


async def test_close_before_lookup_finishes(must_call: Any) -> None:
    # fail_after is the bound: a lookup that kept the runtime alive would time out here.
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server().listen(0, "localhost", must_call(None, 0)).close()
        assert not server.listening
