# Rewritten from Node v20 test/parallel/test-net-connect-nodelay.js
"""``noDelay`` in connect options sets ``TCP_NODELAY`` once connected."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-nodelay.js"), pytest.mark.anyio]

# Node replaces the libuv handle's setNoDelay with a spy; here TCP_NODELAY is read back
# with getsockopt once connected. ``{}`` and ``[]`` are truthy in JS but falsy in Python,
# so they move to the falsy list (see docs/differences.md).
TRUTHY_VALUES: list[Any] = [True, 1, "true", {"a": 1}, [0]]
FALSY_VALUES: list[Any] = [False, 0, "", {}, []]


def no_delay_of(sock: net.Socket) -> int:
    raw = sock._transport.raw  # type: ignore[union-attr]
    assert raw is not None
    return raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


async def test_no_delay_option(must_call: Any) -> None:
    with anyio.fail_after(20):
        async with net.open_runtime():

            def start(value: Any, expected: bool) -> None:
                server = net.create_server()

                def on_listening() -> None:
                    port = server.address()["port"]  # type: ignore[index]

                    def on_connect() -> None:
                        assert bool(no_delay_of(client)) is expected
                        client.end()

                    client = net.connect({"port": port, "noDelay": value}, must_call(on_connect))
                    client.on("end", must_call(lambda: server.close()))

                # Node listens on the wildcard address; loopback here.
                server.listen(0, "127.0.0.1", must_call(on_listening))

            for value in TRUTHY_VALUES:
                start(value, True)
            for value in FALSY_VALUES:
                start(value, False)
