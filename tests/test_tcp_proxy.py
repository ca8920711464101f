"""``examples/tcp_proxy.py``: a socket piped into another socket, both ways.

The slow test moves 1 GiB through the proxy (a subprocess) into a slow server and checks
that the proxy's RSS grows by less than 32 MiB (``bench/proxy_memory.py`` measures it).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from examples.tcp_proxy import start_proxy
from tests.helpers import LOCALHOST, closed_port, port_of
from tests.stream_helpers import closed

import anyio_net as net

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parent.parent


def upper_server() -> net.Server:
    """Collects the whole request, then answers it in upper case (half-open)."""

    def on_connection(conn: net.Socket) -> None:
        parts: list[bytes] = []
        conn.on("data", parts.append)
        conn.on("end", lambda: conn.end(b"".join(parts).upper()))

    server = net.create_server({"allowHalfOpen": True}, on_connection)
    server.listen(0, LOCALHOST)
    return server


async def test_proxy_forwards_the_request_and_the_whole_answer() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            target = upper_server()
            proxy = start_proxy(0, port_of(target))
            await net.once(proxy, "listening")
            client = net.connect(port_of(proxy), LOCALHOST)
            got: list[bytes] = []
            client.on("data", got.append)
            client.write(b"hello ")
            client.end(b"through a proxy")  # half-close: the answer still comes back
            await closed(client)
            proxy.close()
            target.close()
    assert b"".join(got) == b"HELLO THROUGH A PROXY"


async def test_proxy_moves_a_large_body_to_a_slow_target_intact() -> None:
    total = 16 * 1024 * 1024
    chunk = os.urandom(65536)
    sent, received = hashlib.sha256(), hashlib.sha256()
    with anyio.fail_after(30):
        async with net.open_runtime():
            done = anyio.Event()
            count = {"n": 0, "pauses": 0}

            async def on_connection(conn: net.Socket) -> None:
                async for data in conn:  # a slow consumer: paused mode, no read-ahead
                    received.update(data)
                    count["n"] += len(data)
                    if count["pauses"] < 20:
                        count["pauses"] += 1
                        await anyio.sleep(0.01)
                conn.end(b"ok")
                done.set()

            target = net.create_server({"allowHalfOpen": True}, on_connection)
            target.listen(0, LOCALHOST)
            proxy = start_proxy(0, port_of(target))
            await net.once(proxy, "listening")
            client = net.connect(port_of(proxy), LOCALHOST)
            answer: list[bytes] = []
            client.on("data", answer.append)
            blocked = 0
            for _ in range(total // len(chunk)):
                sent.update(chunk)
                if not client.write(chunk):
                    blocked += 1
                    await net.once(client, "drain")
            client.end()
            await done.wait()
            await closed(client)
            proxy.close()
            target.close()
    assert count["n"] == total
    assert sent.digest() == received.digest()
    assert b"".join(answer) == b"ok"
    assert blocked > 0  # the client was held back through the proxy


async def test_proxy_closes_the_client_when_the_target_refuses() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            proxy = start_proxy(0, closed_port())
            await net.once(proxy, "listening")
            client = net.connect(port_of(proxy), LOCALHOST)
            client.resume()
            client.write(b"anyone?")
            await closed(client)
            proxy.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["asyncio", "uvloop", "trio"])
def test_proxy_memory_stays_bounded_while_moving_a_gibibyte(backend: str) -> None:
    if not Path("/proc/self/status").exists():  # pragma: no cover - not Linux
        pytest.skip("reads the proxy's RSS from /proc")
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "proxy_memory.py"), "--backend", backend, "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    assert result["bytes"] == 1 << 30
    assert result["rss_growth_mib"] < 32, result
