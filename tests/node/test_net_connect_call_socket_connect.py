# Rewritten from Node v20 test/parallel/test-net-connect-call-socket-connect.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-call-socket-connect.js"), pytest.mark.anyio]

# net.connect() must go through Socket.connect, so that code that wraps Socket.connect
# (APM tools, context propagation) sees every connection (nodejs/node#12342, #12852).


async def test_net_connect_calls_socket_connect(
    must_call: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    orig = net.Socket.connect

    def patched(self: net.Socket, *args: Any, **kwargs: Any) -> net.Socket:
        return orig(self, *args, **kwargs)

    monkeypatch.setattr(net.Socket, "connect", must_call(patched))
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_listening() -> None:
                port = port_of(server)

                def on_connect() -> None:
                    client.end()

                client = net.connect({"port": port, "host": LOCALHOST}, must_call(on_connect))
                client.on("end", must_call(lambda: server.close()))

            server.listen(0, LOCALHOST, must_call(on_listening))
