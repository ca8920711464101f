"""Tracing on the ``anyio_net`` logger (Node's ``NODE_DEBUG=net``): what it says, and that it
costs nothing when off."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, closed_port, port_of

import anyio_net as net
from anyio_net import _debug

pytestmark = pytest.mark.anyio

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


async def _exchange(chunks: int = 1) -> int:
    """A server and a client trade data and close; returns the server's port."""
    port = 0
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(conn: net.Socket) -> None:
                conn.pipe(conn)

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            port = port_of(server)
            client = net.connect(port, LOCALHOST)
            for _ in range(chunks):
                client.write(b"x")
            client.end()
            client.resume()
            client.on("close", lambda: server.close())
    return port


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "anyio_net"]


async def test_off_by_default_and_nothing_is_traced(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_trace(*args: Any) -> None:
        raise AssertionError(f"traced while off: {args!r}")

    monkeypatch.setattr(_debug, "trace", must_not_trace)
    monkeypatch.setattr(_debug, "deferred_event", must_not_trace)
    monkeypatch.setattr(_debug, "name_of", must_not_trace)
    caplog.set_level(logging.INFO)  # the application logs at INFO: we stay quiet
    await _exchange(chunks=3)
    assert _debug.enabled is False
    assert _messages(caplog) == []


async def test_debug_level_traces_each_handle_from_listen_to_close(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="anyio_net")
    port = await _exchange()
    text = "\n".join(_messages(caplog))
    server = re.search(rf"Server (\d+) listening on 127\.0\.0\.1:{port}\n", text)
    client = re.search(rf"Socket (\d+) connect to 127\.0\.0\.1:{port}\n", text)
    accepted = re.search(r"accept Socket (\d+) from 127\.0\.0\.1:\d+\n", text)
    assert server, text
    assert client, text
    assert accepted, text
    srv, cli, acc = f"Server {server[1]}", f"Socket {client[1]}", f"Socket {accepted[1]}"
    # Each handle's life in order; between handles, only what one causes in the other.
    # (end() is traced when it is called: before the connection is made.)
    for sequence in (
        ["runtime open", f"{srv} listening", f"{srv} accept", f"{srv} close: stop accepting"],
        [f"{cli} connect to", f"{cli} end(): finishing", f"{cli} connected to", f"{cli} close"],
        [f"{acc} end: the peer has finished", f"{acc} end(): finishing", f"{acc} close"],
        [f"{srv} listening", f"{cli} connect to"],
        [f"{cli} close (had_error=False)", f"{srv} close: stop accepting", "runtime closed"],
    ):
        positions = [text.find(line) for line in sequence]
        assert -1 not in positions, (sequence, text)
        assert positions == sorted(positions), (sequence, text)


async def test_errors_are_traced(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="anyio_net")
    port = closed_port()
    with anyio.fail_after(10):
        async with net.open_runtime():
            client = net.connect(port, LOCALHOST)
            client.on("error", lambda err: None)
    text = "\n".join(_messages(caplog))
    assert re.search(r"Socket \d+ destroy with .*ECONNREFUSED", text), text
    assert re.search(r"Socket \d+ error ECONNREFUSED: connect ECONNREFUSED", text), text
    assert re.search(r"Socket \d+ close \(had_error=True\)", text), text


async def test_an_uncaught_exception_is_traced(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="anyio_net")

    def boom() -> None:
        raise LookupError("from a listener")

    with anyio.fail_after(10), pytest.raises(LookupError):
        async with net.open_runtime():
            server = net.create_server()
            server.on("listening", boom)
            server.listen(0, LOCALHOST)
    assert any("uncaught exception" in m and "LookupError" in m for m in _messages(caplog))


async def test_the_trace_does_not_grow_with_the_data(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="anyio_net")
    await _exchange(chunks=1)
    few = len(_messages(caplog))
    caplog.clear()
    await _exchange(chunks=200)
    assert len(_messages(caplog)) == few


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_environment_variable_prints_like_node_debug(backend: str) -> None:
    port = closed_port()
    env = {**os.environ, "PYTHONPATH": SRC, "ANYIO_NET_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "anyio_net", "connect", LOCALHOST, str(port), "--backend", backend],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    pid = r"NET \d+: "
    assert any(re.fullmatch(pid + rf"Socket 1 connect to 127\.0\.0\.1:{port}", x) for x in lines)
    assert any(re.fullmatch(pid + r"Socket 1 error ECONNREFUSED: .*", x) for x in lines)


def test_environment_variable_unset_prints_nothing() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ANYIO_NET_DEBUG"}
    env["PYTHONPATH"] = SRC
    result = subprocess.run(
        [sys.executable, "-m", "anyio_net", "connect", LOCALHOST, str(closed_port())],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
    )
    assert result.returncode == 1
    assert "NET " not in result.stderr
    assert "ECONNREFUSED" in result.stderr


def test_name_of_numbers_handles_per_kind() -> None:
    class Thing:
        pass

    first, second = Thing(), Thing()
    a, b = _debug.name_of(first), _debug.name_of(second)
    assert a.startswith("Thing ")
    assert b.startswith("Thing ")
    assert int(b.split()[1]) == int(a.split()[1]) + 1
    assert _debug.name_of(first) == a


def test_endpoint_brackets_ipv6() -> None:
    assert _debug.endpoint("::1", 80) == "[::1]:80"
    assert _debug.endpoint("127.0.0.1", 80) == "127.0.0.1:80"
    assert _debug.endpoint("/tmp/x.sock") == "/tmp/x.sock"
