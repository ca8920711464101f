"""Node's Buffer encodings: names, str -> bytes, bytes -> str, chunk-safe decoders.

How it works (each rule checked against Node v20):
- A JS string is a run of UTF-16 code units. A Python str stands for the code units that
  ``s.encode("utf-16-le", "surrogatepass")`` gives: an astral character and the same pair
  written as two surrogate code points are one JS string, and lone surrogates survive.
- Names are matched case-insensitively; ``None`` and ``""`` mean utf8, as Node's
  ``normalizeEncoding`` (used by ``write`` and ``setEncoding``) says.
- Encoding (``Buffer.from(text, enc)``): utf8 turns each lone surrogate into EF BF BD;
  latin1, binary *and ascii* keep the low byte of each code unit; hex and base64 also read
  only the low byte of each code unit (so U+0161 counts as 'a'); hex stops at the first
  pair that is not two hex digits; base64 reads both alphabets, skips everything else,
  and stops at the first '='.
- Decoding (``buf.toString(enc)``): utf8 gives one U+FFFD per maximal invalid subpart
  (CPython's "replace" handler follows the same rule as V8); ascii clears the high bit;
  utf16le drops an odd last byte and keeps lone surrogates; base64url has no padding.
- Decoders (``new StringDecoder(enc)``): utf8 holds back a trailing lead byte plus its
  continuation bytes exactly as Node does (by lead-byte pattern, not by validity, so a
  chunk ending in C0 or ED A0 also waits for the next chunk); base64 emits whole 3-byte
  groups; utf16le holds an odd byte and a trailing high surrogate. Deliberate difference:
  Node splits a surrogate pair when an odd byte follows its high half at a chunk boundary
  (JS re-pairs on concatenation, Python does not), so here the high half always waits.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:
    from ._errors import CodedError

__all__ = ["BytesLike", "Decoder", "decode", "encode", "make_decoder", "normalize_encoding"]

BytesLike: TypeAlias = bytes | bytearray | memoryview

# Every spelling Node accepts, exact case first; other cases fall back to str.lower().
_CANONICAL: dict[str, str] = {
    "utf8": "utf8",
    "utf-8": "utf8",
    "": "utf8",  # Node's normalizeEncoding(""): write(s, "") and setEncoding("") mean utf8
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


def _unknown_encoding(name: object) -> CodedError:
    from ._errors import coded

    return coded("ERR_UNKNOWN_ENCODING", encoding=name)


def normalize_encoding(name: str | None) -> str:
    """Return Node's canonical name for an encoding name.

    Args:
        name: Any spelling Node accepts, in any case; ``None`` (and ``""``) mean utf8.

    Returns:
        One of ``'utf8'``, ``'utf16le'``, ``'latin1'``, ``'base64'``, ``'base64url'``,
        ``'hex'``, ``'ascii'``.

    Raises:
        TypeError: ``name`` is not an encoding Node knows (code ``ERR_UNKNOWN_ENCODING``;
            the error is a ``ValueError`` too).

    Node: ``normalizeEncoding(enc)`` behind ``Buffer.isEncoding`` and ``setEncoding``
    """
    if name is None:
        return "utf8"
    canonical = _CANONICAL.get(name)
    if canonical is not None:
        return canonical
    if isinstance(name, str):
        canonical = _CANONICAL.get(name.lower())
        if canonical is not None:
            return canonical
    raise _unknown_encoding(name)


# --- str -> bytes -------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
_HEX_RUN = re.compile(rb"[0-9A-Fa-f]*")
# base64 input: '-' and '_' become '+' and '/'; bytes outside both alphabets are deleted.
_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"
_B64_MAP = bytes.maketrans(b"-_", b"+/")
_B64_JUNK = bytes(b for b in range(256) if b not in _B64_ALPHABET)


def _code_units(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _low_bytes(text: str) -> bytes:
    # Node writes one byte per UTF-16 code unit: its low byte.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return _code_units(text)[::2]


def _encode_utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Pair up surrogates the way JS sees them, then replace the lone ones (Python's own
        # "replace" error handler would write '?').
        paired = _code_units(text).decode("utf-16-le", "surrogatepass")
        return _SURROGATE.sub("\ufffd", paired).encode("utf-8")


def _encode_hex(text: str) -> bytes:
    # binascii.unhexlify rejects the whole input on a bad digit; Node keeps the good prefix
    # and drops an odd last digit.
    raw = _low_bytes(text)
    match = _HEX_RUN.match(raw)
    valid = match.end() if match is not None else 0
    return binascii.unhexlify(raw[: valid & ~1])


def _encode_base64(text: str) -> bytes:
    # Node's decoder is more forgiving than binascii's: any junk is skipped, '=' ends the
    # input wherever it is, padding is optional, and one lone trailing character is dropped.
    raw = _low_bytes(text)
    stop = raw.find(b"=")
    if stop >= 0:
        raw = raw[:stop]
    core = raw.translate(_B64_MAP, _B64_JUNK)
    extra = len(core) % 4
    if extra == 1:
        core = core[:-1]
    elif extra:
        core += b"=" * (4 - extra)
    return binascii.a2b_base64(core)


def _encode_utf16le(text: str) -> bytes:
    return _code_units(text)


_ENCODERS: dict[str, Callable[[str], bytes]] = {
    "utf8": _encode_utf8,
    "utf16le": _encode_utf16le,
    "latin1": _low_bytes,
    "ascii": _low_bytes,  # Node writes 'ascii' exactly as 'latin1'
    "hex": _encode_hex,
    "base64": _encode_base64,
    "base64url": _encode_base64,
}
_ENCODERS.update({alias: _ENCODERS[name] for alias, name in _CANONICAL.items()})


def encode(text: str, encoding: str | None = "utf8") -> bytes:
    """Turn a string into bytes exactly as Node does.

    Args:
        text: The string; read as UTF-16 code units, as JS sees it.
        encoding: Any encoding name Node accepts; ``None`` means utf8.

    Returns:
        The bytes ``Buffer.from(text, encoding)`` holds.

    Raises:
        TypeError: Unknown encoding (code ``ERR_UNKNOWN_ENCODING``; also a ``ValueError``).

    Node: ``Buffer.from(string[, encoding])``
    """
    encoder = _ENCODERS.get(encoding) if encoding is not None else _encode_utf8
    if encoder is None:
        encoder = _ENCODERS[normalize_encoding(encoding)]
    return encoder(text)


# --- bytes -> str -------------------------------------------------------------------------

_CLEAR_HIGH_BIT = bytes(b & 0x7F for b in range(256))


def _flat(data: BytesLike) -> BytesLike:
    # A memoryview over wider items (array('H'), ...) is read as its raw bytes.
    if isinstance(data, memoryview) and (data.ndim != 1 or data.itemsize != 1):
        return data.cast("B")
    return data


def _decode_utf8(data: BytesLike) -> str:
    return str(data, "utf-8", "replace")


def _decode_latin1(data: BytesLike) -> str:
    return str(data, "latin-1")


def _decode_ascii(data: BytesLike) -> str:
    # Node clears the high bit; Python's ascii codec would reject or replace the byte.
    try:
        return str(data, "ascii")
    except UnicodeDecodeError:
        return bytes(data).translate(_CLEAR_HIGH_BIT).decode("ascii")


def _decode_hex(data: BytesLike) -> str:
    return binascii.hexlify(data).decode("ascii")


def _decode_base64(data: BytesLike) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def _decode_base64url(data: BytesLike) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode_utf16le(data: BytesLike) -> str:
    data = _flat(data)
    size = len(data)
    if size & 1:
        data = memoryview(data)[: size - 1]
    return str(data, "utf-16-le", "surrogatepass")


_DECODERS: dict[str, Callable[[BytesLike], str]] = {
    "utf8": _decode_utf8,
    "utf16le": _decode_utf16le,
    "latin1": _decode_latin1,
    "ascii": _decode_ascii,
    "hex": _decode_hex,
    "base64": _decode_base64,
    "base64url": _decode_base64url,
}
_DECODERS.update({alias: _DECODERS[name] for alias, name in _CANONICAL.items()})


def decode(data: BytesLike, encoding: str | None = "utf8") -> str:
    """Turn bytes into a string exactly as Node does.

    Args:
        data: ``bytes``, ``bytearray`` or ``memoryview``.
        encoding: Any encoding name Node accepts; ``None`` means utf8.

    Returns:
        The string ``buf.toString(encoding)`` returns (lone surrogates kept for utf16le).

    Raises:
        TypeError: Unknown encoding (code ``ERR_UNKNOWN_ENCODING``; also a ``ValueError``).

    Node: ``buf.toString([encoding])``
    """
    decoder = _DECODERS.get(encoding) if encoding is not None else _decode_utf8
    if decoder is None:
        decoder = _DECODERS[normalize_encoding(encoding)]
    return decoder(data)


# --- chunk-safe decoders ------------------------------------------------------------------


class Decoder(Protocol):
    """What :func:`make_decoder` returns: Node's ``StringDecoder`` interface."""

    @property
    def encoding(self) -> str:
        """The canonical encoding name."""
        ...

    def write(self, chunk: BytesLike) -> str:
        """Decode a chunk, keeping back an incomplete character for the next one."""
        ...

    def end(self, chunk: BytesLike | None = None) -> str:
        """Decode a last chunk, flush what was kept back, and start over."""
        ...


