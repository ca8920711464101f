# Rewritten from Node v20 test/parallel/test-net-connect-keepalive.js
"""``keepAlive`` in connect options enables TCP keep-alive once connected."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-keepalive.js"), pytest.mark.anyio]

# Node replaces the libuv handle's setKeepAlive with a spy; here the socket options are
# read back with getsockopt once connected. ``{}`` and ``[]`` are truthy in JS but falsy in
# Python, so they move to the falsy list (see docs/differences.md).
TRUTHY_VALUES: list[Any] = [True, 1, "true", {"a": 1}, [0]]
# (keepAliveInitialDelay in ms, the delay in whole seconds that reaches the socket)
DELAYS: list[tuple[Any, int]] = [(123, 0), (456123, 456), (-123000, 0), (None, 0)]
FALSY_VALUES: list[Any] = [False, 0, "", {}, []]


def keep_alive_of(sock: net.Socket) -> tuple[int, int]:
    raw = sock._transport.raw  # type: ignore[union-attr]
    assert raw is not None
    return (
        raw.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
        raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
    )


async def test_keep_alive_option(must_call: Any) -> None:
    with anyio.fail_after(20):
        async with net.open_runtime():

            def start(value: Any, delay: tuple[Any, int] | None) -> None:
                server = net.create_server()

                def on_listening() -> None:
                    port = server.address()["port"]  # type: ignore[index]
                    options: dict[str, Any] = {"port": port, "keepAlive": value}
                    if delay is not None and delay[0] is not None:
                        options["keepAliveInitialDelay"] = delay[0]

                    def on_connect() -> None:
                        enabled, idle = keep_alive_of(client)
                        if delay is None:
                            assert not enabled
                        else:
                            assert enabled
                            if delay[1]:
                                assert idle == delay[1]
                        client.end()

                    client = net.connect(options, must_call(on_connect))
                    client.on("end", must_call(lambda: server.close()))

                # Node listens on the wildcard address; loopback here.
                server.listen(0, "127.0.0.1", must_call(on_listening))

            for value in TRUTHY_VALUES:
                for delay in DELAYS:
                    start(value, delay)
            for value in FALSY_VALUES:
                start(value, None)
