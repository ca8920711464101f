# Rewritten from Node v20 test/parallel/test-net-connect-after-destroy.js
"""``destroy()`` while the host lookup is pending does not crash later."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import closed_port

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-after-destroy.js"), pytest.mark.anyio]


async def test_destroy_right_after_connect_to_a_name(must_call: Any) -> None:
    # Node connects to 'google.com' port 80; a name that resolves on loopback stands in.
    with anyio.fail_after(10):
        async with net.open_runtime():
            c = net.create_connection(closed_port(), "localhost")
            c.on("connect", must_call(None, 0))
            c.on("error", must_call(None, 0))
            c.on("close", must_call())
            c.destroy()


async def test_destroy_while_the_lookup_is_pending(must_call: Any) -> None:
    # The same, with the socket destroyed while its lookup is truly still pending and
    # the lookup answering afterwards (Node: "we were destroyed while looking this up").
    answered = anyio.Event()
    with anyio.fail_after(10):
        async with net.open_runtime():
            pending: list[Any] = []

            def lookup(_host: str, _opts: Any, cb: Any) -> None:
                pending.append(cb)
                c.destroy()

            c = net.create_connection({"port": closed_port(), "host": "example", "lookup": lookup})
            c.on("connect", must_call(None, 0))
            c.on("error", must_call(None, 0))
            c.on("lookup", must_call(None, 0))
            c.on("close", must_call())
            await net.once(c, "close")
            pending[0](None, "127.0.0.1", 4)
            answered.set()
    assert answered.is_set()