class _StatelessDecoder:
    __slots__ = ("_decode", "encoding")

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._decode = _DECODERS[encoding]

    def write(self, chunk: BytesLike) -> str:
        return self._decode(chunk)

    def end(self, chunk: BytesLike | None = None) -> str:
        return "" if chunk is None else self._decode(chunk)


def _utf8_tail(data: BytesLike) -> tuple[int, int]:
    """(bytes to hold back, bytes still missing) for a chunk ending in a non-ASCII byte."""
    size = len(data)
    held = 0
    for index in range(size - 1, max(size - 5, -1), -1):
        held += 1
        byte = data[index]
        if byte & 0xC0 == 0x80:  # continuation byte: keep looking for the lead byte
            if held >= 4 or index == 0:
                return 0, 0
            continue
        if byte & 0xE0 == 0xC0:
            need = 2
        elif byte & 0xF0 == 0xE0:
            need = 3
        elif byte & 0xF8 == 0xF0:
            need = 4
        else:
            return 0, 0
        if held >= need:
            return 0, 0
        return held, need - held
    return 0, 0


class _Utf8Decoder:
    # Node's own algorithm (src/string_decoder.cc), not codecs' incremental decoder: that
    # one emits U+FFFD for C0, F5 or ED A0 at once, where Node waits for the next chunk.
    __slots__ = ("_held", "_missing", "encoding")

    def __init__(self) -> None:
        self.encoding = "utf8"
        self._held = b""
        self._missing = 0

    def write(self, chunk: BytesLike) -> str:
        data = _flat(chunk)
        prefix = ""
        if self._missing:
            view = memoryview(data)
            take = 0
            limit = min(self._missing, len(view))
            while take < limit and view[take] & 0xC0 == 0x80:
                take += 1
            self._held += view[:take]
            data = view[take:]
            if take < limit or take == self._missing:
                # Complete, or cut short by a byte that starts something else.
                prefix = str(self._held, "utf-8", "replace")
                self._held = b""
                self._missing = 0
            else:
                self._missing -= take
                return ""
        size = len(data)
        if not size:
            return prefix
        if data[size - 1] < 0x80:  # the common case: an ASCII last byte ends a character
            return prefix + str(data, "utf-8", "replace")
        held, self._missing = _utf8_tail(data)
        if held:
            view = memoryview(data)
            self._held = bytes(view[size - held :])
            data = view[: size - held]
        return prefix + str(data, "utf-8", "replace")

    def end(self, chunk: BytesLike | None = None) -> str:
        out = "" if chunk is None else self.write(chunk)
        if self._held:
            out += str(self._held, "utf-8", "replace")
            self._held = b""
            self._missing = 0
        return out


