# Rewritten from Node v20 test/parallel/test-net-localerror.js
"""``localAddress: 'foobar'`` raises ``ERR_INVALID_IP_ADDRESS``; ``localPort: 'foobar'``
raises ``ERR_INVALID_ARG_TYPE``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-localerror.js"), pytest.mark.anyio]


def connect(opts: dict[str, Any], code: str, error_type: type[BaseException]) -> None:
    with pytest.raises(error_type) as info:
        net.connect(opts)
    assert info.value.code == code  # type: ignore[attr-defined]


async def test_bad_local_options_raise() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            connect(
                {"host": "localhost", "port": 0, "localAddress": "foobar"},
                "ERR_INVALID_IP_ADDRESS",
                TypeError,
            )
            connect(
                {"host": "localhost", "port": 0, "localPort": "foobar"},
                "ERR_INVALID_ARG_TYPE",
                TypeError,
            )
