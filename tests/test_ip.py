"""is_ip / is_ipv4 / is_ipv6 follow Node's grammar; family names and host:port text.

The tables hold the edge cases of Node v20's test/parallel/test-net-isip.js, test-net-isipv4.js
and test-net-isipv6.js (inputs only, rewritten as data), plus zone ids and JS-vs-Python regex
differences. The needs_node test sends every table entry and thousands of random strings
through one node process and requires the same answer for each.
"""

from __future__ import annotations

import ipaddress
import json
import random
import socket
import subprocess
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anyio_net._ip import family_name, format_host_port, is_ip, is_ipv4, is_ipv6

V4 = [
    "0.0.0.0",
    "8.8.8.8",
    "127.0.0.1",
    "100.100.100.100",
    "192.168.0.1",
    "18.101.25.153",
    "123.23.34.2",
    "172.26.168.134",
    "212.58.241.131",
    "128.0.0.0",
    "23.71.254.72",
    "223.255.255.255",
    "192.0.2.235",
    "255.255.255.255",
    "1.2.3.4",
    "10.0.0.9",
    "249.250.251.199",
]

NOT_V4 = [
    ".100.100.100.100",
    "100..100.100.100.",
    "100.100.100.100.",
    "999.999.999.999",
    "256.256.256.256",
    "256.100.100.100.100",
    "123.123.123",
    "http://123.123.123",
    "1000.2.3.4",
    "999.2.3.4",
    "0000000192.168.0.200",
    "192.168.0.2000000000",
    "01.2.3.4",
    "1.02.3.4",
    "1.2.3.004",
    "00.0.0.0",
    "1.2.3.4\n",
    "\n1.2.3.4",
    " 1.2.3.4",
    "1.2.3.4 ",
    "1.2.3.4%eth0",
    "1.2.3.4/32",
    "1.2.3.4:80",
    "1.2.3",
    "1.2.3.4.5",
    "1.2.3.-4",
    "+1.2.3.4",
    "1.2.3.0x4",
    "١.٢.٣.٤",  # Arabic-Indic digits
    "１.２.３.４",  # fullwidth digits
    "1。2。3。4",  # ideographic full stops
    "",
    "0",
    "x127.0.0.1",
    "example.com",
    "localhost",
]

V6 = [
    "::",
    "1::",
    "::1",
    "1::8",
    "1::7:8",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6::8",
    "1:2:3:4:5:6:7::",
    "1:2:3:4:5::7:8",
    "1:2:3:4:5::8",
    "1:2:3::8",
    "1::4:5:6:7:8",
    "1::3:4:5:6:7:8",
    "::2:3:4:5:6:7:8",
    "1:2::8",
    "2001:0000:1234:0000:0000:C1C0:ABCD:0876",
    "3ffe:0b00:0000:0000:0001:0000:0000:000a",
    "FF02:0000:0000:0000:0000:0000:0000:0001",
    "0000:0000:0000:0000:0000:0000:0000:0000",
    "::ffff:192.168.1.26",
    "::FFFF:129.144.52.38",
    "::ffff:0:0",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5::1.2.3.4",
    "1:2:3:4::1.2.3.4",
    "1:2:3::1.2.3.4",
    "1::1.2.3.4",
    "1:2:3:4::5:1.2.3.4",
    "1::5:11.22.33.44",
    "fe80::217:f2ff:254.7.237.98",
    "0:0:0:0:0:0:13.1.68.3",
    "::13.1.68.3",
    "::1.2.3.4",
    "2001:db8:85a3::8a2e:370:7334",
    "a:bb:ccc:dddd:000e:00f:0f::",
    "A:BB:CCC:DDDD:000E:00F:0F::",
    "::a:b:c:d:e:f:f1",
    "a:b:c:d:e:f:f1::",
    "2001:252:0:1::2008:6",
    "::2001:252:1:255.255.255.255",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fe80::7:8%eth0",
    "fe80::7:8%1",
    "fe80::1%a-b",
    "fe80::1%a.b",
    "fe80::1%a:b",
    "fe80::1%::1",
    "fe80::1%ETH0.100",
    "::1.2.3.4%x",
    "::%0",
]

