"""Tests for anyio_net._encoding: Node's Buffer encodings and StringDecoder, byte for byte.

The literal tables below were produced by node v20 (Buffer.from, buf.toString and
StringDecoder) and are checked again, with random input, by the needs_node test at the end.
"""

from __future__ import annotations

import array
import itertools
import json
import random
import shutil
import subprocess
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anyio_net._encoding import BytesLike, decode, encode, make_decoder, normalize_encoding

ENCODINGS = ["utf8", "utf16le", "latin1", "ascii", "hex", "base64", "base64url"]
ALIASES = {
    "utf8": "utf8",
    "utf-8": "utf8",
    "ucs2": "utf16le",
    "ucs-2": "utf16le",
    "utf16le": "utf16le",
    "utf-16le": "utf16le",
    "latin1": "latin1",
    "binary": "latin1",
    "base64": "base64",
    "base64url": "base64url",
    "hex": "hex",
    "ascii": "ascii",
}
UNKNOWN_NAMES = [
    "utf16",
    "utf-16",
    "utf32",
    "latin-1",
    "iso-8859-1",
    "buffer",
    "undefined",
    "null",
    " utf8",
    "utf8 ",
    "utf_8",
    "base-64",
    "ucs-2le",
    "utf8\x00",
]


def units(text: str) -> str:
    """The UTF-16 code units of a string, as hex: how JS sees it."""
    return text.encode("utf-16-le", "surrogatepass").hex()


def from_units(hex_units: str) -> str:
    return bytes.fromhex(hex_units).decode("utf-16-le", "surrogatepass")


def run_decoder(
    encoding: str, chunks: Sequence[BytesLike], last: BytesLike | None = None
) -> list[str]:
    decoder = make_decoder(encoding)
    outputs = [decoder.write(chunk) for chunk in chunks]
    outputs.append(decoder.end(last))
    return outputs


def cut(data: bytes, points: list[int]) -> list[bytes]:
    bounds = [0, *sorted(min(point, len(data)) for point in points), len(data)]
    return [data[start:stop] for start, stop in itertools.pairwise(bounds)]


def whole_pairs_split(encoding: str, chunk_sizes: list[int], node_outputs: list[str]) -> list[str]:
    """Node's StringDecoder outputs as ours: utf16le never cuts a surrogate pair in two.

    Node emits the high half when an odd byte follows it at a chunk boundary (JS re-pairs
    on concatenation; Python would not), so for utf16le our write() after k chunks has
    emitted every complete code unit but a trailing high surrogate. Other encodings: as is.
    """
    if encoding != "utf16le":
        return node_outputs
    total = "".join(units(output) for output in node_outputs)
    code_units = [int(total[i + 2 : i + 4] + total[i : i + 2], 16) for i in range(0, len(total), 4)]
    outputs, done, received = [], 0, 0
    for size in chunk_sizes:
        received += size
        ready = received // 2
        if ready and 0xD800 <= code_units[ready - 1] <= 0xDBFF:
            ready -= 1
        ready = max(ready, done)
        outputs.append(from_units(total[done * 4 : ready * 4]))
        done = ready
    outputs.append(from_units(total[done * 4 :]))
    return outputs


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "canonical"), ALIASES.items())
def test_normalize_every_node_name_in_any_case(name: str, canonical: str) -> None:
    for spelling in (name, name.upper(), name.title(), name.swapcase(), name.capitalize()):
        assert normalize_encoding(spelling) == canonical


def test_normalize_none_and_empty_mean_utf8() -> None:
    # Node: write(s, undefined | ""), setEncoding(undefined | "") all mean utf8
    assert normalize_encoding(None) == "utf8"
    assert normalize_encoding("") == "utf8"
    assert make_decoder(None).encoding == "utf8"
    assert encode("é", None) == b"\xc3\xa9"
    assert decode(b"\xc3\xa9", None) == "é"


@pytest.mark.parametrize("name", UNKNOWN_NAMES)
def test_unknown_name_raises_err_unknown_encoding(name: str) -> None:
    for call in (
        lambda: normalize_encoding(name),
        lambda: encode("x", name),
        lambda: decode(b"x", name),
        lambda: make_decoder(name),
    ):
        with pytest.raises(Exception) as info:  # the code and both classes are what matter
            call()
        err = info.value
        assert getattr(err, "code", None) == "ERR_UNKNOWN_ENCODING"
        assert isinstance(err, TypeError)
        assert isinstance(err, ValueError)


def test_non_string_name_raises_err_unknown_encoding() -> None:
    with pytest.raises(TypeError) as info:
        normalize_encoding(5)  # type: ignore[arg-type]
    assert getattr(info.value, "code", None) == "ERR_UNKNOWN_ENCODING"


def test_decoder_reports_canonical_encoding() -> None:
    for name, canonical in ALIASES.items():
        assert make_decoder(name.upper()).encoding == canonical


# --- Buffer.from(text, encoding) ----------------------------------------------------------

