# Rewritten from Node v20 test/parallel/test-net-connect-options-port.js
"""Port checks of every connect call shape, valid port spellings, and async refusals."""

from __future__ import annotations

import math
import re
import socket
from collections.abc import Callable
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-options-port.js"), pytest.mark.anyio]

# Node's doConnect: the six ways to start a connection, each resumed at once. ``get_cb``
# makes the callback for one call (passed to connect, or added as a 'connect' listener).
Maker = Callable[[], net.Socket]


def do_connect(args: list[Any], get_cb: Callable[[], Any]) -> list[Maker]:
    def create_connection_with_cb() -> net.Socket:
        return net.create_connection(*args, get_cb()).resume()

    def create_connection_without_cb() -> net.Socket:
        return net.create_connection(*args).on("connect", get_cb()).resume()

    def connect_with_cb() -> net.Socket:
        return net.connect(*args, get_cb()).resume()

    def connect_without_cb() -> net.Socket:
        return net.connect(*args).on("connect", get_cb()).resume()

    def socket_connect_with_cb() -> net.Socket:
        return net.Socket().connect(*args, get_cb()).resume()

    def socket_connect_without_cb() -> net.Socket:
        return net.Socket().connect(*args).on("connect", get_cb()).resume()

    return [
        create_connection_with_cb,
        create_connection_without_cb,
        connect_with_cb,
        connect_without_cb,
        socket_connect_with_cb,
        socket_connect_without_cb,
    ]


def sync_fail_to_connect(
    port: Any, error: type[Exception], code: str, must_not_call: Any, opt_only: bool = False
) -> None:
    family = 4
    shapes: list[list[Any]] = []
    if not opt_only:
        # connect(port[, cb]) and connect(port, host[, cb]): Node v20 writes these with
        # option objects; the positional forms are checked too (Node agrees on them).
        shapes.append([{"port": port, "family": family}])
        shapes.append([{"port": port, "host": "localhost", "family": family}])
        shapes.append([port])
        shapes.append([port, "localhost"])
    # connect({port}[, cb]) and connect({port, host}[, cb])
    shapes.append([{"port": port, "family": family}])
    shapes.append([{"port": port, "host": "localhost", "family": family}])
    for args in shapes:
        for fn in do_connect(args, must_not_call):
            with pytest.raises(error) as info:
                fn()
            assert info.value.code == code, f"{fn.__name__}({port!r})"  # type: ignore[attr-defined]


async def test_wrong_port_types_throw(must_not_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            for port, opt_only in ((True, False), (False, False), ([], True), ({}, True)):
                sync_fail_to_connect(
                    port, TypeError, "ERR_INVALID_ARG_TYPE", must_not_call, opt_only
                )
            sync_fail_to_connect(None, TypeError, "ERR_INVALID_ARG_TYPE", must_not_call)


async def test_out_of_range_ports_throw(must_not_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            for port, opt_only in (
                ("", False),
                (" ", False),
                ("0x", True),
                ("-0x1", True),
                (math.nan, False),
                (math.inf, False),
                (-1, False),
                (65536, False),
            ):
                sync_fail_to_connect(
                    port, ValueError, "ERR_SOCKET_BAD_PORT", must_not_call, opt_only
                )


async def test_invalid_hints_throw(must_not_call: Any) -> None:
    hints = (socket.AI_ADDRCONFIG | socket.AI_V4MAPPED | socket.AI_ALL) + 42
    with anyio.fail_after(5):
        async with net.open_runtime():
            for fn in do_connect([{"port": 42, "hints": hints}], must_not_call):
                with pytest.raises(TypeError) as info:
                    fn()
                assert info.value.code == "ERR_INVALID_ARG_VALUE"  # type: ignore[attr-defined]
                assert re.search(r"The argument 'hints' is invalid\. Received \d+", str(info.value))


async def test_valid_ports_connect_and_a_closed_port_fails_later(must_call: Any) -> None:
    expected_connections = 72
    counts = {"server": 0}
    errors: list[BaseException] = []
    with anyio.fail_after(30):
        async with net.open_runtime():
            server: net.Server

            def on_connection(sock: net.Socket) -> None:
                sock.end("ok")
                counts["server"] += 1
                if counts["server"] == expected_connections:
                    server.close()

            server = net.create_server(must_call(on_connection, expected_connections))

            def can_connect(port: Any) -> None:
                def noop() -> Any:
                    return must_call()

                family = 4
                for args in (
                    [{"port": port, "family": family}],
                    [{"port": port, "host": "localhost", "family": family}],
                    [{"port": port, "family": family}],
                    [{"port": port, "host": "localhost", "family": family}],
                ):
                    for fn in do_connect(args, noop):
                        fn()

            def async_fail_to_connect(port: int) -> None:
                def on_error() -> Any:
                    def check(err: BaseException) -> None:
                        errors.append(err)
                        assert re.match(r"^connect E\w+.+$", str(err)), str(err)

                    return must_call(check)

                def dont() -> Any:
                    return must_call(None, 0)

                family = 4
                for args in (
                    [{"port": port, "family": family}],
                    [{"port": port, "family": family}],
                    [{"port": port, "host": "localhost", "family": family}],
                ):
                    for fn in do_connect(args, dont):
                        fn().on("error", on_error())

            def on_listening() -> None:
                port = server.address()["port"]  # type: ignore[index]
                # Total connections = 3 * 4 (can_connect) * 6 (do_connect) = 72
                can_connect(port)
                can_connect(str(port))
                can_connect(f"0x{port:x}")

            server.listen(0, "127.0.0.1", must_call(on_listening))
            # Try connecting to a port nothing listens on, once the server is closed.
            server.on("close", lambda: async_fail_to_connect(0))
    assert len(errors) == 18
