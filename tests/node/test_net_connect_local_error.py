# Rewritten from Node v20 test/sequential/test-net-connect-local-error.js
"""A failed connect with ``localAddress``/``localPort`` carries both, on the error and in
its message (``... - Local (addr:port)``)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import closed_port, has_ipv6

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-local-error.js"), pytest.mark.anyio]

# common.PORT + n become ports that nothing listens on. Node's err.localAddress and
# err.localPort are local_address and local_port here.
EXPECTED_ERROR_CODES = ["ECONNREFUSED", "EADDRINUSE"]


def on_error(err: Any, options: dict[str, Any]) -> None:
    assert err.code in EXPECTED_ERROR_CODES
    assert err.syscall == "connect"
    assert err.local_port == options["localPort"]
    assert err.local_address == options["localAddress"]
    assert str(err) == (
        f"connect {err.code} {err.address}:{err.port} "
        f"- Local ({err.local_address}:{err.local_port})"
    )


async def test_ipv4_local_error(must_call: Any) -> None:
    options_ipv4 = {
        "port": closed_port(),
        "family": 4,
        "localPort": closed_port(),
        "localAddress": "127.0.0.1",
    }
    with anyio.fail_after(10):
        async with net.open_runtime():
            client_ipv4 = net.connect(options_ipv4)
            client_ipv4.on("error", must_call(lambda err: on_error(err, options_ipv4)))


@pytest.mark.skipif(not has_ipv6(), reason="ipv6 part of test, no IPv6 support")
async def test_ipv6_local_error(must_call: Any) -> None:
    options_ipv6 = {
        "host": "::1",
        "family": 6,
        "port": closed_port(),
        "localPort": closed_port(),
        "localAddress": "::1",
    }
    with anyio.fail_after(10):
        async with net.open_runtime():
            client_ipv6 = net.connect(options_ipv6)
            client_ipv6.on("error", must_call(lambda err: on_error(err, options_ipv6)))
