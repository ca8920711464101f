# Rewritten from Node v20 test/parallel/test-net-dns-custom-lookup.js
"""A custom ``lookup(host, options, callback)`` is used and its answer reported."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import Waiter, has_ipv6, wait_for

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-dns-custom-lookup.js"), pytest.mark.anyio]


async def check(address_type: int, must_call: Any) -> None:
    address = "127.0.0.1" if address_type == 4 else "::1"

    async def lookup(host: str, dnsopts: dict[str, Any], cb: Any) -> None:
        dnsopts["family"] = address_type
        # Node answers on the next tick; here after a checkpoint, once lookup() returned.
        await anyio.lowlevel.checkpoint()
        if dnsopts["all"]:
            cb(None, [{"address": address, "family": address_type}])
        else:
            cb(None, address, address_type)

    async with net.open_runtime():
        server: net.Server

        def on_connection(client: net.Socket) -> None:
            client.end()
            server.close()

        def on_lookup(err: Any, ip: str, family: int, _host: str) -> None:
            assert err is None
            assert ip == address
            assert family == address_type

        def on_listening() -> None:
            net.connect(
                {
                    "port": server.address()["port"],  # type: ignore[index]
                    "host": "localhost",
                    "family": address_type,
                    "lookup": lookup,
                }
            ).on("lookup", must_call(on_lookup))

        server = net.create_server(on_connection)
        server.listen(0, address, must_call(on_listening))


async def test_custom_lookup_ipv4(must_call: Any) -> None:
    with anyio.fail_after(10):
        await check(4, must_call)


@pytest.mark.skipif(not has_ipv6(), reason="no IPv6 support")
async def test_custom_lookup_ipv6(must_call: Any) -> None:
    with anyio.fail_after(10):
        await check(6, must_call)


async def test_bad_lookup_ip_is_an_error(must_call: Any) -> None:
    # Verify that bad lookup() IPs are handled.
    def lookup(host: str, dnsopts: dict[str, Any], cb: Any) -> None:
        if dnsopts["all"]:
            cb(None, [{"address": None, "family": 4}])
        else:
            cb(None, None, 4)

    with anyio.fail_after(10):
        async with net.open_runtime():
            sock = net.connect({"host": "localhost", "port": 80, "lookup": lookup})
            sock.on("connect", must_call(None, 0))
            closed = Waiter(sock, "close")
            (err,) = await wait_for(sock, "error")
            assert err.code == "ERR_INVALID_IP_ADDRESS"
            assert await closed.wait() == (True,)
