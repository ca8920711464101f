# Rewritten from Node v20 test/parallel/test-net-connect-no-arg.js
"""``connect()``, ``connect({})``, ``Socket().connect()``, ``Socket().connect({})`` raise
``ERR_MISSING_ARGS``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-no-arg.js"), pytest.mark.anyio]

MESSAGE = 'The "options" or "port" or "path" argument must be specified'

CALLS: list[Callable[[], Any]] = [
    lambda: net.connect(),
    lambda: net.Socket().connect(),
    lambda: net.connect({}),
    lambda: net.Socket().connect({}),
]


async def test_connect_without_arguments_raises() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            for call in CALLS:
                with pytest.raises(TypeError) as info:
                    call()
                assert info.value.code == "ERR_MISSING_ARGS"  # type: ignore[attr-defined]
                assert str(info.value) == MESSAGE
