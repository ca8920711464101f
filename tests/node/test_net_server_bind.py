# Rewritten from Node v20 test/sequential/test-net-server-bind.js
"""The ``listen()`` argument forms: callback only, port only, port + callback,
port + host + backlog + callback, port + backlog + callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, closed_port, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-bind.js"), pytest.mark.anyio]

# common.PORT + n becomes a loopback port that was free a moment ago.


async def test_callback_only_gets_an_os_port(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_not_call("connection"))

            def on_listening() -> None:
                assert port_of(server) > 100
                server.close()

            # The no-host form: binds the wildcard address.
            server.listen(must_call(on_listening))


async def test_port_without_callback(must_not_call: Callable[..., Any]) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_not_call("connection"))
            # The no-host form: binds the wildcard address.
            server.listen(port)
            # Node waits 100 ms for the bind; 'listening' says when it is done.
            await net.once(server, "listening")
            address = server.address()
            assert isinstance(address, dict)
            assert address["port"] == port
            # Node checks the private ``_connectionKey``; the address it encodes is
            # checked here instead.
            if address["family"] == "IPv6":
                assert address["address"] == "::"
            else:
                assert address["address"] == "0.0.0.0"
            server.close()


async def test_port_and_callback(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_not_call("connection"))

            def on_listening() -> None:
                assert port_of(server) == port
                server.close()

            # The no-host form: binds the wildcard address.
            server.listen(port, must_call(on_listening))


async def test_backlog_argument(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_not_call("connection"))

            def on_listening() -> None:
                assert port_of(server) == port
                server.close()

            # Node binds 0.0.0.0 here; loopback is enough for the backlog form.
            server.listen(port, LOCALHOST, 127, must_call(on_listening))


async def test_backlog_without_host(
    must_call: Callable[..., Any], must_not_call: Callable[..., Any]
) -> None:
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_not_call("connection"))

            def on_listening() -> None:
                assert port_of(server) == port
                server.close()

            # The no-host form: binds the wildcard address.
            server.listen(port, 127, must_call(on_listening))
