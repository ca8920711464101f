# Rewritten from Node v20 test/parallel/test-net-options-lookup.js
"""A ``lookup`` option that is not a function raises; a function is accepted; a lookup
answering with an unknown address family fails with ``ERR_INVALID_ADDRESS_FAMILY``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import wait_for

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-options-lookup.js"), pytest.mark.anyio]


def connect_does_not_throw(lookup: Any) -> net.Socket:
    return net.connect({"host": "localhost", "port": 0, "lookup": lookup})


@pytest.mark.parametrize("value", ["foobar", 1, {}, []], ids=repr)
async def test_lookup_must_be_a_function(value: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(TypeError) as info:
                net.connect({"host": "localhost", "port": 0, "lookup": value})
            assert info.value.code == "ERR_INVALID_ARG_TYPE"  # type: ignore[attr-defined]


async def test_a_function_is_accepted() -> None:
    # The lookup never answers. As in Node, where the process then simply exits, nothing
    # keeps the runtime alive: the block ends and the socket goes with it.
    with anyio.fail_after(10):
        async with net.open_runtime():
            socket = connect_does_not_throw(lambda *args: None)
        assert socket.destroyed


async def test_invalid_address_family(must_call: Any) -> None:
    def lookup(host: str, options: dict[str, Any], cb: Any) -> None:
        if options["all"]:
            cb(None, [{"address": "127.0.0.1", "family": 100}])
        else:
            cb(None, "127.0.0.1", 100)

    with anyio.fail_after(10):
        async with net.open_runtime():
            s = connect_does_not_throw(lookup)
            s.on("error", must_call())
            (err,) = await wait_for(s, "error")
            assert isinstance(err, ValueError)  # Node's RangeError
            assert err.code == "ERR_INVALID_ADDRESS_FAMILY"  # type: ignore[attr-defined]
            assert err.host == "localhost"  # type: ignore[attr-defined]
            assert err.port == 0  # type: ignore[attr-defined]
            assert str(err) == "Invalid address family: 100 localhost:0"


async def test_invalid_address_family_single_answer(must_call: Any) -> None:
    # family: 4 asks the lookup for one answer (options["all"] false): the other branch.
    def lookup(host: str, options: dict[str, Any], cb: Any) -> None:
        assert not options["all"]
        cb(None, "127.0.0.1", 100)

    with anyio.fail_after(10):
        async with net.open_runtime():
            s = net.connect({"host": "localhost", "port": 0, "family": 4, "lookup": lookup})
            s.on("error", must_call())
            (err,) = await wait_for(s, "error")
            assert err.code == "ERR_INVALID_ADDRESS_FAMILY"
            assert str(err) == "Invalid address family: 100 localhost:0"
