# Rewritten from Node v20 test/sequential/test-net-connect-econnrefused.js
"""Many refused connects in a row all fail with ECONNREFUSED and leave nothing open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-econnrefused.js"), pytest.mark.anyio]

ROUNDS = 5
ATTEMPTS_PER_ROUND = 50


async def test_refused_connects_are_cleaned_up(must_call: Callable[..., Any]) -> None:
    state = {"rounds": 1, "reqs": 0, "pending": 0}
    sockets: list[net.Socket] = []
    with anyio.fail_after(20):
        async with net.open_runtime():
            port_box: list[int] = []

            def check() -> None:
                # Node counts live TCPWRAP handles; here every client must be destroyed.
                assert all(s.destroyed for s in sockets)

            def on_error(err: BaseException) -> None:
                assert getattr(err, "code", None) == "ECONNREFUSED"
                state["pending"] -= 1
                if state["pending"] > 0:
                    return
                if state["rounds"] == ROUNDS:
                    check_once()
                    return
                state["rounds"] += 1
                pummel()

            def pummel() -> None:
                for _ in range(ATTEMPTS_PER_ROUND):
                    state["pending"] += 1
                    sock = net.create_connection(port_box[0], LOCALHOST)
                    sock.on("error", on_error)
                    sockets.append(sock)
                    state["reqs"] += 1

            check_once = must_call(check)
            server = net.create_server()

            def on_listening() -> None:
                port_box.append(port_of(server))
                server.close(must_call(pummel))

            server.listen(0, LOCALHOST, must_call(on_listening))
        # The check runs again once the runtime has drained.
        check()
    assert state["rounds"] == ROUNDS
    assert state["reqs"] == ROUNDS * ATTEMPTS_PER_ROUND