NOT_V6 = [
    "",
    "1:",
    ":1",
    "11:36:12",
    "02001:0000:1234:0000:0000:C1C0:ABCD:0876",
    "2001:0000:1234:0000:00001:C1C0:ABCD:0876",
    "2001:0000:1234: 0000:0000:C1C0:ABCD:0876",
    "2001:1:1:1:1:1:255Z255X255Y255",
    "3ffe:0b00:0000:0001:0000:0000:000a",
    "FF02:0000:0000:0000:0000:0000:0000:0000:0001",
    "3ffe:b00::1::a",
    "::1111:2222:3333:4444:5555:6666::",
    "1:2:3::4:5::7:8",
    "12345::6:7:8",
    "1::5:400.2.3.4",
    "1::5:256.2.3.4",
    "1::5:1.2.3.256",
    "1::300.2.3.4",
    "::1.2.3.900",
    "::3000.30.30.30",
    "2001:DB8:0:0:8:800:200C:417A:221",
    "FF01::101::2",
    "1111:2222:3333:4444::5555:",
    "::5555:",
    ":::",
    "1111:",
    ":",
    ":1111::5555",
    ":::5555",
    "1.2.3.4:1111::5555",
    "1.2.3.4::",
    "fe80:0000:0000:0000:0204:61ff:254.157.241.086",
    "123",
    "ldkfj",
    "2001::FFD3::57ab",
    "2001:db8:85a3::8a2e:37023:7334",
    "2001:db8:85a3::8a2e:370k:7334",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    "1:::3:4:5",
    "::ffff:2.3.4",
    "::ffff:257.1.2.3",
    "::ffff:01.2.3.4",
    "2001:0000:1234:0000:0000:C1C0:ABCD:0876 0",
    "1:2:3:4:5:6::1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::1::",
    ":1::",
    "0000:0000:0000:0000:0000:0000:0000:0000::0000",
    "0000:0000:0000:0000:0000:0000:12345:0000",
    "::anything",
    "::1\n",
    "::1 ",
    "[::1]",
    "[::1]:80",
    "fe80::1%",
    "fe80::1%a,b",
    "fe80::1%a_b",
    "fe80::1%a b",
    "fe80::1%é",
    "fe80::1%%",
    "fe80::1%eth0\n",
    "::ﬀ",  # the "ff" ligature
    "::\u212a",  # Kelvin sign, case-folds to k under re.IGNORECASE
    "::０",
    "1.2.3.4%x",
]


@pytest.mark.parametrize("text", V4)
def test_ipv4_addresses_are_version_4(text: str) -> None:
    assert is_ipv4(text) is True
    assert is_ipv6(text) is False
    assert is_ip(text) == 4


@pytest.mark.parametrize("text", NOT_V4)
def test_non_ipv4_text_is_not_ipv4(text: str) -> None:
    assert is_ipv4(text) is False
    assert is_ip(text) != 4


@pytest.mark.parametrize("text", V6)
def test_ipv6_addresses_are_version_6(text: str) -> None:
    assert is_ipv6(text) is True
    assert is_ipv4(text) is False
    assert is_ip(text) == 6


@pytest.mark.parametrize("text", NOT_V6)
def test_non_ipv6_text_is_not_ipv6(text: str) -> None:
    assert is_ipv6(text) is False
    assert is_ip(text) != 6


class _Shows:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        (True, 0),
        (False, 0),
        (123, 0),
        (1.5, 0),
        (float("nan"), 0),
        (complex(1, 2), 0),
        (b"1.2.3.4", 0),
        (bytearray(b"::1"), 0),
        (memoryview(b"::1"), 0),
        ({}, 0),
        ([], 0),
        (["127.0.0.1"], 0),  # JS would join the array; Python's str() shows brackets
        (ipaddress.IPv4Address("10.1.2.3"), 4),
        (ipaddress.IPv6Address("::1"), 6),
        (_Shows("::2001:252:1:255.255.255.255"), 6),
        (_Shows("127.0.0.1"), 4),
        (_Shows("bla"), 0),
    ],
)
def test_non_str_input_is_judged_by_str(value: object, expected: int) -> None:
    assert is_ip(value) == expected
    assert is_ipv4(value) is (expected == 4)
    assert is_ipv6(value) is (expected == 6)


def test_str_subclass_is_judged_by_its_value() -> None:
    class Host(str):
        def __str__(self) -> str:
            return "nonsense"

    assert is_ip(Host("127.0.0.1")) == 4


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_ipv4_address_in_dotted_form_is_accepted(number: int) -> None:
    text = str(ipaddress.IPv4Address(number))
    assert is_ipv4(text)
    assert is_ip(text) == 4
    assert is_ipv6(f"::ffff:{text}")


@given(
    st.integers(min_value=0, max_value=2**128 - 1),
    st.sampled_from(["compressed", "exploded", "mapped", "upper"]),
    st.none() | st.from_regex(r"[0-9A-Za-z.:-]{1,12}", fullmatch=True),
)
def test_every_ipv6_address_is_accepted(number: int, form: str, zone: str | None) -> None:
    address = ipaddress.IPv6Address(number)
    if form == "compressed":
        text = address.compressed
    elif form == "exploded":
        text = address.exploded
    elif form == "upper":
        text = address.compressed.upper()
    else:  # the last 32 bits written as IPv4
        head = address.exploded.rsplit(":", 2)[0]
        text = f"{head}:{ipaddress.IPv4Address(number & 0xFFFFFFFF)}"
    if zone is not None:
        text = f"{text}%{zone}"
    assert is_ipv6(text)
    assert is_ip(text) == 6
    assert not is_ipv4(text)


_IP_ALPHABET = st.sampled_from([*"0123456789abcdefABCDEF:.:%", "::", "ff", "255", "0."])


