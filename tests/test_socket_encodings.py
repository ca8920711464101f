"""``set_encoding`` end to end over a real socket, for every Node encoding: a sample cut at
every split point is written as separate writes (each read as its own chunk), and what
'data' delivers must equal the sample decoded whole (characters, base64 groups and UTF-16
code units split across chunks come out whole)."""

from __future__ import annotations

import anyio
import pytest
from tests.stream_helpers import closed, socket_pair, until

import anyio_net as net
from anyio_net._encoding import decode

pytestmark = pytest.mark.anyio

# Each sample decodes on its own to whole characters (base64: whole 3-byte groups), so the
# text received after each message can be checked against the bytes sent so far.
SAMPLES = {
    "utf8": "añ€😀z".encode(),
    "utf16le": "a€😀".encode("utf-16-le"),
    "latin1": b"caf\xe9\x80\xff",
    "ascii": b"caf\xe9\x80\xff",
    "hex": b"\x00\x7f\x80\xff\x10",
    "base64": b"\x00\xff\x10\x80ab",
    "base64url": b"\xfb\xff\xbf\x00?>",
}


def messages(sample: bytes) -> list[list[bytes]]:
    """The sample cut at every split point, then cut into single bytes."""
    cuts = [[sample[:i], sample[i:]] for i in range(1, len(sample))]
    return [[sample], *cuts, [sample[i : i + 1] for i in range(len(sample))]]


@pytest.mark.parametrize("encoding", sorted(SAMPLES))
async def test_every_split_point_decodes_whole(encoding: str) -> None:
    sample = SAMPLES[encoding]
    with anyio.fail_after(20):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            client.set_no_delay(True)
            conn.set_encoding(encoding)
            got: list[str] = []
            conn.on("data", got.append)
            sent = b""
            for pieces in messages(sample):
                for piece in pieces:
                    sent += piece
                    client.write(piece)
                    # one write, one chunk: the next write starts after this one was read
                    target = len(sent)
                    await until(lambda: conn.bytes_read >= target)  # noqa: B023
                expected = decode(sent, encoding)
                with anyio.move_on_after(2):
                    await until(lambda: "".join(got) == expected)  # noqa: B023
                assert "".join(got) == expected, pieces
            assert all(isinstance(chunk, str) and chunk for chunk in got)
            client.end()
            await closed(conn)
            server.close()


@pytest.mark.parametrize("encoding", ["utf8", "utf16le", "base64"])
async def test_held_back_bytes_are_flushed_before_end(encoding: str) -> None:
    # An incomplete character at EOF comes out as Node's decoder ends it, before 'end'.
    tail = {"utf8": b"\xe2\x82", "utf16le": b"a\x00b", "base64": b"abcd"}[encoding]
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            conn.set_encoding(encoding)
            conn.on("data", lambda chunk: log.append(f"data:{chunk}"))
            conn.on("end", lambda: log.append("end"))
            client.end(tail)
            await closed(conn)
            server.close()
    assert "".join(entry[5:] for entry in log[:-1]) == decode(tail, encoding)
    assert log[-1] == "end"
