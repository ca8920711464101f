# Rewritten from Node v20 test/parallel/test-net-socket-connect-invalid-autoselectfamilyattempttimeout.js  # noqa: E501
from __future__ import annotations

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-socket-connect-invalid-autoselectfamilyattempttimeout.js"),
    pytest.mark.anyio,
]

# Left out: net.setDefaultAutoSelectFamilyAttemptTimeout() and its getter (the halves of
# the original that set the process-wide default); anyio-net has no module-level
# autoSelectFamily defaults, only the per-connect options.


@pytest.mark.parametrize("attempt_timeout", [-10, 0])
async def test_an_attempt_timeout_below_one_throws(attempt_timeout: int) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            with pytest.raises(ValueError) as info:
                net.connect(
                    {
                        "port": 8080,
                        "autoSelectFamily": True,
                        "autoSelectFamilyAttemptTimeout": attempt_timeout,
                    }
                )
            assert getattr(info.value, "code", None) == "ERR_OUT_OF_RANGE"