@given(st.text(min_size=0, max_size=50) | st.lists(_IP_ALPHABET, max_size=30).map("".join))
def test_is_ip_agrees_with_is_ipv4_and_is_ipv6(text: str) -> None:
    version = is_ip(text)
    assert version in (0, 4, 6)
    assert is_ipv4(text) is (version == 4)
    assert is_ipv6(text) is (version == 6)


@given(st.text(max_size=50) | st.lists(_IP_ALPHABET, max_size=30).map("".join))
def test_without_zone_ids_python_ipaddress_agrees(text: str) -> None:
    # ipaddress differs only in the zone id characters it allows, so leave zones out.
    if "%" in text:
        text = text.replace("%", "")
    expected: int
    try:
        expected = ipaddress.ip_address(text).version
    except ValueError:
        expected = 0
    assert is_ip(text) == expected


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("127.0.0.1", "IPv4"),
        ("0.0.0.0", "IPv4"),
        ("::", "IPv6"),
        ("::1", "IPv6"),
        ("::ffff:127.0.0.1", "IPv6"),
        ("fe80::1%eth0", "IPv6"),
        ("fe80::1%veth_1@if2", "IPv6"),  # the OS may report zones Node's grammar refuses
        (4, "IPv4"),
        (6, "IPv6"),
        (socket.AF_INET, "IPv4"),
        (socket.AF_INET6, "IPv6"),
    ],
)
def test_family_name(value: str | int, name: str) -> None:
    assert family_name(value) == name


@pytest.mark.parametrize("value", ["", "localhost", "01.2.3.4", 0, 5, True, socket.AF_UNIX])
def test_family_name_refuses_what_is_no_address(value: Any) -> None:
    with pytest.raises(ValueError, match="not an IP address"):
        family_name(value)


@pytest.mark.parametrize(
    ("host", "port", "text"),
    [
        ("127.0.0.1", 1, "127.0.0.1:1"),
        ("::1", 80, "::1:80"),
        ("::", 8124, ":::8124"),
        ("fe80::1%eth0", 443, "fe80::1%eth0:443"),
        ("1.1.1.1", 0, "1.1.1.1"),
        ("/tmp/x.sock", None, "/tmp/x.sock"),
        ("/tmp/x.sock", -1, "/tmp/x.sock"),
        ("example.com", 65535, "example.com:65535"),
        (None, 80, ""),
        (None, None, ""),
    ],
)
def test_format_host_port_like_node_messages(host: str | None, port: int | None, text: str) -> None:
    assert format_host_port(host, port) == text


# -- differential test against node ------------------------------------------------------

_NODE_IS_IP = r"""
const net = require('net');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = lines.map((line) => {
  const s = JSON.parse(line);
  return JSON.stringify([net.isIP(s), net.isIPv4(s), net.isIPv6(s)]);
});
process.stdout.write(out.join('\n') + '\n');
"""


def _random_corpus(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pieces = [*"0123456789abcdefABCDEFxX:.%-_ /", "::", "ff", "255", "256", "00", "fe80", "%eth0"]
    corpus: list[str] = []
    for _ in range(count // 4):  # random strings from address-like pieces
        corpus.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))))
    for _ in range(count // 4):  # valid addresses, some with zone ids
        if rng.random() < 0.3:
            corpus.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
        else:
            address = ipaddress.IPv6Address(rng.getrandbits(128) >> rng.choice([0, 16, 64, 112]))
            text = rng.choice([address.compressed, address.exploded])
            if rng.random() < 0.3:
                text += "%" + "".join(rng.choice("az09.:-_%") for _ in range(rng.randint(0, 4)))
            corpus.append(text)
    for _ in range(count // 4):  # valid addresses with one character changed
        base = rng.choice(corpus[count // 4 : count // 2] or ["::1"])
        spot = rng.randrange(len(base) + 1)
        char = rng.choice([*pieces, "\n", "\u00a0", "１", "\u212a"])
        kind = rng.randrange(3)
        if kind == 0:
            corpus.append(base[:spot] + char + base[spot:])
        elif kind == 1:
            corpus.append(base[:spot] + base[spot + 1 :])
        else:
            corpus.append(base[:spot] + char + base[spot + 1 :])
    for _ in range(count - len(corpus)):  # anything at all, lone surrogates included
        corpus.append("".join(chr(rng.randrange(0x110000)) for _ in range(rng.randint(0, 8))))
    return corpus


@pytest.mark.needs_node
def test_node_agrees_on_every_string(node: str) -> None:
    corpus = [*V4, *NOT_V4, *V6, *NOT_V6, *_random_corpus(4000, seed=20)]
    assert len(corpus) >= 2000
    payload = "".join(json.dumps(text) + "\n" for text in corpus)
    proc = subprocess.run(
        [node, "-e", _NODE_IS_IP],
        input=payload.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    answers = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(answers) == len(corpus)
    wrong = [
        (text, answer)
        for text, answer in zip(corpus, answers, strict=True)
        if [is_ip(text), is_ipv4(text), is_ipv6(text)] != answer
    ]
    assert not wrong, wrong[:20]
