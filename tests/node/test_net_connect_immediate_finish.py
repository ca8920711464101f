# Rewritten from Node v20 test/parallel/test-net-connect-immediate-finish.js
"""``end()`` while the host lookup is pending still ends in the lookup's ``'error'``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-connect-immediate-finish.js"), pytest.mark.anyio]

INVALID_HOST = "something.invalid"  # Node's common/internet addresses.INVALID_HOST
MOCKED_ERROR_CODE = "ENOTFOUND"  # Node's common/dns mockedErrorCode
MOCKED_SYSCALL = "getaddrinfo"  # Node's common/dns mockedSysCall


class LookupError_(Exception):
    """A plain error with the fields Node's errorLookupMock sets."""


def error_lookup_mock(code: str = MOCKED_ERROR_CODE, syscall: str = MOCKED_SYSCALL) -> Any:
    # Node's common/dns errorLookupMock: fail every lookup with a plain error.
    def lookup_with_error(hostname: str, _dnsopts: Any, cb: Any) -> None:
        err = LookupError_(f"{syscall} {code} {hostname}")
        err.code = code  # type: ignore[attr-defined]
        err.errno = code  # type: ignore[attr-defined]
        err.syscall = syscall  # type: ignore[attr-defined]
        err.hostname = hostname  # type: ignore[attr-defined]
        cb(err)

    return lookup_with_error


async def test_end_while_looking_up_still_errors(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            client = net.connect(
                {
                    "host": INVALID_HOST,
                    "port": 80,  # Port number doesn't matter because host name is invalid
                    "lookup": must_call(error_lookup_mock()),
                },
                must_call(None, 0),
            )

            def on_error(error: BaseException) -> None:
                assert not hasattr(error, "port")
                assert not hasattr(error, "host")
                assert error.code == MOCKED_ERROR_CODE  # type: ignore[attr-defined]
                assert error.errno == MOCKED_ERROR_CODE  # type: ignore[attr-defined]
                assert error.syscall == MOCKED_SYSCALL  # type: ignore[attr-defined]
                assert error.hostname == INVALID_HOST  # type: ignore[attr-defined]
                assert str(error) == "getaddrinfo ENOTFOUND something.invalid"

            client.once("error", must_call(on_error))
            client.end()
