# mypy: disable-error-code="unreachable"
# (the tests read the same state property before and after the call that changes it)
"""The writable side of a Socket as a Duplex: 'finish', cork()/uncork(), and the
writable, writable_ended, writable_finished, writable_corked, writable_need_drain flags
(each sequence checked against node v20)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from tests.helpers import Waiter
from tests.stream_helpers import closed, settle, socket_pair, until

import anyio_net as net

pytestmark = pytest.mark.anyio


async def test_cork_holds_writes_until_the_last_uncork_then_sends_them_at_once() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            got: list[bytes] = []
            conn.on("data", got.append)
            client.cork()
            client.cork()
            assert client.writable_corked == 2
            client.write(b"a", lambda err: log.append(f"cb a {err}"))
            client.write(b"b", lambda err: log.append(f"cb b {err}"))
            assert client.writable_length == 2
            assert not client.writable_need_drain
            client.uncork()
            assert client.writable_corked == 1
            assert client.writable_length == 2  # still held
            await settle()
            assert got == []
            assert log == []
            client.uncork()
            # Node hands the corked writes to the kernel at once (one writev).
            assert client.writable_corked == 0
            assert client.writable_length == 0
            await until(lambda: conn.bytes_read == 2)
            assert b"".join(got) == b"ab"
            assert log == ["cb a None", "cb b None"]
            client.destroy()
            await closed(conn)
            server.close()


async def test_end_uncorks_and_finish_follows() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            got: list[bytes] = []
            conn.on("data", got.append)
            conn_ended = Waiter(conn, "end")
            client.cork()
            client.write(b"c")
            client.end(b"d")
            assert client.writable_corked == 0
            assert client.writable_ended
            assert not client.writable
            assert not client.writable_finished
            await net.once(client, "finish")
            assert client.writable_finished
            await conn_ended.wait()
            assert b"".join(got) == b"cd"
            await closed(client)
            server.close()


async def test_writable_flags_through_end_and_finish(recorder: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            conn.resume()

            def flags() -> tuple[bool, bool, bool]:
                return (client.writable, client.writable_ended, client.writable_finished)

            assert flags() == (True, False, False)
            recorder.watch(client, "finish", "end", "close")
            client.on("finish", lambda: recorder.events.append(("flags", flags())))
            client.end()
            assert flags() == (False, True, False)
            client.resume()
            await closed(client)
            server.close()
    assert ("flags", (False, True, True)) in recorder.events
    assert recorder.names.index("finish") < recorder.names.index("close")


async def test_writable_need_drain_until_drain() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server, client, conn = await socket_pair()
            conn.pause()
            chunk = b"x" * 65536
            writes = 0
            while client.write(chunk):
                writes += 1
                assert writes < 2048, "write() never returned False"
            assert client.writable_need_drain
            drained = Waiter(client, "drain")
            conn.resume()
            await drained.wait()
            assert not client.writable_need_drain
            client.destroy()
            await closed(conn)
            server.close()


async def test_cork_before_connect_sends_after_uncork() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            got: list[bytes] = []
            done = anyio.Event()

            def on_connection(conn: net.Socket) -> None:
                conn.on("data", got.append)
                conn.on("end", done.set)

            server = net.create_server(on_connection)
            server.listen(0, "127.0.0.1")
            client = net.connect(server.address()["port"], "127.0.0.1")  # type: ignore[index]
            client.cork()
            client.write(b"one ")
            client.write(b"two")
            await net.once(client, "connect")
            await settle()
            assert client.writable_length == 7
            client.uncork()
            client.end()
            await done.wait()
            await closed(client)
            server.close()
    assert b"".join(got) == b"one two"
