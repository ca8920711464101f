# Rewritten from Node v20 test/parallel/test-net-better-error-messages-port-hostname.js
"""An error from the lookup reaches 'error' as it is: ``ENOTFOUND`` with ``hostname``, and
no ``port`` or ``host`` added to it."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-better-error-messages-port-hostname.js"),
    pytest.mark.anyio,
]

INVALID_HOST = "something.invalid"  # Node's common/internet addresses.INVALID_HOST
MOCKED_ERROR_CODE = "ENOTFOUND"
MOCKED_SYSCALL = "getaddrinfo"


class LookupFailure(Exception):
    """What Node's common/dns errorLookupMock builds: an Error with Node's fields."""

    def __init__(self, hostname: str) -> None:
        super().__init__(f"{MOCKED_SYSCALL} {MOCKED_ERROR_CODE} {hostname}")
        self.code = MOCKED_ERROR_CODE
        self.errno = MOCKED_ERROR_CODE
        self.syscall = MOCKED_SYSCALL
        self.hostname = hostname


def error_lookup_mock(hostname: str, dnsopts: Any, cb: Any) -> None:
    cb(LookupFailure(hostname))


async def test_lookup_error_is_emitted_as_given(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            c = net.create_connection(
                {"port": 0, "host": INVALID_HOST, "lookup": must_call(error_lookup_mock)}
            )
            c.on("connect", must_call(None, 0))

            def on_error(error: Any) -> None:
                assert not hasattr(error, "port")
                assert not hasattr(error, "host")
                assert isinstance(error, LookupFailure)
                assert error.errno == MOCKED_ERROR_CODE
                assert error.code == MOCKED_ERROR_CODE
                assert str(error) == "getaddrinfo ENOTFOUND something.invalid"
                assert error.hostname == INVALID_HOST
                assert error.syscall == "getaddrinfo"

            c.on("error", must_call(on_error))
