# mypy: disable-error-code="unreachable"
# (the tests read the same state property before and after the call that changes it)
"""The readable side of a Socket: flowing and paused mode, 'readable' + read(), and the
rules for switching between them (Node's "three states").

Each expected log was produced by running the same scenario under node v20: the peer
sends ``abcdefgh`` and ends, and the client waits until all of it (and the EOF) sits in
its buffer before the scenario starts, as the Node script did with a timer.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, Waiter, port_of
from tests.stream_helpers import buffered_client, closed, settle, socket_pair, state, until

import anyio_net as net
from anyio_net._runtime import current_runtime

pytestmark = pytest.mark.anyio


def text(chunk: Any) -> str:
    return chunk.decode() if isinstance(chunk, bytes) else str(chunk).replace("None", "null")


async def test_readable_wins_over_data_and_read_n_returns_exact_sizes() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.on("data", lambda d: log.append(f"data:{text(d)}"))

            def on_readable() -> None:
                log.append("readable" + state(s))
                while (chunk := s.read(3)) is not None:
                    log.append(f"read:{text(chunk)}")

            s.on("readable", on_readable)
            s.on("end", lambda: log.append("end" + state(s)))
            log.append("sync" + state(s))
            await closed(s)
            server.close()
    assert log == [
        "sync[f=false len=8 ended=false]",
        "readable[f=false len=8 ended=false]",
        "data:abc",
        "read:abc",
        "data:def",
        "read:def",
        "data:gh",
        "read:gh",
        "end[f=false len=0 ended=true]",
    ]


async def test_read_n_returns_the_rest_at_the_end_then_none() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()

            def on_readable() -> None:
                for index in range(1, 5):
                    log.append(f"r{index}:{text(s.read(3))}")
                log.append(state(s))

            s.once("readable", on_readable)
            s.on("end", lambda: log.append("end"))
            await closed(s)
            server.close()
    assert log == ["r1:abc", "r2:def", "r3:gh", "r4:null", "[f=false len=0 ended=false]", "end"]


async def test_read_without_size_returns_everything_then_none() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()

            def on_readable() -> None:
                log.append(f"r:{text(s.read())}")
                log.append(f"r:{text(s.read())}")

            s.on("readable", on_readable)
            s.on("end", lambda: log.append("end"))
            await closed(s)
            server.close()
    assert log == ["r:abcdefgh", "r:null", "end"]


async def test_read_n_waits_for_enough_data_before_the_end() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            client.write(b"ab")
            await until(lambda: conn.readable_length == 2)
            assert conn.read(3) is None  # not enough yet, and not ended
            assert conn.readable_length == 2
            client.write(b"cd")
            await until(lambda: conn.readable_length == 4)
            assert conn.read(3) == b"abc"
            assert conn.read() == b"d"
            client.end()
            ended = anyio.Event()
            conn.on("end", ended.set)
            conn_closed = Waiter(conn, "close")
            await until(lambda: conn._eof)
            assert conn.read() is None  # the buffer is empty at EOF: 'end' follows
            await ended.wait()
            await conn_closed.wait()
            server.close()


async def test_removing_the_last_readable_listener_resumes_a_data_listener() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()

            def on_readable() -> None:
                log.append("readable")

            s.on("readable", on_readable)
            s.on("data", lambda d: log.append(f"data:{text(d)}"))
            log.append(state(s))
            s.remove_listener("readable", on_readable)
            log.append("after-remove" + state(s))
            current_runtime().call_soon(lambda: log.append("tick" + state(s)))
            s.on("end", lambda: log.append("end"))
            await closed(s)
            server.close()
    assert log == [
        "[f=false len=8 ended=false]",
        "after-remove[f=false len=8 ended=false]",
        "tick[f=true len=8 ended=false]",
        "data:abcdefgh",
        "end",
    ]


async def test_removing_the_last_readable_listener_without_data_listener_resets_flowing() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()

            def on_readable() -> None:
                log.append("readable")

            s.on("readable", on_readable)
            s.remove_listener("readable", on_readable)
            current_runtime().call_soon(lambda: log.append("tick" + state(s)))
            await settle()
            s.destroy()
            server.close()
    assert log == ["tick[f=null len=8 ended=false]"]


async def test_resume_with_a_readable_listener_stays_in_paused_mode() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.on("readable", lambda: log.append("readable" + state(s)))
            s.resume()
            log.append("after-resume" + state(s))
            s.on("pause", lambda: log.append("pause"))
            s.on("resume", lambda: log.append("resume"))
            await settle()
            log.append("later" + state(s))
            s.destroy()
            server.close()
    assert log == [
        "after-resume[f=false len=8 ended=false]",
        "readable[f=false len=8 ended=false]",
        "resume",
        "later[f=false len=8 ended=false]",
    ]


async def test_data_listener_after_pause_does_not_resume() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.on("pause", lambda: log.append("pause"))
            s.pause()
            s.on("data", lambda d: log.append(f"data:{text(d)}"))
            log.append(state(s) + f"isPaused={str(s.is_paused()).lower()}")
            s.on("resume", lambda: log.append("resume"))
            s.on("end", lambda: log.append("end"))
            await settle()
            log.append("later" + state(s))
            s.resume()
            log.append(state(s))
            await closed(s)
            server.close()
    assert log == [
        "pause",
        "[f=false len=8 ended=false]isPaused=true",
        "later[f=false len=8 ended=false]",
        "[f=true len=8 ended=false]",
        "resume",
        "data:abcdefgh",
        "end",
    ]


async def test_readable_listener_after_data_listener_takes_over() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.on("data", lambda d: log.append(f"data:{text(d)}"))
            s.on("readable", lambda: log.append("readable" + state(s)))
            log.append(state(s))
            await settle()
            log.append("later" + state(s))
            s.destroy()
            server.close()
    assert log == [
        "[f=false len=8 ended=false]",
        "readable[f=false len=8 ended=false]",
        "later[f=false len=8 ended=false]",
    ]


async def test_read_in_flowing_mode_emits_data_and_flow_continues() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.on("data", lambda d: log.append(f"data:{text(d)}"))
            log.append(f"read:{text(s.read(2))}" + state(s))
            s.on("end", lambda: log.append("end"))
            await closed(s)
            server.close()
    assert log == ["data:ab", "read:ab[f=true len=6 ended=false]", "data:cdefgh", "end"]


async def test_prepend_listener_for_data_does_not_start_flowing() -> None:
    # Node hooks on()/once() only; checked with node v20 (readableFlowing stays null).
    got: list[bytes] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.prepend_listener("data", got.append)
            await settle()
            assert s.readable_flowing is None
            assert got == []
            s.resume()
            await closed(s)
            server.close()
    assert got == [b"abcdefgh"]


async def test_once_data_starts_flowing() -> None:
    got: list[bytes] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.once("data", got.append)
            assert s.readable_flowing is True
            await closed(s)
            server.close()
    assert got == [b"abcdefgh"]


async def test_pause_and_resume_events_and_is_paused() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            conn.on("pause", lambda: log.append("pause"))
            conn.on("resume", lambda: log.append("resume"))
            assert conn.readable_flowing is None
            assert not conn.is_paused()
            conn.pause()
            conn.pause()  # already paused: no second event
            assert conn.is_paused()
            assert conn.readable_flowing is False
            conn.resume()
            assert not conn.is_paused()
            assert conn.readable_flowing is True
            await settle()
            client.destroy()
            await closed(conn)
            server.close()
    assert log == ["pause", "resume"]


async def test_end_waits_until_read_drains_the_buffer() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            s.on("end", lambda: log.append("end"))
            await settle()
            assert log == []  # data waits unread: no 'end'
            assert s.read(4) == b"abcd"
            await settle()
            assert log == []
            assert s.read(4) == b"efgh"  # exactly the rest: 'end' needs one more read
            await settle()
            assert log == []
            assert s.read() is None
            await closed(s)
            server.close()
    assert log == ["end"]


async def test_readable_is_emitted_at_the_end_of_an_empty_stream() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.end())
            server.listen(0, LOCALHOST)
            s = net.connect(port_of(server), LOCALHOST)

            def on_readable() -> None:
                log.append(f"readable:{text(s.read())}")

            s.on("readable", on_readable)
            s.on("end", lambda: log.append("end"))
            await closed(s)
            server.close()
    assert log == ["readable:null", "end"]


async def test_set_encoding_decodes_what_is_already_buffered_and_read_counts_characters() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            payload = "añb€c".encode()
            server, s = await buffered_client(payload)
            assert s.readable_length == len(payload)
            s.set_encoding("utf8")
            assert s.readable_encoding == "utf8"
            assert s.readable_length == 5  # characters now
            assert s.read(2) == "añ"
            assert s.read(2) == "b€"
            assert s.read() == "c"
            await closed(s)
            server.close()


async def test_unshift_puts_data_back_in_front() -> None:
    got: list[bytes] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            head = s.read(3)
            assert head == b"abc"
            s.unshift(b"ab")
            assert s.readable_length == 7
            s.on("data", got.append)
            await closed(s)
            with pytest.raises(Exception) as late:
                s.unshift(b"x")
            assert late.value.code == "ERR_STREAM_UNSHIFT_AFTER_END_EVENT"  # type: ignore[attr-defined]
            server.close()
    assert b"".join(got) == b"abdefgh"


async def test_read_above_the_high_water_mark_raises_it() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            client.write(b"abcdefgh")
            await until(lambda: conn.readable_length == 8)
            assert conn.readable_high_water_mark == 16384
            assert conn.read(20000) is None  # not enough, not ended
            assert conn.readable_high_water_mark == 32768  # the next power of two
            with pytest.raises(ValueError) as too_big:
                conn.read(2**30 + 1)
            assert too_big.value.code == "ERR_OUT_OF_RANGE"  # type: ignore[attr-defined]
            conn.destroy()
            await closed(client)
            server.close()


async def test_did_read_aborted_and_object_mode() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, s = await buffered_client()
            assert not s.readable_did_read
            assert not s.readable_object_mode
            s.read(1)
            assert s.readable_did_read
            assert not s.readable_aborted
            s.destroy()
            assert s.readable_aborted
            server.close()


async def test_pause_on_connect_reads_nothing_until_a_readable_listener() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            accepted = anyio.Event()
            conns: list[net.Socket] = []

            def on_connection(conn: net.Socket) -> None:
                conns.append(conn)
                accepted.set()

            server = net.create_server({"pauseOnConnect": True}, on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.write(b"hello")
            await accepted.wait()
            conn = conns[0]
            await settle()
            await anyio.sleep(0.05)  # give a (wrong) reader time to read
            assert conn.readable_length == 0
            assert conn.bytes_read == 0
            readable = anyio.Event()
            conn.on("readable", readable.set)
            await readable.wait()
            assert conn.read() == b"hello"
            client.destroy()
            await closed(conn)
            server.close()
