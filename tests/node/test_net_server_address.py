# Rewritten from Node v20 test/sequential/test-net-server-address.js
"""``address()`` is ``{address, family, port}``; with no host the server is ``::`` (IPv6,
dual stack), for a given port and for an OS-chosen one."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import closed_port, has_ipv6

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-address.js"), pytest.mark.anyio]

# common.PORT + n becomes a port that was free a moment ago.

needs_ipv6 = pytest.mark.skipif(not has_ipv6(), reason="ipv6 part of test, no IPv6 support")


async def test_ipv4_address(must_call: Any) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.on("error", must_call(None, 0))

            def on_listening() -> None:
                address4 = server.address()
                assert isinstance(address4, dict)
                assert address4["address"] == "127.0.0.1"
                assert address4["port"] == port
                assert address4["family"] == "IPv4"
                server.close()

            server.listen(port, "127.0.0.1", must_call(on_listening))


@needs_ipv6
async def test_ipv6_localhost_address(must_call: Any) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.on("error", must_call(None, 0))

            def on_listening() -> None:
                address = server.address()
                assert isinstance(address, dict)
                assert address["address"] == "::1"
                assert address["port"] == port
                assert address["family"] == "IPv6"
                server.close()

            server.listen(port, "::1", must_call(on_listening))


@needs_ipv6
async def test_any_address_with_a_port(must_call: Any) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.on("error", must_call(None, 0))

            def on_listening() -> None:
                address = server.address()
                assert isinstance(address, dict)
                assert address["address"] == "::"
                assert address["port"] == port
                assert address["family"] == "IPv6"
                server.close()

            # Specify the port number.
            server.listen(port, must_call(on_listening))


@needs_ipv6
@pytest.mark.parametrize("args", [(), (0,)], ids=["no port", "port 0"])
async def test_any_address_without_a_port(args: tuple[Any, ...], must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.on("error", must_call(None, 0))

            def on_listening() -> None:
                address = server.address()
                assert isinstance(address, dict)
                assert address["address"] == "::"
                assert address["family"] == "IPv6"
                server.close()

            # No port, or a false-y one.
            server.listen(*args, must_call(on_listening))
