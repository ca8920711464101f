# Rewritten from Node v20 test/parallel/test-net-server-listen-options.js
"""Every ``listen()`` form listens; bad ports and bad options raise at the call."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-server-listen-options.js"), pytest.mark.anyio]


def close(server: net.Server) -> Callable[[], object]:
    return lambda: server.close()


async def test_listen_forms_without_host(must_call: Any) -> None:
    # These forms are the point of the test: they bind the OS's wildcard address.
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.listen().on("listening", must_call(close(server)))
            server = net.create_server()
            server.listen(must_call(close(server)))
            server = net.create_server()
            server.listen(0).on("listening", must_call(close(server)))
            server = net.create_server()
            server.listen({"port": 0}).on("listening", must_call(close(server)))


def listen_options(port: Any, cb: Any) -> net.Server:
    return net.create_server().listen({"port": port}, cb)


def listen_port(port: Any, cb: Any) -> net.Server:
    return net.create_server().listen(port, cb)


@pytest.mark.parametrize("listen", [listen_options, listen_port], ids=["{port}", "port"])
async def test_os_chosen_ports(listen: Any, must_call: Any) -> None:
    # Python's None plays both undefined and null.
    with anyio.fail_after(10):
        async with net.open_runtime():
            for port in ("0", 0, None, None):
                holder: list[net.Server] = []
                holder.append(listen(port, must_call(lambda h=holder: h[0].close())))


@pytest.mark.parametrize("listen", [listen_options, listen_port], ids=["{port}", "port"])
async def test_bad_ports_raise(listen: Any, must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            for port in (-1, math.nan, 123.456, 65536, math.inf, -math.inf):
                with pytest.raises(ValueError) as info:
                    listen(port, must_call(None, 0))
                assert info.value.code == "ERR_SOCKET_BAD_PORT"  # type: ignore[attr-defined]


async def test_port_is_checked_before_path(tmp_path: Path, must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(ValueError) as info:
                net.create_server().listen(
                    {"port": -1, "path": str(tmp_path / "sock")}, must_call(None, 0)
                )
            assert info.value.code == "ERR_SOCKET_BAD_PORT"  # type: ignore[attr-defined]


_MISSING = re.compile(
    r"^The argument 'options' must have the property \"port\" or \"path\"\. Received .+$"
)
_INVALID = re.compile(r"^The argument 'options' is invalid\. Received .+$")


@pytest.mark.parametrize(
    "options",
    [
        False,
        {"port": False},
        True,
        {"port": True},
        {"fd": -1},  # an invalid fd as listen(handle)
        {"path": -1},  # an invalid path in listen(options)
        # neither port nor path
        {},
        {"host": "localhost"},
        {"host": "localhost:3000"},
        {"host": {"port": 3000}},
        {"exclusive": True},
    ],
    ids=repr,
)
async def test_bad_options_raise(options: Any, must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(TypeError) as info:
                net.create_server().listen(options, must_call(None, 0))
            assert info.value.code == "ERR_INVALID_ARG_VALUE"  # type: ignore[attr-defined]
            if isinstance(options, dict) and "port" not in options and "path" not in options:
                assert _MISSING.match(str(info.value)), str(info.value)
            else:
                assert _INVALID.match(str(info.value)), str(info.value)
