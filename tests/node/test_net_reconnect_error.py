# Rewritten from Node v20 test/sequential/test-net-reconnect-error.js
"""A Socket that keeps reconnecting to a closed port from its 'close' listener gets one
ECONNREFUSED 'error' and one 'close' per attempt, and never 'connect'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, closed_port

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-reconnect-error.js"), pytest.mark.anyio]

N = 20


async def test_reconnect_after_refusal(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    # common.PORT becomes a loopback port that nothing listens on.
    port = closed_port()
    counts = {"errors": 0, "disconnects": 0}
    with anyio.fail_after(20):
        async with net.open_runtime():
            client = net.create_connection(port, LOCALHOST)
            client.on("connect", must_not_call("connect"))

            def on_error(err: BaseException) -> None:
                counts["errors"] += 1
                assert getattr(err, "code", None) == "ECONNREFUSED"

            def on_close(*_: Any) -> None:
                counts["disconnects"] += 1
                if counts["disconnects"] <= N:
                    client.connect(port, LOCALHOST)  # try again

            client.on("error", must_call(on_error, N + 1))
            client.on("close", must_call(on_close, N + 1))
    assert counts["disconnects"] == N + 1
    assert counts["errors"] == N + 1
