# Rewritten from Node v20 test/parallel/test-net-isip.js
from __future__ import annotations

import pytest

import anyio_net as net

pytestmark = pytest.mark.node_port("test-net-isip.js")


class Stringy:
    """Python's twin of a JS object with its own ``toString()``: ``__str__``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


IS_IP_CASES: list[tuple[object, int]] = [
    ("127.0.0.1", 4),
    ("x127.0.0.1", 0),
    ("example.com", 0),
    ("0000:0000:0000:0000:0000:0000:0000:0000", 6),
    ("0000:0000:0000:0000:0000:0000:0000:0000::0000", 0),
    ("1050:0:0:0:5:600:300c:326b", 6),
    ("2001:252:0:1::2008:6", 6),
    ("2001:dead:beef:1::2008:6", 6),
    ("2001::", 6),
    ("2001:dead::", 6),
    ("2001:dead:beef::", 6),
    ("2001:dead:beef:1::", 6),
    ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 6),
    (":2001:252:0:1::2008:6:", 0),
    (":2001:252:0:1::2008:6", 0),
    ("2001:252:0:1::2008:6:", 0),
    ("2001:252::1::2008:6", 0),
    ("::2001:252:1:2008:6", 6),
    ("::2001:252:1:1.1.1.1", 6),
    ("::2001:252:1:255.255.255.255", 6),
    ("::2001:252:1:255.255.255.255.76", 0),
    ("fe80::2008%eth0", 6),
    ("fe80::2008%eth0.0", 6),
    ("fe80::2008%eth0@1", 0),
    ("::anything", 0),
    ("::1", 6),
    ("::", 6),
    ("0000:0000:0000:0000:0000:0000:12345:0000", 0),
    ("0", 0),
    ("", 0),
    # Node's isIP() (undefined) and isIP(null) are both None here.
    (None, 0),
    (123, 0),
    (True, 0),
    ({}, 0),
    (Stringy("::2001:252:1:255.255.255.255"), 6),
    (Stringy("127.0.0.1"), 4),
    (Stringy("bla"), 0),
]

IS_IPV4_CASES: list[tuple[object, bool]] = [
    ("127.0.0.1", True),
    ("example.com", False),
    ("2001:252:0:1::2008:6", False),
    ("", False),
    (None, False),
    (123, False),
    (True, False),
    ({}, False),
    (Stringy("::2001:252:1:255.255.255.255"), False),
    (Stringy("127.0.0.1"), True),
    (Stringy("bla"), False),
]

IS_IPV6_CASES: list[tuple[object, bool]] = [
    ("127.0.0.1", False),
    ("example.com", False),
    ("2001:252:0:1::2008:6", True),
    ("", False),
    (None, False),
    (123, False),
    (True, False),
    ({}, False),
    (Stringy("::2001:252:1:255.255.255.255"), True),
    (Stringy("127.0.0.1"), False),
    (Stringy("bla"), False),
]


@pytest.mark.parametrize(("value", "expected"), IS_IP_CASES)
def test_is_ip_returns_the_family_or_zero(value: object, expected: int) -> None:
    assert net.is_ip(value) == expected
    assert net.isIP(value) == expected


@pytest.mark.parametrize(("value", "expected"), IS_IPV4_CASES)
def test_is_ipv4(value: object, expected: bool) -> None:
    assert net.is_ipv4(value) is expected
    assert net.isIPv4(value) is expected


@pytest.mark.parametrize(("value", "expected"), IS_IPV6_CASES)
def test_is_ipv6(value: object, expected: bool) -> None:
    assert net.is_ipv6(value) is expected
    assert net.isIPv6(value) is expected
