# Rewritten from Node v20 test/parallel/test-net-listen-invalid-port.js
"""An out-of-range port is rejected in the options form, the port form and port+host."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-listen-invalid-port.js"), pytest.mark.anyio]

# Left out: the check of ``server._connectionKey`` (a private JS field).

INVALID_PORT = 2**32 - 1  # Node's ``-1 >>> 0``


async def test_listen_then_invalid_ports(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.Server()

            def on_listening() -> None:
                address = server.address()
                assert isinstance(address, dict)
                assert address["port"] > 0
                server.close()

            server.listen(0, "127.0.0.1", must_call(on_listening))

            with pytest.raises(ValueError) as info:
                net.Server().listen({"port": INVALID_PORT}, must_call(None, 0))
            assert info.value.code == "ERR_SOCKET_BAD_PORT"  # type: ignore[attr-defined]

            with pytest.raises(ValueError) as info:
                net.Server().listen(INVALID_PORT, must_call(None, 0))
            assert info.value.code == "ERR_SOCKET_BAD_PORT"  # type: ignore[attr-defined]

            with pytest.raises(ValueError) as info:
                net.Server().listen(INVALID_PORT, "0.0.0.0", must_call(None, 0))
            assert info.value.code == "ERR_SOCKET_BAD_PORT"  # type: ignore[attr-defined]