# (encoding, text, Buffer.from(text, encoding) as hex) from node v20
ENCODE_TABLE: list[tuple[str, str, str]] = [
    ("utf8", "", ""),
    ("utf8", "hello", "68656c6c6f"),
    ("utf8", "h\xe9llo w\xf6rld", "68c3a96c6c6f2077c3b6726c64"),
    ("utf8", "\u20ac", "e282ac"),
    ("utf8", "\U0001f600", "f09f9880"),
    ("utf8", "\ud800", "efbfbd"),
    ("utf8", "\udfff", "efbfbd"),
    ("utf8", "a\ud83d", "61efbfbd"),
    ("utf8", "\ude00\ud83d", "efbfbdefbfbd"),
    ("utf8", "\ud83d\ud83d\ude00", "efbfbdf09f9880"),
    ("utf8", "a\udc00b", "61efbfbd62"),
    ("utf8", "a\u0161\U0001f600", "61c5a1f09f9880"),
    ("utf8", "\xff\u0100", "c3bfc480"),
    ("utf8", "\u0161\u0162", "c5a1c5a2"),
    ("utf8", "ab\u0161\u0162", "6162c5a1c5a2"),
    ("utf8", "abc", "616263"),
    ("utf8", "abzz12", "61627a7a3132"),
    ("utf8", "0g12", "30673132"),
    ("utf8", " 0A1b", "2030413162"),
    ("utf8", "DEADbeef", "4445414462656566"),
    ("utf8", "\u0151\u0151\u0151\u0151", "c591c591c591c591"),
    ("utf8", "QUJD\u013dQUJD", "51554a44c4bd51554a44"),
    ("utf8", "QQ==QUJD", "51513d3d51554a44"),
    ("utf8", " Q U J D ", "20512055204a204420"),
    ("utf8", "QR", "5152"),
    ("utf8", "Q", "51"),
    ("utf8", "QUJDQ", "51554a4451"),
    ("utf8", "-_-_", "2d5f2d5f"),
    ("utf8", "+/+/", "2b2f2b2f"),
    ("utf8", "QUJ=D", "51554a3d44"),
    ("utf8", "AQID BA==", "415149442042413d3d"),
    ("utf8", "AQIDBA", "415149444241"),
    ("utf8", "YW\nJj\t", "59570a4a6a09"),
    ("utf8", "YWJj====YWJj", "59574a6a3d3d3d3d59574a6a"),
    ("utf8", "Y.W*J!j", "592e572a4a216a"),
    ("utf8", "\xe9\xe9QUJD", "c3a9c3a951554a44"),
    ("utf16le", "", ""),
    ("utf16le", "hello", "680065006c006c006f00"),
    ("utf16le", "h\xe9llo w\xf6rld", "6800e9006c006c006f0020007700f60072006c006400"),
    ("utf16le", "\u20ac", "ac20"),
    ("utf16le", "\U0001f600", "3dd800de"),
    ("utf16le", "\ud800", "00d8"),
    ("utf16le", "\udfff", "ffdf"),
    ("utf16le", "a\ud83d", "61003dd8"),
    ("utf16le", "\ude00\ud83d", "00de3dd8"),
    ("utf16le", "\ud83d\ud83d\ude00", "3dd83dd800de"),
    ("utf16le", "a\udc00b", "610000dc6200"),
    ("utf16le", "a\u0161\U0001f600", "610061013dd800de"),
    ("utf16le", "\xff\u0100", "ff000001"),
    ("utf16le", "\u0161\u0162", "61016201"),
    ("utf16le", "ab\u0161\u0162", "6100620061016201"),
    ("utf16le", "abc", "610062006300"),
    ("utf16le", "abzz12", "610062007a007a0031003200"),
    ("utf16le", "0g12", "3000670031003200"),
    ("utf16le", " 0A1b", "20003000410031006200"),
    ("utf16le", "DEADbeef", "44004500410044006200650065006600"),
    ("utf16le", "\u0151\u0151\u0151\u0151", "5101510151015101"),
    ("utf16le", "QUJD\u013dQUJD", "510055004a0044003d01510055004a004400"),
    ("utf16le", "QQ==QUJD", "510051003d003d00510055004a004400"),
    ("utf16le", " Q U J D ", "200051002000550020004a00200044002000"),
    ("utf16le", "QR", "51005200"),
    ("utf16le", "Q", "5100"),
    ("utf16le", "QUJDQ", "510055004a0044005100"),
    ("utf16le", "-_-_", "2d005f002d005f00"),
    ("utf16le", "+/+/", "2b002f002b002f00"),
    ("utf16le", "QUJ=D", "510055004a003d004400"),
    ("utf16le", "AQID BA==", "41005100490044002000420041003d003d00"),
    ("utf16le", "AQIDBA", "410051004900440042004100"),
    ("utf16le", "YW\nJj\t", "590057000a004a006a000900"),
    ("utf16le", "YWJj====YWJj", "590057004a006a003d003d003d003d00590057004a006a00"),
    ("utf16le", "Y.W*J!j", "59002e0057002a004a0021006a00"),
    ("utf16le", "\xe9\xe9QUJD", "e900e900510055004a004400"),
    ("latin1", "", ""),
    ("latin1", "hello", "68656c6c6f"),
    ("latin1", "h\xe9llo w\xf6rld", "68e96c6c6f2077f6726c64"),
    ("latin1", "\u20ac", "ac"),
    ("latin1", "\U0001f600", "3d00"),
    ("latin1", "\ud800", "00"),
    ("latin1", "\udfff", "ff"),
    ("latin1", "a\ud83d", "613d"),
    ("latin1", "\ude00\ud83d", "003d"),
    ("latin1", "\ud83d\ud83d\ude00", "3d3d00"),
    ("latin1", "a\udc00b", "610062"),
    ("latin1", "a\u0161\U0001f600", "61613d00"),
    ("latin1", "\xff\u0100", "ff00"),
    ("latin1", "\u0161\u0162", "6162"),
    ("latin1", "ab\u0161\u0162", "61626162"),
    ("latin1", "abc", "616263"),
    ("latin1", "abzz12", "61627a7a3132"),
    ("latin1", "0g12", "30673132"),
    ("latin1", " 0A1b", "2030413162"),
    ("latin1", "DEADbeef", "4445414462656566"),
    ("latin1", "\u0151\u0151\u0151\u0151", "51515151"),
    ("latin1", "QUJD\u013dQUJD", "51554a443d51554a44"),
    ("latin1", "QQ==QUJD", "51513d3d51554a44"),
    ("latin1", " Q U J D ", "20512055204a204420"),
    ("latin1", "QR", "5152"),
    ("latin1", "Q", "51"),
    ("latin1", "QUJDQ", "51554a4451"),
    ("latin1", "-_-_", "2d5f2d5f"),
    ("latin1", "+/+/", "2b2f2b2f"),
    ("latin1", "QUJ=D", "51554a3d44"),
    ("latin1", "AQID BA==", "415149442042413d3d"),
    ("latin1", "AQIDBA", "415149444241"),
    ("latin1", "YW\nJj\t", "59570a4a6a09"),
    ("latin1", "YWJj====YWJj", "59574a6a3d3d3d3d59574a6a"),
    ("latin1", "Y.W*J!j", "592e572a4a216a"),
    ("latin1", "\xe9\xe9QUJD", "e9e951554a44"),
    ("ascii", "", ""),
    ("ascii", "hello", "68656c6c6f"),
    ("ascii", "h\xe9llo w\xf6rld", "68e96c6c6f2077f6726c64"),
    ("ascii", "\u20ac", "ac"),
    ("ascii", "\U0001f600", "3d00"),
    ("ascii", "\ud800", "00"),
    ("ascii", "\udfff", "ff"),
    ("ascii", "a\ud83d", "613d"),
    ("ascii", "\ude00\ud83d", "003d"),
    ("ascii", "\ud83d\ud83d\ude00", "3d3d00"),
    ("ascii", "a\udc00b", "610062"),
    ("ascii", "a\u0161\U0001f600", "61613d00"),
    ("ascii", "\xff\u0100", "ff00"),
    ("ascii", "\u0161\u0162", "6162"),
    ("ascii", "ab\u0161\u0162", "61626162"),
    ("ascii", "abc", "616263"),
    ("ascii", "abzz12", "61627a7a3132"),
    ("ascii", "0g12", "30673132"),
    ("ascii", " 0A1b", "2030413162"),
    ("ascii", "DEADbeef", "4445414462656566"),
    ("ascii", "\u0151\u0151\u0151\u0151", "51515151"),
    ("ascii", "QUJD\u013dQUJD", "51554a443d51554a44"),
    ("ascii", "QQ==QUJD", "51513d3d51554a44"),
    ("ascii", " Q U J D ", "20512055204a204420"),
    ("ascii", "QR", "5152"),
    ("ascii", "Q", "51"),
    ("ascii", "QUJDQ", "51554a4451"),
    ("ascii", "-_-_", "2d5f2d5f"),
    ("ascii", "+/+/", "2b2f2b2f"),
    ("ascii", "QUJ=D", "51554a3d44"),
    ("ascii", "AQID BA==", "415149442042413d3d"),
    ("ascii", "AQIDBA", "415149444241"),
    ("ascii", "YW\nJj\t", "59570a4a6a09"),
    ("ascii", "YWJj====YWJj", "59574a6a3d3d3d3d59574a6a"),
    ("ascii", "Y.W*J!j", "592e572a4a216a"),
    ("ascii", "\xe9\xe9QUJD", "e9e951554a44"),
    ("hex", "", ""),
    ("hex", "hello", ""),
    ("hex", "h\xe9llo w\xf6rld", ""),
    ("hex", "\u20ac", ""),
    ("hex", "\U0001f600", ""),
    ("hex", "\ud800", ""),
    ("hex", "\udfff", ""),
    ("hex", "a\ud83d", ""),
    ("hex", "\ude00\ud83d", ""),
    ("hex", "\ud83d\ud83d\ude00", ""),
    ("hex", "a\udc00b", ""),
    ("hex", "a\u0161\U0001f600", "aa"),
    ("hex", "\xff\u0100", ""),
    ("hex", "\u0161\u0162", "ab"),
    ("hex", "ab\u0161\u0162", "abab"),
    ("hex", "abc", "ab"),
    ("hex", "abzz12", "ab"),
    ("hex", "0g12", ""),
    ("hex", " 0A1b", ""),
    ("hex", "DEADbeef", "deadbeef"),
    ("hex", "\u0151\u0151\u0151\u0151", ""),
    ("hex", "QUJD\u013dQUJD", ""),
    ("hex", "QQ==QUJD", ""),
    ("hex", " Q U J D ", ""),
    ("hex", "QR", ""),
    ("hex", "Q", ""),
    ("hex", "QUJDQ", ""),
    ("hex", "-_-_", ""),
    ("hex", "+/+/", ""),
    ("hex", "QUJ=D", ""),
    ("hex", "AQID BA==", ""),
    ("hex", "AQIDBA", ""),
    ("hex", "YW\nJj\t", ""),
    ("hex", "YWJj====YWJj", ""),
    ("hex", "Y.W*J!j", ""),
    ("hex", "\xe9\xe9QUJD", ""),
    ("base64", "", ""),
    ("base64", "hello", "85e965"),
    ("base64", "h\xe9llo w\xf6rld", "865968c2b95d"),
    ("base64", "\u20ac", ""),
    ("base64", "\U0001f600", ""),
    ("base64", "\ud800", ""),
    ("base64", "\udfff", ""),
    ("base64", "a\ud83d", ""),
    ("base64", "\ude00\ud83d", ""),
    ("base64", "\ud83d\ud83d\ude00", ""),
    ("base64", "a\udc00b", "69"),
    ("base64", "a\u0161\U0001f600", "69"),
    ("base64", "\xff\u0100", ""),
    ("base64", "\u0161\u0162", "69"),
    ("base64", "ab\u0161\u0162", "69b69b"),
    ("base64", "abc", "69b7"),
    ("base64", "abzz12", "69bcf3d7"),
    ("base64", "0g12", "d20d76"),
    ("base64", " 0A1b", "d00d5b"),
    ("base64", "DEADbeef", "0c40036de79f"),
    ("base64", "\u0151\u0151\u0151\u0151", "410410"),
    ("base64", "QUJD\u013dQUJD", "414243"),
    ("base64", "QQ==QUJD", "41"),
    ("base64", " Q U J D ", "414243"),
    ("base64", "QR", "41"),
    ("base64", "Q", ""),
    ("base64", "QUJDQ", "414243"),
    ("base64", "-_-_", "fbffbf"),
    ("base64", "+/+/", "fbffbf"),
    ("base64", "QUJ=D", "4142"),
    ("base64", "AQID BA==", "01020304"),
    ("base64", "AQIDBA", "01020304"),
    ("base64", "YW\nJj\t", "616263"),
    ("base64", "YWJj====YWJj", "616263"),
    ("base64", "Y.W*J!j", "616263"),
    ("base64", "\xe9\xe9QUJD", "414243"),
    ("base64url", "", ""),
    ("base64url", "hello", "85e965"),
    ("base64url", "h\xe9llo w\xf6rld", "865968c2b95d"),
    ("base64url", "\u20ac", ""),
    ("base64url", "\U0001f600", ""),
    ("base64url", "\ud800", ""),
    ("base64url", "\udfff", ""),
    ("base64url", "a\ud83d", ""),
    ("base64url", "\ude00\ud83d", ""),
    ("base64url", "\ud83d\ud83d\ude00", ""),
    ("base64url", "a\udc00b", "69"),
    ("base64url", "a\u0161\U0001f600", "69"),
    ("base64url", "\xff\u0100", ""),
    ("base64url", "\u0161\u0162", "69"),
    ("base64url", "ab\u0161\u0162", "69b69b"),
    ("base64url", "abc", "69b7"),
    ("base64url", "abzz12", "69bcf3d7"),
    ("base64url", "0g12", "d20d76"),
    ("base64url", " 0A1b", "d00d5b"),
    ("base64url", "DEADbeef", "0c40036de79f"),
    ("base64url", "\u0151\u0151\u0151\u0151", "410410"),
    ("base64url", "QUJD\u013dQUJD", "414243"),
    ("base64url", "QQ==QUJD", "41"),
    ("base64url", " Q U J D ", "414243"),
    ("base64url", "QR", "41"),
    ("base64url", "Q", ""),
    ("base64url", "QUJDQ", "414243"),
    ("base64url", "-_-_", "fbffbf"),
    ("base64url", "+/+/", "fbffbf"),
    ("base64url", "QUJ=D", "4142"),
    ("base64url", "AQID BA==", "01020304"),
    ("base64url", "AQIDBA", "01020304"),
    ("base64url", "YW\nJj\t", "616263"),
    ("base64url", "YWJj====YWJj", "616263"),
    ("base64url", "Y.W*J!j", "616263"),
    ("base64url", "\xe9\xe9QUJD", "414243"),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_encode_matches_node_table(encoding: str) -> None:
    rows = [(text, expected) for name, text, expected in ENCODE_TABLE if name == encoding]
    assert len(rows) > 30
    for text, expected in rows:
        assert encode(text, encoding).hex() == expected, ascii(text)
        assert encode(text, encoding.upper()).hex() == expected, ascii(text)


def test_encode_astral_char_and_its_surrogate_pair_are_the_same_js_string() -> None:
    for encoding in ENCODINGS:
        assert encode("a\U0001f600b", encoding) == encode("a\ud83d\ude00b", encoding)


def test_encode_large_text_takes_the_fast_paths() -> None:
    text = "héllo wörld " * 10_000
    assert encode(text, "utf8") == text.encode("utf-8")
    assert encode(text, "latin1") == text.encode("latin-1")
    assert encode(text.encode().hex(), "hex") == text.encode()


# --- buf.toString(encoding) ---------------------------------------------------------------

# (encoding, bytes as hex, buf.toString(encoding)) from node v20
DECODE_TABLE: list[tuple[str, str, str]] = [
    ("utf8", "", ""),
    ("utf8", "41", "A"),
    ("utf8", "c3a9", "\xe9"),
    ("utf8", "e282ac", "\u20ac"),
    ("utf8", "f09f9880", "\U0001f600"),
    ("utf8", "80", "\ufffd"),
    ("utf8", "c0", "\ufffd"),
    ("utf8", "c0af", "\ufffd\ufffd"),
    ("utf8", "c3", "\ufffd"),
    ("utf8", "e080", "\ufffd\ufffd"),
    ("utf8", "e08080", "\ufffd\ufffd\ufffd"),
    ("utf8", "eda080", "\ufffd\ufffd\ufffd"),
    ("utf8", "edbfbf", "\ufffd\ufffd\ufffd"),
    ("utf8", "efbfbd", "\ufffd"),
    ("utf8", "f4908080", "\ufffd\ufffd\ufffd\ufffd"),
    ("utf8", "f09080", "\ufffd"),
    ("utf8", "f5", "\ufffd"),
    ("utf8", "ff", "\ufffd"),
    ("utf8", "f888808080", "\ufffd\ufffd\ufffd\ufffd\ufffd"),
    ("utf8", "e180e2f09192f1bf41", "\ufffd\ufffd\ufffd\ufffdA"),
    ("utf8", "41c1ff80", "A\ufffd\ufffd\ufffd"),
    ("utf8", "3dd8", "=\ufffd"),
    ("utf8", "3dd841", "=\ufffdA"),
    ("utf8", "3dd800de", "=\ufffd\x00\ufffd"),
    ("utf8", "00de3dd8", "\x00\ufffd=\ufffd"),
    ("utf8", "3dd83dd800de", "=\ufffd=\ufffd\x00\ufffd"),
    ("utf8", "010203", "\x01\x02\x03"),
    ("utf8", "fbff", "\ufffd\ufffd"),
    ("utf8", "fbffbf", "\ufffd\ufffd\ufffd"),
    ("utf8", "0001020304", "\x00\x01\x02\x03\x04"),
    ("utf8", "414243", "ABC"),
    ("utf8", "7f00", "\x7f\x00"),
    ("utf16le", "", ""),
    ("utf16le", "41", ""),
    ("utf16le", "c3a9", "\ua9c3"),
    ("utf16le", "e282ac", "\u82e2"),
    ("utf16le", "f09f9880", "\u9ff0\u8098"),
    ("utf16le", "80", ""),
    ("utf16le", "c0", ""),
    ("utf16le", "c0af", "\uafc0"),
    ("utf16le", "c3", ""),
    ("utf16le", "e080", "\u80e0"),
    ("utf16le", "e08080", "\u80e0"),
    ("utf16le", "eda080", "\ua0ed"),
    ("utf16le", "edbfbf", "\ubfed"),
    ("utf16le", "efbfbd", "\ubfef"),
    ("utf16le", "f4908080", "\u90f4\u8080"),
    ("utf16le", "f09080", "\u90f0"),
    ("utf16le", "f5", ""),
    ("utf16le", "ff", ""),
    ("utf16le", "f888808080", "\u88f8\u8080"),
    ("utf16le", "e180e2f09192f1bf41", "\u80e1\uf0e2\u9291\ubff1"),
    ("utf16le", "41c1ff80", "\uc141\u80ff"),
    ("utf16le", "3dd8", "\ud83d"),
    ("utf16le", "3dd841", "\ud83d"),
    ("utf16le", "3dd800de", "\U0001f600"),
    ("utf16le", "00de3dd8", "\ude00\ud83d"),
    ("utf16le", "3dd83dd800de", "\ud83d\U0001f600"),
    ("utf16le", "010203", "\u0201"),
    ("utf16le", "fbff", "\ufffb"),
    ("utf16le", "fbffbf", "\ufffb"),
    ("utf16le", "0001020304", "\u0100\u0302"),
    ("utf16le", "414243", "\u4241"),
    ("utf16le", "7f00", "\x7f"),
    ("latin1", "", ""),
    ("latin1", "41", "A"),
    ("latin1", "c3a9", "\xc3\xa9"),
    ("latin1", "e282ac", "\xe2\x82\xac"),
    ("latin1", "f09f9880", "\xf0\x9f\x98\x80"),
    ("latin1", "80", "\x80"),
    ("latin1", "c0", "\xc0"),
    ("latin1", "c0af", "\xc0\xaf"),
    ("latin1", "c3", "\xc3"),
    ("latin1", "e080", "\xe0\x80"),
    ("latin1", "e08080", "\xe0\x80\x80"),
    ("latin1", "eda080", "\xed\xa0\x80"),
    ("latin1", "edbfbf", "\xed\xbf\xbf"),
    ("latin1", "efbfbd", "\xef\xbf\xbd"),
    ("latin1", "f4908080", "\xf4\x90\x80\x80"),
    ("latin1", "f09080", "\xf0\x90\x80"),
    ("latin1", "f5", "\xf5"),
    ("latin1", "ff", "\xff"),
    ("latin1", "f888808080", "\xf8\x88\x80\x80\x80"),
    ("latin1", "e180e2f09192f1bf41", "\xe1\x80\xe2\xf0\x91\x92\xf1\xbfA"),
    ("latin1", "41c1ff80", "A\xc1\xff\x80"),
    ("latin1", "3dd8", "=\xd8"),
    ("latin1", "3dd841", "=\xd8A"),
    ("latin1", "3dd800de", "=\xd8\x00\xde"),
    ("latin1", "00de3dd8", "\x00\xde=\xd8"),
    ("latin1", "3dd83dd800de", "=\xd8=\xd8\x00\xde"),
    ("latin1", "010203", "\x01\x02\x03"),
    ("latin1", "fbff", "\xfb\xff"),
    ("latin1", "fbffbf", "\xfb\xff\xbf"),
    ("latin1", "0001020304", "\x00\x01\x02\x03\x04"),
    ("latin1", "414243", "ABC"),
    ("latin1", "7f00", "\x7f\x00"),
    ("ascii", "", ""),
    ("ascii", "41", "A"),
    ("ascii", "c3a9", "C)"),
    ("ascii", "e282ac", "b\x02,"),
    ("ascii", "f09f9880", "p\x1f\x18\x00"),
    ("ascii", "80", "\x00"),
    ("ascii", "c0", "@"),
    ("ascii", "c0af", "@/"),
    ("ascii", "c3", "C"),
    ("ascii", "e080", "`\x00"),
    ("ascii", "e08080", "`\x00\x00"),
    ("ascii", "eda080", "m \x00"),
    ("ascii", "edbfbf", "m??"),
    ("ascii", "efbfbd", "o?="),
    ("ascii", "f4908080", "t\x10\x00\x00"),
    ("ascii", "f09080", "p\x10\x00"),
    ("ascii", "f5", "u"),
    ("ascii", "ff", "\x7f"),
    ("ascii", "f888808080", "x\x08\x00\x00\x00"),
    ("ascii", "e180e2f09192f1bf41", "a\x00bp\x11\x12q?A"),
    ("ascii", "41c1ff80", "AA\x7f\x00"),
    ("ascii", "3dd8", "=X"),
    ("ascii", "3dd841", "=XA"),
    ("ascii", "3dd800de", "=X\x00^"),
    ("ascii", "00de3dd8", "\x00^=X"),
    ("ascii", "3dd83dd800de", "=X=X\x00^"),
    ("ascii", "010203", "\x01\x02\x03"),
    ("ascii", "fbff", "{\x7f"),
    ("ascii", "fbffbf", "{\x7f?"),
    ("ascii", "0001020304", "\x00\x01\x02\x03\x04"),
    ("ascii", "414243", "ABC"),
    ("ascii", "7f00", "\x7f\x00"),
    ("hex", "", ""),
    ("hex", "41", "41"),
    ("hex", "c3a9", "c3a9"),
    ("hex", "e282ac", "e282ac"),
    ("hex", "f09f9880", "f09f9880"),
    ("hex", "80", "80"),
    ("hex", "c0", "c0"),
    ("hex", "c0af", "c0af"),
    ("hex", "c3", "c3"),
    ("hex", "e080", "e080"),
    ("hex", "e08080", "e08080"),
    ("hex", "eda080", "eda080"),
    ("hex", "edbfbf", "edbfbf"),
    ("hex", "efbfbd", "efbfbd"),
    ("hex", "f4908080", "f4908080"),
    ("hex", "f09080", "f09080"),
    ("hex", "f5", "f5"),
    ("hex", "ff", "ff"),
    ("hex", "f888808080", "f888808080"),
    ("hex", "e180e2f09192f1bf41", "e180e2f09192f1bf41"),
    ("hex", "41c1ff80", "41c1ff80"),
    ("hex", "3dd8", "3dd8"),
    ("hex", "3dd841", "3dd841"),
    ("hex", "3dd800de", "3dd800de"),
    ("hex", "00de3dd8", "00de3dd8"),
    ("hex", "3dd83dd800de", "3dd83dd800de"),
    ("hex", "010203", "010203"),
    ("hex", "fbff", "fbff"),
    ("hex", "fbffbf", "fbffbf"),
    ("hex", "0001020304", "0001020304"),
    ("hex", "414243", "414243"),
    ("hex", "7f00", "7f00"),
    ("base64", "", ""),
    ("base64", "41", "QQ=="),
    ("base64", "c3a9", "w6k="),
    ("base64", "e282ac", "4oKs"),
    ("base64", "f09f9880", "8J+YgA=="),
    ("base64", "80", "gA=="),
    ("base64", "c0", "wA=="),
    ("base64", "c0af", "wK8="),
    ("base64", "c3", "ww=="),
    ("base64", "e080", "4IA="),
    ("base64", "e08080", "4ICA"),
    ("base64", "eda080", "7aCA"),
    ("base64", "edbfbf", "7b+/"),
    ("base64", "efbfbd", "77+9"),
    ("base64", "f4908080", "9JCAgA=="),
    ("base64", "f09080", "8JCA"),
    ("base64", "f5", "9Q=="),
    ("base64", "ff", "/w=="),
    ("base64", "f888808080", "+IiAgIA="),
    ("base64", "e180e2f09192f1bf41", "4YDi8JGS8b9B"),
    ("base64", "41c1ff80", "QcH/gA=="),
    ("base64", "3dd8", "Pdg="),
    ("base64", "3dd841", "PdhB"),
    ("base64", "3dd800de", "PdgA3g=="),
    ("base64", "00de3dd8", "AN492A=="),
    ("base64", "3dd83dd800de", "Pdg92ADe"),
    ("base64", "010203", "AQID"),
    ("base64", "fbff", "+/8="),
    ("base64", "fbffbf", "+/+/"),
    ("base64", "0001020304", "AAECAwQ="),
    ("base64", "414243", "QUJD"),
    ("base64", "7f00", "fwA="),
    ("base64url", "", ""),
    ("base64url", "41", "QQ"),
    ("base64url", "c3a9", "w6k"),
    ("base64url", "e282ac", "4oKs"),
    ("base64url", "f09f9880", "8J-YgA"),
    ("base64url", "80", "gA"),
    ("base64url", "c0", "wA"),
    ("base64url", "c0af", "wK8"),
    ("base64url", "c3", "ww"),
    ("base64url", "e080", "4IA"),
    ("base64url", "e08080", "4ICA"),
    ("base64url", "eda080", "7aCA"),
    ("base64url", "edbfbf", "7b-_"),
    ("base64url", "efbfbd", "77-9"),
    ("base64url", "f4908080", "9JCAgA"),
    ("base64url", "f09080", "8JCA"),
    ("base64url", "f5", "9Q"),
    ("base64url", "ff", "_w"),
    ("base64url", "f888808080", "-IiAgIA"),
    ("base64url", "e180e2f09192f1bf41", "4YDi8JGS8b9B"),
    ("base64url", "41c1ff80", "QcH_gA"),
    ("base64url", "3dd8", "Pdg"),
    ("base64url", "3dd841", "PdhB"),
    ("base64url", "3dd800de", "PdgA3g"),
    ("base64url", "00de3dd8", "AN492A"),
    ("base64url", "3dd83dd800de", "Pdg92ADe"),
    ("base64url", "010203", "AQID"),
    ("base64url", "fbff", "-_8"),
    ("base64url", "fbffbf", "-_-_"),
    ("base64url", "0001020304", "AAECAwQ"),
    ("base64url", "414243", "QUJD"),
    ("base64url", "7f00", "fwA"),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decode_matches_node_table(encoding: str) -> None:
    rows = [(bytes.fromhex(data), text) for name, data, text in DECODE_TABLE if name == encoding]
    assert len(rows) > 30
    for data, expected in rows:
        assert decode(data, encoding) == expected, data.hex()
        assert decode(data, encoding.upper()) == expected, data.hex()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decode_accepts_bytearray_and_memoryview(encoding: str) -> None:
    data = bytes(range(256)) * 2
    expected = decode(data, encoding)
    assert decode(bytearray(data), encoding) == expected
    assert decode(memoryview(data), encoding) == expected
    assert decode(memoryview(b"xx" + data)[2:], encoding) == expected


def test_decode_wide_memoryview_reads_its_raw_bytes() -> None:
    wide = memoryview(array.array("H", [0x0041, 0xD83D, 0xDE00]))
    raw = wide.tobytes()
    for encoding in ENCODINGS:
        assert decode(wide, encoding) == decode(raw, encoding)
    assert decode(wide, "utf16le") == "A\U0001f600"
    assert "".join(run_decoder("utf16le", [wide])) == "A\U0001f600"


# --- StringDecoder --------------------------------------------------------------------------

# (encoding, chunks written, chunk given to end() or None, every output: writes then end).
# Node's outputs, except the utf16le rows marked "pair": see
# test_utf16le_decoder_never_splits_a_surrogate_pair for what Node gives there.
DECODER_TABLE: list[tuple[str, list[str], str | None, list[str]]] = [
    (
        "utf8",
        ["41e080", "8041", "c0", "f5"],
        None,
        ["A", "\ufffd\ufffd\ufffdA", "", "\ufffd", "\ufffd"],
    ),
    ("utf8", ["f090"], None, ["", "\ufffd"]),
    ("utf8", ["e080"], "41ed", ["", "\ufffd\ufffdA\ufffd"]),
    ("utf8", ["e2", "82", "ac"], None, ["", "", "\u20ac", ""]),
    ("utf8", ["f0", "9f", "98", "80"], None, ["", "", "", "\U0001f600", ""]),
    ("utf8", ["c3"], "a9", ["", "\xe9"]),
    ("utf8", ["c3", ""], None, ["", "", "\ufffd"]),
    ("utf8", ["e2"], "", ["", "\ufffd"]),
    ("utf8", ["61f09f", "9880f09f98"], None, ["a", "\U0001f600", "\ufffd"]),
    ("utf8", ["80", "8080808080"], None, ["\ufffd", "\ufffd\ufffd\ufffd\ufffd\ufffd", ""]),
    ("utf8", ["ed", "a0", "80"], None, ["", "", "\ufffd\ufffd\ufffd", ""]),
    ("utf8", ["eda0"], None, ["", "\ufffd\ufffd"]),
    ("utf8", ["f0", "41"], None, ["", "\ufffdA", ""]),
    ("utf8", ["f08080", "80"], None, ["", "\ufffd\ufffd\ufffd\ufffd", ""]),
    ("utf8", ["c3a9c3"], "a9", ["\xe9", "\xe9"]),
    ("utf8", ["41c38080"], None, ["A\xc0\ufffd", ""]),
    ("utf8", ["f8"], None, ["\ufffd", ""]),
    ("utf8", ["c0"], None, ["", "\ufffd"]),
    ("utf8", ["f5"], None, ["", "\ufffd"]),
    ("utf16le", ["3dd800", "de"], None, ["", "\U0001f600", ""]),  # pair
    ("utf16le", ["3d"], None, ["", ""]),
    ("utf16le", ["3dd8"], None, ["", "\ud83d"]),
    (
        "utf16le",
        ["41", "00", "3d", "d8", "00", "de"],
        None,
        ["", "A", "", "", "", "\U0001f600", ""],
    ),  # pair
    ("utf16le", ["4100"], "3d", ["A", ""]),
    ("utf16le", ["3dd8"], "00de", ["", "\U0001f600"]),
    ("utf16le", ["3dd83dd8", "00de"], None, ["\ud83d", "\U0001f600", ""]),
    ("utf16le", ["3dd8", "41"], None, ["", "", "\ud83d"]),
    ("base64", ["01"], None, ["", "AQ=="]),
    ("base64", ["0102", "03", "04"], None, ["", "AQID", "", "BA=="]),
    ("base64", ["01020304"], "05", ["AQID", "BAU="]),
    ("base64url", ["fbff", "bf"], None, ["", "-_-_", ""]),
    ("base64url", ["01"], None, ["", "AQ"]),
    ("base64url", ["0102", "03", "04"], "05", ["", "AQID", "", "BAU"]),
    ("hex", ["41c1", "ff80"], None, ["41c1", "ff80", ""]),
    ("latin1", ["", "e9"], "ff", ["", "\xe9", "\xff"]),
    ("ascii", ["41c1", "ff80"], "e9", ["AA", "\x7f\x00", "i"]),
]


def test_decoder_matches_node_table() -> None:
    for encoding, chunks, last, expected in DECODER_TABLE:
        data = [bytes.fromhex(chunk) for chunk in chunks]
        tail = None if last is None else bytes.fromhex(last)
        assert run_decoder(encoding, data, tail) == expected, (encoding, chunks, last)


def test_utf16le_decoder_never_splits_a_surrogate_pair() -> None:
    # Node v20 gives ["\ud83d", "\ude00", ""] here: its odd-byte rule emits the high half.
    # In JS the two strings re-pair on concatenation; in Python they would not, so ours
    # keeps the high half until its partner arrives. The code units are the same.
    node_outputs = ["\ud83d", "\ude00", ""]
    ours = run_decoder("utf16le", [b"\x3d\xd8\x00", b"\xde"])
    assert ours == ["", "\U0001f600", ""]
    assert ours == whole_pairs_split("utf16le", [3, 1], node_outputs)
    assert units("".join(ours)) == units("".join(node_outputs))


def test_utf8_decoder_waits_where_node_waits_not_where_codecs_would() -> None:
    # codecs' incremental decoder answers "\ufffd\ufffd" at once for E0 80, C0 or ED A0;
    # Node keeps them back until a byte shows the character is over.
    for held in (b"\xe0\x80", b"\xc0", b"\xed\xa0", b"\xf5", b"\xf4\x90"):
        decoder = make_decoder("utf8")
        assert decoder.write(b"A" + held) == "A"
        assert decoder.end() == decode(held, "utf8")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decoder_is_reusable_after_end(encoding: str) -> None:
    decoder = make_decoder(encoding)
    sample = "é€😀".encode() + b"\xf0\x9f"
    first = [decoder.write(sample[:5]), decoder.end(sample[5:])]
    second = [decoder.write(sample[:5]), decoder.end(sample[5:])]
    assert first == second
    assert "".join(first) == decode(sample, encoding)
    assert decoder.end() == ""


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decoder_copies_what_it_keeps_back(encoding: str) -> None:
    # The socket may reuse its receive buffer: a held tail must not change with it.
    sample = "x€😀".encode() + b"\xd8\x3d\xde"
    buffer = bytearray(sample[:6])
    decoder = make_decoder(encoding)
    outputs = [decoder.write(buffer)]
    buffer[:] = b"\x00" * len(buffer)
    outputs.append(decoder.write(memoryview(sample)[6:]))
    outputs.append(decoder.end())
    assert "".join(outputs) == decode(sample, encoding)


# --- every split point ----------------------------------------------------------------------

SHORT_SAMPLE = bytes.fromhex("41c3a9e282acf09f9880e080c0eda080f09080f5ff3dd800de3dd841")
LONG_SAMPLE = (
    "Ascii, é, €, 😀, 中文, \U0010ffff".encode()
    + bytes.fromhex("80bfc0c1c2e0a0e080eda080edbfbff08f8080f4908080f5f8fcfeff")
    + "\ud83d\ude00\udc00\ud800x".encode("utf-16-le", "surrogatepass")
    + bytes(range(0x70, 0x100, 7))
)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_split_point_decodes_like_the_whole(encoding: str) -> None:
    for sample in (SHORT_SAMPLE, LONG_SAMPLE):
        whole = decode(sample, encoding)
        for point in range(len(sample) + 1):
            assert "".join(run_decoder(encoding, cut(sample, [point]))) == whole, point
            head, tail = sample[:point], sample[point:]
            assert "".join(run_decoder(encoding, [head], tail)) == whole, point


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_pair_of_split_points_decodes_like_the_whole(encoding: str) -> None:
    whole = decode(SHORT_SAMPLE, encoding)
    size = len(SHORT_SAMPLE)
    for first in range(size + 1):
        for second in range(first, size + 1):
            pieces = cut(SHORT_SAMPLE, [first, second])
            assert "".join(run_decoder(encoding, pieces)) == whole, (first, second)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_byte_at_a_time_decodes_like_the_whole(encoding: str) -> None:
    pieces = [LONG_SAMPLE[i : i + 1] for i in range(len(LONG_SAMPLE))]
    assert "".join(run_decoder(encoding, pieces)) == decode(LONG_SAMPLE, encoding)


# --- properties -----------------------------------------------------------------------------

splits = st.lists(st.integers(min_value=0, max_value=64), max_size=8)
texts = st.text(
    alphabet=st.one_of(
        st.characters(),  # includes lone surrogates
        st.sampled_from("0123456789abcdefABCDEF+/-_= \n\u0161\u013d\U0001f600\ud83d\ude00"),
    ),
    max_size=40,
)


@pytest.mark.parametrize("encoding", ENCODINGS)
@given(data=st.binary(max_size=64), points=splits)
def test_any_bytes_any_split_decodes_like_the_whole(
    encoding: str, data: bytes, points: list[int]
) -> None:
    whole = decode(data, encoding)
    pieces = cut(data, points)
    assert "".join(run_decoder(encoding, pieces)) == whole
    assert "".join(run_decoder(encoding, pieces[:-1], pieces[-1])) == whole


@given(row=st.sampled_from(DECODE_TABLE), points=splits)
def test_corpus_any_split_decodes_like_node(row: tuple[str, str, str], points: list[int]) -> None:
    encoding, data, expected = row
    pieces = cut(bytes.fromhex(data), points)
    assert "".join(run_decoder(encoding, pieces)) == expected
    assert "".join(run_decoder(encoding, pieces[:-1], pieces[-1])) == expected


def node_hex_write(text: str) -> bytes:
    """Node's hex loop, one code unit at a time (slow model of the fast code)."""
    digits = "0123456789abcdef"
    low_bytes = text.encode("utf-16-le", "surrogatepass")[::2]
    out = bytearray()
    for i in range(0, len(low_bytes) - 1, 2):
        high, low = chr(low_bytes[i]).lower(), chr(low_bytes[i + 1]).lower()
        if high not in digits or low not in digits:
            break
        out.append(digits.index(high) * 16 + digits.index(low))
    return bytes(out)


def node_base64_write(text: str) -> bytes:
    """Node's forgiving base64 loop, one code unit at a time (slow model of the fast code)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    bits, count, out = 0, 0, bytearray()
    for unit in text.encode("utf-16-le", "surrogatepass")[::2]:
        char = {"-": "+", "_": "/"}.get(chr(unit), chr(unit))
        if char == "=":
            break
        if char not in alphabet:
            continue
        bits = (bits << 6) | alphabet.index(char)
        count += 6
        if count >= 8:
            count -= 8
            out.append((bits >> count) & 0xFF)
    return bytes(out)


@given(text=texts)
def test_encode_hex_and_base64_follow_nodes_loops(text: str) -> None:
    assert encode(text, "hex") == node_hex_write(text)
    assert encode(text, "base64") == node_base64_write(text)
    assert encode(text, "base64url") == node_base64_write(text)


@given(text=texts)
def test_encode_per_code_unit_rules(text: str) -> None:
    code_units = text.encode("utf-16-le", "surrogatepass")
    assert encode(text, "utf16le") == code_units
    assert encode(text, "latin1") == code_units[::2]
    assert encode(text, "ascii") == code_units[::2]
    paired = code_units.decode("utf-16-le", "surrogatepass")
    expected_utf8 = "".join(
        "\ufffd" if "\ud800" <= char <= "\udfff" else char for char in paired
    ).encode()
    assert encode(text, "utf8") == expected_utf8


@given(data=st.binary(max_size=64))
def test_round_trips(data: bytes) -> None:
    for encoding in ("hex", "base64", "base64url", "latin1"):
        assert encode(decode(data, encoding), encoding) == data
    even = data[: len(data) & ~1]
    assert encode(decode(data, "utf16le"), "utf16le") == even
    assert decode(data, "ascii") == bytes(byte & 0x7F for byte in data).decode("ascii")


@given(text=st.text(max_size=40))
def test_utf8_round_trip_without_surrogates(text: str) -> None:
    text = "".join(char for char in text if not "\ud800" <= char <= "\udfff")
    assert decode(encode(text, "utf8"), "utf8") == text


# --- against node ---------------------------------------------------------------------------

# One node process answers every case: a JSON request per line in, a JSON answer per line
# out. Strings travel as hex of their UTF-16 code units, bytes as hex.
NODE_ORACLE = r"""
const { StringDecoder } = require('string_decoder');
const fromUnits = (hex) => {
  const bytes = Buffer.from(hex, 'hex');
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(bytes.readUInt16LE(i));
  return text;
};
const toUnits = (text) => {
  const bytes = Buffer.alloc(text.length * 2);
  for (let i = 0; i < text.length; i++) bytes.writeUInt16LE(text.charCodeAt(i), 2 * i);
  return bytes.toString('hex');
};
const answer = (req) => {
  try {
    if (req.op === 'encode') return Buffer.from(fromUnits(req.text), req.enc).toString('hex');
    if (req.op === 'decode') return toUnits(Buffer.from(req.data, 'hex').toString(req.enc));
    if (req.op === 'name') return new StringDecoder(req.enc).encoding;
    const decoder = new StringDecoder(req.enc);
    const outputs = req.chunks.map((hex) => toUnits(decoder.write(Buffer.from(hex, 'hex'))));
    const last = req.end === null ? decoder.end() : decoder.end(Buffer.from(req.end, 'hex'));
    outputs.push(toUnits(last));
    return outputs;
  } catch (err) {
    return { error: err.code };
  }
};
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
process.stdout.write(lines.map((line) => JSON.stringify(answer(JSON.parse(line)))).join('\n'));
"""

_CHAR_POOLS = [
    [chr(c) for c in range(0x20, 0x7F)],
    list("0123456789abcdefABCDEF"),
    list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \t\n"),
    [chr(c) for c in range(0x80, 0x100)],
    ["\u0161", "\u013d", "\u0130", "\u3d3d", "\u2b2f", "\uff41", "\ufffd", "\ufeff"],
]


def random_text(rng: random.Random) -> str:
    chars = []
    for _ in range(rng.randrange(0, 30)):
        kind = rng.random()
        if kind < 0.6:
            chars.append(rng.choice(rng.choice(_CHAR_POOLS)))
        elif kind < 0.75:
            chars.append(
                chr(rng.choice([rng.randrange(0x100, 0xD800), rng.randrange(0xE000, 0x10000)]))
            )
        elif kind < 0.9:
            chars.append(chr(rng.randrange(0x10000, 0x110000)))
        else:
            chars.append(chr(rng.randrange(0xD800, 0xE000)))  # lone, or a pair with a neighbour
    return "".join(chars)


def random_bytes(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.25:
        return random_text(rng).encode("utf-8", "surrogatepass")
    if kind < 0.45:
        data = random_text(rng).encode("utf-16-le", "surrogatepass")
        return data + rng.randbytes(rng.randrange(2))
    if kind < 0.75:
        pools = [
            range(0x80),
            range(0x80, 0xC0),
            range(0xC0, 0x100),
            [0x00, 0x3D, 0xD8, 0xDB, 0xDC, 0xDF],
        ]
        return bytes(rng.choice(rng.choice(pools)) for _ in range(rng.randrange(0, 24)))
    return rng.randbytes(rng.randrange(0, 40))


def random_name(rng: random.Random) -> str:
    name = rng.choice(list(ALIASES))
    return "".join(char.upper() if rng.random() < 0.3 else char for char in name)


def random_chunks(rng: random.Random, data: bytes) -> tuple[list[bytes], bytes | None]:
    points = [rng.randrange(len(data) + 1) for _ in range(rng.randrange(0, 6))]
    pieces = cut(data, points)
    last = pieces.pop() if rng.random() < 0.5 else None
    return pieces, last


def as_chunk(rng: random.Random, piece: bytes) -> BytesLike:
    kind = rng.randrange(3)
    return piece if kind == 0 else bytearray(piece) if kind == 1 else memoryview(piece)


def ours(request: dict[str, object], rng: random.Random) -> object:
    op, name = request["op"], str(request["enc"])
    try:
        if op == "encode":
            return encode(from_units(str(request["text"])), name).hex()
        if op == "decode":
            return units(decode(bytes.fromhex(str(request["data"])), name))
        if op == "name":
            return normalize_encoding(name)
        decoder = make_decoder(name)
        chunks = [bytes.fromhex(chunk) for chunk in request["chunks"]]  # type: ignore[attr-defined]
        outputs = [units(decoder.write(as_chunk(rng, chunk))) for chunk in chunks]
        last = request["end"]
        outputs.append(units(decoder.end(None if last is None else bytes.fromhex(str(last)))))
        return outputs
    except Exception as err:
        return {"error": getattr(err, "code", repr(err))}


def expected_from(request: dict[str, object], node_answer: object) -> object:
    if request["op"] != "decoder" or not isinstance(node_answer, list):
        return node_answer
    sizes = [len(chunk) // 2 for chunk in request["chunks"]]  # type: ignore[attr-defined]
    node_outputs = [from_units(output) for output in node_answer]
    encoding = normalize_encoding(str(request["enc"]))
    return [units(output) for output in whole_pairs_split(encoding, sizes, node_outputs)]


def build_cases(rng: random.Random) -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for _ in range(700):
        cases.append({"op": "encode", "enc": random_name(rng), "text": units(random_text(rng))})
    for _ in range(700):
        cases.append({"op": "decode", "enc": random_name(rng), "data": random_bytes(rng).hex()})
    for _ in range(1000):
        pieces, last = random_chunks(rng, random_bytes(rng))
        cases.append(
            {
                "op": "decoder",
                "enc": random_name(rng),
                "chunks": [piece.hex() for piece in pieces],
                "end": None if last is None else last.hex(),
            }
        )
    for name in [*ALIASES, *UNKNOWN_NAMES, ""]:
        cases.append({"op": "name", "enc": name})
        cases.append({"op": "name", "enc": random_name(rng) if name in ALIASES else name.upper()})
    return cases


@pytest.mark.needs_node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_random_cases_match_node() -> None:
    rng = random.Random(20)
    cases = build_cases(rng)
    assert len(cases) >= 1000
    node = shutil.which("node")
    assert node is not None
    proc = subprocess.run(
        [node, "-e", NODE_ORACLE],
        input="\n".join(json.dumps(case) for case in cases),
        capture_output=True,
        text=True,
        timeout=25,
        check=True,
    )
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(cases)
    mismatches = [
        (case, mine, expected)
        for case, answer in zip(cases, answers, strict=True)
        if (mine := ours(case, rng)) != (expected := expected_from(case, answer))
    ]
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ from node: {mismatches[:3]}"
