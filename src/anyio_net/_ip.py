"""IP address recognition with Node's grammar, address families and ``host:port`` text.

How it works:
- IPv4 is four dotted decimal bytes 0-255 with no leading zeros (``01.2.3.4`` is not an
  address), no surrounding text, nothing else (Node's ``isIPv4``, stricter than ``inet_aton``).
- IPv6 is eight groups of 1-4 hex digits, the last two may be an IPv4 address; one ``::``
  may stand for one or more zero groups (``1:2:3:4:5:6:7::`` is valid, ``::1::`` is not).
- An IPv6 address may end with a zone id: ``%`` then one or more ASCII letters, digits,
  ``-``, ``.`` or ``:`` (``fe80::1%eth0``; ``%a_b`` and a bare ``%`` are rejected).
  Python's ``ipaddress`` accepts any zone characters (``fe80::1%a b``), so it is not used.
- Matching is of the whole text: a trailing newline does not match (JS ``$``, not Python's).
- Only ASCII digits and letters count (no ``re.IGNORECASE``, which would let the Kelvin sign
  pass for ``k``).
- Non-``str`` input: Node applies ``String()`` first. Here ``None`` (Node's
  ``undefined``/``null``), ``bool`` and numbers never match, ``bytes``-like objects are
  ``False`` without being decoded, and any other object is judged by ``str(obj)``, so an
  ``ipaddress.IPv4Address`` is recognised (a list is not joined as JS would).
- Error messages show ``host:port`` only when the port is above 0, without brackets around
  IPv6 hosts (``connect ECONNREFUSED ::1:80``), as Node prints them.
"""

from __future__ import annotations

import re
import socket
from typing import Final, Literal

__all__ = ["family_name", "format_host_port", "is_ip", "is_ipv4", "is_ipv6"]

_OCTET: Final = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4: Final = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_GROUP: Final = r"[0-9A-Fa-f]{1,4}"


def _groups(low: int, high: int) -> str:
    """Between ``low`` and ``high`` groups, each followed by a colon."""
    return f"(?:{_GROUP}:){{{low},{high}}}"


def _ipv6_pattern() -> str:
    # Uncompressed: six groups, then two more groups or an IPv4 address.
    forms = [f"{_groups(6, 6)}(?:{_GROUP}:{_GROUP}|{_IPV4})"]
    # Compressed: `head` groups before "::", and room for at most 7 - head groups after it
    # (an IPv4 tail takes two), so that "::" always stands for at least one group.
    for head in range(8):
        before = "" if head == 0 else f"{_groups(head - 1, head - 1)}{_GROUP}"
        room = 7 - head
        tails = []
        if room >= 1:
            tails.append(f"{_groups(0, room - 1)}{_GROUP}")
        if room >= 2:
            tails.append(f"{_groups(0, room - 2)}{_IPV4}")
        after = f"(?:{'|'.join(tails)})?" if tails else ""
        forms.append(f"{before}::{after}")
    zone = r"(?:%[0-9A-Za-z.:-]+)?"
    return f"(?:{'|'.join(forms)}){zone}"


_IPV4_RE: Final = re.compile(_IPV4, re.ASCII)
_IPV6_RE: Final = re.compile(_ipv6_pattern(), re.ASCII)


def _as_text(value: object) -> str | None:
    """What Node's ``String(value)`` would be worth matching, or None when it never matches."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, int, float, complex)):
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return None
    return str(value)


def is_ipv4(s: object) -> bool:
    """Whether ``s`` is an IPv4 address in dotted decimal form (``"127.0.0.1"``).

    Leading zeros (``"01.2.3.4"``) and surrounding whitespace are rejected. Non-``str``
    objects are judged by ``str(obj)``; ``None``, numbers and bytes are never addresses.

    Node: ``net.isIPv4(input)``
    """
    text = _as_text(s)
    return text is not None and _IPV4_RE.fullmatch(text) is not None


def is_ipv6(s: object) -> bool:
    """Whether ``s`` is an IPv6 address, optionally with a zone id (``"fe80::1%eth0"``).

    Embedded IPv4 tails (``"::ffff:127.0.0.1"``) count. Non-``str`` objects are judged by
    ``str(obj)``; ``None``, numbers and bytes are never addresses.

    Node: ``net.isIPv6(input)``
    """
    text = _as_text(s)
    return text is not None and _IPV6_RE.fullmatch(text) is not None


def is_ip(s: object) -> int:
    """``4`` for an IPv4 address, ``6`` for an IPv6 address, ``0`` for anything else.

    Node: ``net.isIP(input)``
    """
    text = _as_text(s)
    if text is None:
        return 0
    if _IPV4_RE.fullmatch(text):
        return 4
    if _IPV6_RE.fullmatch(text):
        return 6
    return 0


def family_name(ip: str | int) -> Literal["IPv4", "IPv6"]:
    """The family name Node reports (``address().family``) for an address or family number.

    Args:
        ip: An address; any text with a colon is taken as IPv6, since addresses the OS
            reports may carry zone ids Node's grammar does not know. Or a family: ``4``/``6``
            or ``socket.AF_INET``/``socket.AF_INET6``.

    Returns:
        ``"IPv4"`` or ``"IPv6"``.

    Raises:
        ValueError: ``ip`` is neither (a plain one: layer 0 modules do not import each other).
    """
    if isinstance(ip, socket.AddressFamily):
        if ip == socket.AF_INET:
            return "IPv4"
        if ip == socket.AF_INET6:
            return "IPv6"
    elif isinstance(ip, int) and not isinstance(ip, bool):
        if ip == 4:
            return "IPv4"
        if ip == 6:
            return "IPv6"
    elif isinstance(ip, str):
        if is_ipv4(ip):
            return "IPv4"
        if ":" in ip:
            return "IPv6"
    raise ValueError(f"not an IP address or address family: {ip!r}")


def format_host_port(host: str | None, port: int | None) -> str:
    """``host:port`` as Node's messages print it.

    The port is shown only when above 0 (``"127.0.0.1:80"``; ``"/tmp/s.sock"`` for a path or
    port 0); IPv6 hosts are not bracketed (``"::1:80"``). ``None`` host gives ``""``.
    """
    if host is None:
        return ""
    if port is not None and not isinstance(port, bool) and port > 0:
        return f"{host}:{port}"
    return host
