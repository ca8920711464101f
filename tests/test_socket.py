"""Socket over TCP: connect forms, events and their order, write/end/destroy, pause,
encodings, timeouts, options and properties."""

from __future__ import annotations

import socket
import socket as _socket
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, Waiter, closed_port, port_of, wait_for

import anyio_net as net

pytestmark = pytest.mark.anyio


async def echo_server(**options: Any) -> net.Server:
    server = net.create_server(options or None, lambda c: c.pipe(c))
    server.listen(0, LOCALHOST)
    return server


async def test_client_event_order_on_a_normal_exchange(recorder: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.end(b"bye"))
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), "localhost")
            recorder.watch(client, "lookup", "connect", "ready", "data", "end", "finish", "close")
            await net.once(client, "close")
            server.close()
    assert recorder.names == ["lookup", "connect", "ready", "data", "end", "finish", "close"]
    assert recorder.events[0][1] == (None, "127.0.0.1", 4, "localhost")
    assert recorder.events[3][1] == (b"bye",)
    assert recorder.events[-1][1] == (False,)


async def test_connect_forms(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            port = port_of(server)
            sockets = [
                net.connect(port, LOCALHOST, must_call()),
                net.connect({"port": port, "host": LOCALHOST}, must_call()),
                net.create_connection(port, must_call()),  # host defaults to localhost
                net.createConnection(port=port, host=LOCALHOST, callback=must_call()),
                net.Socket().connect(str(port), LOCALHOST, must_call()),
                net.Socket().connect({"port": f"0x{port:x}", "host": LOCALHOST}, must_call()),
            ]
            for s in sockets:
                if s.connecting:
                    await net.once(s, "connect")
                assert s.remote_port == port
                s.destroy()
            server.close()


async def test_connect_while_pending_properties() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            assert client.connecting
            assert client.pending
            assert client.ready_state == "opening"
            assert client.remote_address is None
            await net.once(client, "connect")
            assert not client.connecting
            assert not client.pending
            assert client.ready_state == "open"
            assert client.remote_address == LOCALHOST
            assert client.remote_family == "IPv4"
            assert client.remote_port == port_of(server)
            assert client.local_address == LOCALHOST
            assert client.local_family == "IPv4"
            assert isinstance(client.local_port, int)
            assert client.address() == {
                "address": LOCALHOST,
                "family": "IPv4",
                "port": client.local_port,
            }
            client.destroy()
            assert client.destroyed
            await net.once(client, "close")
            # addresses stay readable after close, as in Node
            assert client.remote_address == LOCALHOST
            server.close()


async def test_econnrefused_is_error_then_close_with_node_fields(recorder: Any) -> None:
    port = closed_port()
    with anyio.fail_after(5):
        async with net.open_runtime():
            client = net.connect(port, LOCALHOST)
            recorder.watch(client, "connect", "error", "close")
            await wait_for(client, "close")
    assert recorder.names == ["error", "close"]
    err = recorder.events[0][1][0]
    assert isinstance(err, net.NetError)
    assert err.code == "ECONNREFUSED"
    assert err.syscall == "connect"
    assert err.address == LOCALHOST
    assert err.port == port
    assert err.errno == 111 or err.errno > 0
    assert str(err) == f"connect ECONNREFUSED {LOCALHOST}:{port}"
    assert recorder.events[1][1] == (True,)


async def test_enotfound_emits_lookup_error_then_error_then_close(recorder: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            client = net.connect(80, "nosuch.invalid")
            recorder.watch(client, "lookup", "connect", "error", "close")
            await wait_for(client, "close")
    assert recorder.names == ["lookup", "error", "close"]
    err, address, family, host = recorder.events[0][1]
    assert err.code == "ENOTFOUND"
    assert address is None
    assert family is None
    assert host == "nosuch.invalid"
    error = recorder.events[1][1][0]
    assert error.code == "ENOTFOUND"
    assert error.syscall == "getaddrinfo"
    assert error.hostname == "nosuch.invalid"


async def test_unhandled_error_propagates_out_of_the_runtime() -> None:
    port = closed_port()
    with anyio.fail_after(5), pytest.raises(net.NetError) as info:
        async with net.open_runtime():
            net.connect(port, LOCALHOST)
    assert info.value.code == "ECONNREFUSED"


async def test_econnreset_when_the_peer_resets(recorder: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            # reset once the client has spoken, so the connect itself has succeeded
            server = net.create_server(lambda c: c.on("data", lambda d: c.reset_and_destroy()))
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.write(b"hi")
            client.resume()
            recorder.watch(client, "end", "error", "close")
            await wait_for(client, "close")
            server.close()
    assert recorder.names == ["error", "close"]
    assert recorder.events[0][1][0].code == "ECONNRESET"
    assert recorder.events[0][1][0].syscall == "read"
    assert recorder.events[1][1] == (True,)


async def test_write_returns_false_at_high_water_mark_and_drain_follows(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server({"pauseOnConnect": True})
            server.listen(0, LOCALHOST)
            accepted = Waiter(server, "connection")
            client = net.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            (conn,) = await accepted.wait()
            chunk = b"z" * 65536
            written = 0
            while client.write(chunk):
                written += len(chunk)
                assert written < 64 * 1024 * 1024, "write() never returned False"
            written += len(chunk)
            assert client.writable_length >= 16384
            assert client.bytes_written == written
            received: list[int] = []
            conn.on("data", lambda d: received.append(len(d)))
            assert conn.readable_flowing is False  # pauseOnConnect: a listener is not enough
            conn.resume()
            client.on("drain", must_call())
            await net.once(client, "drain")
            assert client.writable_length == 0
            client.end()
            await net.once(conn, "end")
            assert sum(received) == written
            conn.destroy()
            server.close()


async def test_write_callbacks_run_after_the_data_is_handed_over(must_call: Any) -> None:
    order: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            client.write(b"a", must_call(lambda err: order.append(f"cb1 {err}")))
            client.write("b", "utf8", must_call(lambda err: order.append(f"cb2 {err}")))
            order.append("returned")
            client.end(b"c", must_call(lambda: order.append("end cb")))
            client.resume()
            await net.once(client, "close")
            server.close()
    assert order == ["returned", "cb1 None", "cb2 None", "end cb"]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("héllo", None, "héllo".encode()),
        ("héllo", "utf-8", "héllo".encode()),
        ("héllo", "latin1", "héllo".encode("latin-1")),
        ("héllo", "binary", "héllo".encode("latin-1")),
        ("hello", "ascii", b"hello"),
        ("68656c6c6f", "hex", b"hello"),
        ("aGVsbG8=", "base64", b"hello"),
        ("aGVsbG8", "base64url", b"hello"),
        ("hi", "utf16le", b"h\x00i\x00"),
        ("hi", "ucs2", b"h\x00i\x00"),
    ],
)
async def test_write_str_with_every_encoding(text: str, encoding: Any, expected: bytes) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            got: list[bytes] = []
            client.on("data", got.append)
            client.write(text, encoding)
            assert client.bytes_written == len(expected)
            client.end()
            await net.once(client, "close")
            server.close()
    assert b"".join(got) == expected


async def test_bad_write_arguments_raise_at_the_call() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            sock = net.Socket()
            for bad in (1337, True, [], {}):
                with pytest.raises(TypeError) as info:
                    sock.write(bad)
                assert info.value.code == "ERR_INVALID_ARG_TYPE"
            with pytest.raises(TypeError) as null_info:
                sock.write(None)
            assert null_info.value.code == "ERR_STREAM_NULL_VALUES"
            with pytest.raises(TypeError) as enc_info:
                sock.write("x", "no-such-encoding")
            assert enc_info.value.code == "ERR_UNKNOWN_ENCODING"
            assert isinstance(enc_info.value, ValueError)
            sock.destroy()


async def test_set_encoding_decodes_characters_split_across_chunks() -> None:
    text = "€" * 5000  # 3 bytes each
    with anyio.fail_after(5):
        async with net.open_runtime():

            def on_connection(c: net.Socket) -> None:
                data = text.encode()
                # split inside a character on purpose
                c.write(data[:1])
                c.write(data[1:4])
                c.end(data[4:])

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.set_encoding("UTF-8")
            got: list[str] = []
            client.on("data", got.append)
            await net.once(client, "end")
            server.close()
    assert all(isinstance(part, str) for part in got)
    assert "".join(got) == text


async def test_pause_really_stops_reading_and_the_peer_backs_up() -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            connected = Waiter(client, "connect")
            (conn,) = await net.once(server, "connection")
            conn.pause()
            await connected.wait()
            chunk = b"p" * 65536
            while client.write(chunk):
                pass
            # the writer only drains if the paused peer reads: wait a while for a drain
            # that must not come while the kernel buffers are full
            with anyio.move_on_after(0.5) as scope:
                while True:
                    await net.once(client, "drain")
                    if not client.write(chunk):
                        continue
            assert scope.cancelled_caught
            assert conn.bytes_read < 8 * 1024 * 1024
            before = conn.bytes_read
            total = 0
            conn.on("data", lambda d: None)
            conn.resume()
            client.end()
            await net.once(conn, "end")
            total = conn.bytes_read
            assert total > before
            conn.destroy()
            server.close()


async def test_end_without_a_consumer_when_nothing_is_buffered(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.end())
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.on("end", must_call())
            await net.once(client, "close")
            server.close()


async def test_data_without_a_listener_is_buffered_not_lost() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.end(b"kept"))
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            for _ in range(50):
                await anyio.lowlevel.checkpoint()
            got: list[bytes] = []
            client.on("data", got.append)
            await net.once(client, "end")
            server.close()
    assert got == [b"kept"]


async def test_no_end_while_data_waits_unread_as_in_node(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.end(b"unread"))
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.on("end", must_call(None, 0))
            await net.once(client, "connect")
            while client.readable_length == 0:
                await anyio.lowlevel.checkpoint()
            for _ in range(50):
                await anyio.lowlevel.checkpoint()
            client.destroy()
            server.close()


async def test_allow_half_open_false_ends_our_side_after_end(recorder: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            recorder.watch(client, "end", "finish", "close")
            client.resume()
            client.on("end", lambda: recorder.events.append(("writable", (client.writable,))))
            client.end()
            await net.once(client, "close")
            server.close()
    assert recorder.names[0] in ("finish", "end")
    assert set(recorder.names) == {"end", "finish", "close", "writable"}
    assert recorder.names[-1] == "close"


async def test_write_after_end_is_an_error() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            client.end()
            results: list[Any] = []
            client.on("error", results.append)
            assert client.write(b"late", lambda err: results.append(("cb", err))) is False
            await wait_for(client, "close")
            server.close()
    codes = sorted((r[1].code if isinstance(r, tuple) else r.code) for r in results)
    assert codes == ["ERR_STREAM_WRITE_AFTER_END", "ERR_STREAM_WRITE_AFTER_END"]


async def test_destroy_with_error_and_twice(recorder: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            recorder.watch(client, "error", "close")
            boom = RuntimeError("boom")
            assert client.destroy(boom) is client
            assert client.destroy() is client
            await wait_for(client, "close")
            server.close()
    assert recorder.events == [("error", (boom,)), ("close", (True,))]


async def test_destroy_never_connected_socket_still_closes(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            sock = net.Socket()
            sock.on("close", must_call(lambda had_error: None))
            sock.destroy()


async def test_destroy_soon_flushes_then_closes() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.resume())
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            client.write(b"x" * 100000)
            client.destroy_soon()
            await net.once(client, "close")
            assert client.bytes_written == 100000
            server.close()


async def test_set_timeout_emits_timeout_once_per_idle_period(must_call: Any) -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            client.set_timeout(50, must_call())
            assert client.timeout == 50
            await net.once(client, "timeout")
            client.set_timeout(0)
            client.destroy()
            server.close()


async def test_set_timeout_validates_its_argument() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            sock = net.Socket()
            with pytest.raises(TypeError) as info:
                sock.set_timeout("100")  # type: ignore[arg-type]
            assert info.value.code == "ERR_INVALID_ARG_TYPE"
            for bad in (-1, float("inf"), float("nan")):
                with pytest.raises(ValueError) as range_info:
                    sock.set_timeout(bad)
                assert range_info.value.code == "ERR_OUT_OF_RANGE"
            assert sock.set_timeout(0) is sock
            sock.destroy()


async def test_set_timeout_does_not_keep_the_runtime_alive() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            net.Socket().set_timeout(60_000)


async def test_set_no_delay_and_keep_alive_before_and_after_connect() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.Socket()
            assert client.set_no_delay() is client
            assert client.set_keep_alive(True, 2000) is client
            client.connect(port_of(server), LOCALHOST)
            await net.once(client, "connect")
            raw = client._transport.raw
            assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            assert raw.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
            assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 2
            client.set_no_delay(False)
            assert not raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            client.destroy()
            server.close()


async def test_localhost_reaches_a_server_on_either_family() -> None:
    # whatever the resolver gives for localhost here (/etc/hosts may list one family only)
    families = sorted(
        {info[4][0] for info in _socket.getaddrinfo("localhost", 80, type=_socket.SOCK_STREAM)}
    )
    with anyio.fail_after(5):
        async with net.open_runtime():
            for host in families:
                server = await echo_server() if host == "127.0.0.1" else None
                if server is None:
                    server = net.create_server(lambda c: c.pipe(c))
                    server.listen(0, host)
                client = net.connect(port_of(server), "localhost")
                await net.once(client, "connect")
                assert client.remote_address == host
                client.destroy()
                server.close()


async def test_async_iteration_yields_chunks_until_end() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.end(b"one two"))
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            got = [chunk async for chunk in client]
            server.close()
    assert b"".join(got) == b"one two"


async def test_bytes_read_and_written_count_bytes() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(port_of(server), LOCALHOST)
            client.write("twø")
            assert client.bytes_written == 4
            client.resume()
            client.end()
            await net.once(client, "close")
            assert client.bytes_read == 4
            server.close()


async def test_connect_argument_errors() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            with pytest.raises(TypeError) as missing:
                net.connect()
            assert missing.value.code == "ERR_MISSING_ARGS"
            with pytest.raises(TypeError) as missing2:
                net.connect({})
            assert missing2.value.code == "ERR_MISSING_ARGS"
            with pytest.raises(ValueError) as bad_port:
                net.connect({"port": "abc"})
            assert bad_port.value.code == "ERR_SOCKET_BAD_PORT"
            with pytest.raises(TypeError) as bad_type:
                net.connect({"port": True})
            assert bad_type.value.code == "ERR_INVALID_ARG_TYPE"
            with pytest.raises(TypeError) as bad_ip:
                net.connect({"port": 80, "localAddress": "foobar"})
            assert bad_ip.value.code == "ERR_INVALID_IP_ADDRESS"
            assert isinstance(bad_ip.value, ValueError)
            with pytest.raises(TypeError) as bad_lookup:
                net.connect({"port": 80, "lookup": 5})
            assert bad_lookup.value.code == "ERR_INVALID_ARG_TYPE"


async def test_custom_lookup_is_used_and_reported(recorder: Any) -> None:
    calls: list[Any] = []

    def lookup(host: str, options: dict[str, Any], callback: Any) -> None:
        calls.append((host, options["family"]))
        callback(None, "127.0.0.1", 4)

    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            client = net.connect(
                {"port": port_of(server), "host": "example.invalid", "lookup": lookup, "family": 4}
            )
            recorder.watch(client, "lookup")
            await net.once(client, "connect")
            client.destroy()
            server.close()
    assert calls == [("example.invalid", 4)]
    assert recorder.events == [("lookup", (None, "127.0.0.1", 4, "example.invalid"))]


async def test_local_port_and_address_are_bound() -> None:
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = await echo_server()
            probe = socket.socket()
            probe.bind((LOCALHOST, 0))
            local_port = probe.getsockname()[1]
            probe.close()
            client = net.connect(
                {
                    "port": port_of(server),
                    "host": LOCALHOST,
                    "localAddress": LOCALHOST,
                    "localPort": local_port,
                }
            )
            await net.once(client, "connect")
            assert client.local_port == local_port
            client.destroy()
            server.close()


async def test_reconnect_from_close_listener(must_call: Any) -> None:
    rounds = {"n": 0}
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(lambda c: c.end(b"hi"))
            server.listen(0, LOCALHOST)
            client = net.Socket()
            client.set_encoding("utf8")
            got: list[str] = []
            client.on("data", got.append)

            def on_close(had_error: bool) -> None:
                assert not had_error
                rounds["n"] += 1
                if rounds["n"] < 5:
                    client.connect(port_of(server), LOCALHOST)
                else:
                    server.close()

            client.on("close", on_close)
            client.connect(port_of(server), LOCALHOST)
    assert rounds["n"] == 5
    assert got == ["hi"] * 5


async def destroy_while_connecting_then_reconnect(port: int) -> list[str]:
    """Destroy a socket at once after connect(); its first 'close' connects it again."""
    client = net.connect(port, LOCALHOST)
    events: list[str] = []
    done = anyio.Event()

    def on_close(had_error: bool) -> None:
        events.append("close")
        if events.count("close") == 1:
            client.connect(port, LOCALHOST)
        else:
            done.set()

    def on_connect() -> None:
        events.append("connect")
        client.end()

    client.on("close", on_close)
    client.on("connect", on_connect)
    client.on("error", lambda err: events.append(f"error {err.code}"))
    client.destroy()
    await done.wait()
    return events


async def test_reconnect_from_close_listener_after_destroy_while_connecting() -> None:
    # destroy() before the connecting task ever ran finalizes at once, so 'close' (and the
    # connect() in its listener) may come before that task starts: it must not run too,
    # or the socket would connect twice (two 'connect's, or two tasks reading one socket).
    with anyio.fail_after(10):
        async with net.open_runtime():
            accepted: list[net.Socket] = []
            server = net.create_server(lambda c: (accepted.append(c), c.on("end", c.end)))
            server.listen(0, LOCALHOST)
            await net.once(server, "listening")
            for _ in range(5):
                events = await destroy_while_connecting_then_reconnect(port_of(server))
                assert events == ["close", "connect", "close"]
            assert len(accepted) == 5
            server.close()


async def test_accepted_socket_addresses_are_read_on_first_use_as_in_node() -> None:
    # Node asks the handle for a socket's addresses when first read and keeps them: a
    # socket closed before anyone asked has none (undefined), one asked before keeps them.
    seen: dict[str, Any] = {}
    with anyio.fail_after(5):
        async with net.open_runtime():
            both_closed = anyio.Event()

            def record(key: str, value: Any) -> None:
                seen[key] = value
                if "kept" in seen and "unasked" in seen:
                    both_closed.set()

            def on_connection(c: net.Socket) -> None:
                if "asked" not in seen:  # the first connection asks at once, the second never
                    seen["asked"] = (c.remote_address, c.local_port)
                    c.on("close", lambda _e: record("kept", (c.remote_family, c.local_port)))
                else:
                    c.on("close", lambda _e: record("unasked", (c.remote_address, c.address())))
                c.resume()

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            port = port_of(server)
            for _ in range(2):
                client = net.connect(port, LOCALHOST)
                await net.once(client, "connect")
                client.end()
                await net.once(client, "close")
            await both_closed.wait()
            server.close()
    assert seen["asked"] == (LOCALHOST, port)
    assert seen["kept"] == ("IPv4", port)
    assert seen["unasked"] == (None, {})
