# Rewritten from Node v20 test/parallel/test-net-socket-timeout.js
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-socket-timeout.js"), pytest.mark.anyio]

# Node's undefined and null are both None here.
NON_NUMERIC_DELAYS: list[object] = ["100", True, False, None, "", {}, lambda: None, []]
BAD_RANGE_DELAYS = [-0.001, -1, -math.inf, math.inf, math.nan]
VALID_DELAYS = [0, 0.001, 1, 1e6]
# Node's null is left out: None is Python's "no callback", so set_timeout(ms, None) is
# accepted (see docs/differences.md); Symbol('test') becomes a plain object().
INVALID_CALLBACKS: list[object] = [1, "100", True, False, {}, [], object()]


async def test_argument_checks_and_no_op_after_destroy(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            s = net.Socket()
            for delay in NON_NUMERIC_DELAYS:
                with pytest.raises(TypeError) as info:
                    s.set_timeout(delay, lambda: None)  # type: ignore[arg-type]
                assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_TYPE", delay

            for delay in BAD_RANGE_DELAYS:
                with pytest.raises(ValueError) as range_info:
                    s.set_timeout(delay, lambda: None)
                assert getattr(range_info.value, "code", None) == "ERR_OUT_OF_RANGE", delay

            for delay in VALID_DELAYS:
                s.set_timeout(delay, lambda: None)

            for callback in INVALID_CALLBACKS:
                for msec in (0, 1):
                    with pytest.raises(TypeError) as cb_info:
                        s.set_timeout(msec, callback)  # type: ignore[arg-type]
                    assert getattr(cb_info.value, "code", None) == "ERR_INVALID_ARG_TYPE"

            # The Python side of Node's null callback: None means no callback at all.
            assert s.set_timeout(0, None) is s

            server = net.Server()

            def on_listening() -> None:
                socket = net.create_connection(port_of(server), LOCALHOST)

                def on_timeout() -> None:
                    socket.destroy()
                    assert socket.set_timeout(1, must_not_call()) is socket
                    server.close()

                assert socket.set_timeout(1, must_call(on_timeout)) is socket

            server.listen(0, LOCALHOST, must_call(on_listening))