class _Utf16Decoder:
    __slots__ = ("_held", "encoding")

    def __init__(self) -> None:
        self.encoding = "utf16le"
        self._held = b""

    def write(self, chunk: BytesLike) -> str:
        data = self._held + chunk if self._held else _flat(chunk)
        size = len(data)
        cut = size & ~1
        if cut and data[cut - 1] & 0xFC == 0xD8:  # a high surrogate waits for its partner
            cut -= 2
        if cut == size:
            self._held = b""
            return str(data, "utf-16-le", "surrogatepass")
        view = memoryview(data)
        self._held = bytes(view[cut:])
        return str(view[:cut], "utf-16-le", "surrogatepass")

    def end(self, chunk: BytesLike | None = None) -> str:
        out = "" if chunk is None else self.write(chunk)
        if self._held:
            out += _decode_utf16le(self._held)
            self._held = b""
        return out


class _Base64Decoder:
    __slots__ = ("_encode", "_held", "encoding")

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._encode = _DECODERS[encoding]
        self._held = b""

    def write(self, chunk: BytesLike) -> str:
        data = self._held + chunk if self._held else _flat(chunk)
        size = len(data)
        cut = size - size % 3
        if cut == size:
            self._held = b""
            return self._encode(data)
        view = memoryview(data)
        self._held = bytes(view[cut:])
        return self._encode(view[:cut])

    def end(self, chunk: BytesLike | None = None) -> str:
        out = "" if chunk is None else self.write(chunk)
        if self._held:
            out += self._encode(self._held)
            self._held = b""
        return out


def make_decoder(encoding: str | None = "utf8") -> Decoder:
    """Return a decoder for a stream of chunks, as ``socket.set_encoding`` needs.

    ``write`` returns only whole characters (whole 3-byte groups for base64), keeping the
    rest for the next chunk; ``end`` flushes what is left (utf8: U+FFFD per invalid
    subpart; base64: padded as Node pads) and resets the decoder.

    Args:
        encoding: Any encoding name Node accepts; ``None`` means utf8.

    Returns:
        An object with ``encoding``, ``write(chunk) -> str`` and ``end(chunk=None) -> str``.

    Raises:
        TypeError: Unknown encoding (code ``ERR_UNKNOWN_ENCODING``; also a ``ValueError``).

    Node: ``new StringDecoder([encoding])``
    """
    name = normalize_encoding(encoding)
    if name == "utf8":
        return _Utf8Decoder()
    if name == "utf16le":
        return _Utf16Decoder()
    if name in ("base64", "base64url"):
        return _Base64Decoder(name)
    return _StatelessDecoder(name)
