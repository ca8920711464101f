"""Faults: resets, half-closes, refused and unresolvable peers, a listener that raises in a
busy server, destroy() from inside every event, calls made twice or too late, and accept()
failing with EMFILE -- each with the events and codes Node v20 gives.

Where the order of events does not depend on timing, Node's own answer is recorded by
tests/fixtures/record_node_faults.js into tests/fixtures/node_faults.json and compared
whole; the rest assert Node's documented codes (ECONNRESET or EPIPE, ECONNREFUSED, ENOTFOUND,
EMFILE) and that nothing is left open.
"""

from __future__ import annotations

import json
import os
import socket as socket_mod
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from tests.conftest import open_fds
from tests.helpers import LOCALHOST, closed_port, port_of, wait_for

import anyio_net as net
from anyio_net import _runtime, _transport

pytestmark = pytest.mark.anyio

NODE = json.loads((Path(__file__).parent / "fixtures" / "node_faults.json").read_text())

CLIENT_EVENTS = (
    "lookup",
    "connect",
    "ready",
    "data",
    "end",
    "finish",
    "drain",
    "timeout",
    "error",
    "close",
)
# More than loopback's buffers take at once, so write() returns False.
BIG = b"x" * (16 << 20)


def watch(emitter: Any, log: list[str], names: tuple[str, ...] = CLIENT_EVENTS) -> None:
    """Log events the way the Node recorder does: codes of errors, close's had_error, and
    one 'data' for a run of chunks."""

    def make(name: str) -> Callable[..., None]:
        def record(*args: Any) -> None:
            if name == "error":
                log.append(f"error:{getattr(args[0], 'code', None)}")
            elif name == "close" and args:
                log.append(f"close:{str(args[0]).lower()}")
            elif name == "data":
                if not log or log[-1] != "data":
                    log.append("data")
            else:
                log.append(name)

        return record

    for name in names:
        emitter.on(name, make(name))


def code_of(err: BaseException | None) -> str:
    return "null" if err is None else str(getattr(err, "code", err))


# -- destroy() from inside every event listener ------------------------------------------------


class Scenario:
    """One client whose listener for ``event`` calls destroy(); mirrors the Node recorder."""

    def __init__(
        self,
        connect: Callable[[int], net.Socket] = lambda port: net.connect(port, LOCALHOST),
        on_connection: Callable[[net.Socket, Any], object] = lambda conn, holder: conn.resume(),
        after_connect: Callable[[net.Socket, Any], object] | None = None,
        closed_port: bool = False,
    ) -> None:
        self.connect = connect
        self.on_connection = on_connection
        self.after_connect = after_connect
        self.closed_port = closed_port


def _read_once_backed_up(conn: net.Socket, holder: dict[str, Any]) -> None:
    holder["conn"] = conn
    if holder.get("backed_up"):
        conn.resume()


def _write_big_then_let_the_server_read(client: net.Socket, holder: dict[str, Any]) -> None:
    # The server starts reading once the client is backed up (and the server has the
    # connection: either may come first).
    def on_connect() -> None:
        assert client.write(BIG) is False
        holder["backed_up"] = True
        if "conn" in holder:
            holder["conn"].resume()

    client.on("connect", on_connect)


SCENARIOS: dict[str, Scenario] = {
    "lookup": Scenario(connect=lambda port: net.connect(port, "localhost")),
    "connect": Scenario(),
    "ready": Scenario(),
    "data": Scenario(on_connection=lambda conn, holder: (conn.resume(), conn.write(b"hello"))),
    "end": Scenario(
        on_connection=lambda conn, holder: (conn.resume(), conn.end()),
        after_connect=lambda client, holder: client.resume(),
    ),
    "finish": Scenario(
        connect=lambda port: net.connect({"port": port, "host": LOCALHOST, "allowHalfOpen": True}),
        after_connect=lambda client, holder: client.on("connect", lambda: client.end()),
    ),
    "drain": Scenario(
        on_connection=_read_once_backed_up,
        after_connect=_write_big_then_let_the_server_read,
    ),
    "timeout": Scenario(after_connect=lambda client, holder: client.set_timeout(30)),
    "error": Scenario(closed_port=True),
    "close": Scenario(
        after_connect=lambda client, holder: client.on("ready", lambda: client.end())
    ),
}


def test_every_node_scenario_has_a_twin() -> None:
    clients = {name for name in NODE["destroy_in_listener"] if not name.startswith("server:")}
    assert clients == set(SCENARIOS)
    assert set(CLIENT_EVENTS) <= clients


@pytest.mark.parametrize("event", sorted(SCENARIOS))
async def test_destroy_from_inside_each_client_listener(event: str) -> None:
    scenario = SCENARIOS[event]
    log: list[str] = []
    holder: dict[str, Any] = {}
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server()

            def on_connection(conn: net.Socket) -> None:
                conn.on("error", lambda err: None)
                scenario.on_connection(conn, holder)

            server.on("connection", on_connection)
            server.listen(0, LOCALHOST)
            port = closed_port() if scenario.closed_port else port_of(server)
            client = scenario.connect(port)
            watch(client, log)

            def destroy(*args: Any) -> None:
                log.append("destroy()")
                client.destroy()

            client.on(event, destroy)
            if scenario.after_connect is not None:
                scenario.after_connect(client, holder)
            await wait_for(client, "close")
            server.close()
    assert log == NODE["destroy_in_listener"][event]


async def test_close_from_inside_listening() -> None:
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server()
            watch(server, log, ("listening", "close", "error"))

            def close() -> None:
                log.append("close()")
                server.close()

            server.on("listening", close)
            server.listen(0, LOCALHOST)
    assert log == NODE["destroy_in_listener"]["server:listening"]
    assert not server.listening


async def test_destroy_from_inside_connection() -> None:
    conn_log: list[str] = []
    client_log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():

            def on_connection(conn: net.Socket) -> None:
                watch(conn, conn_log)
                conn_log.append("destroy()")
                conn.destroy()

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            watch(client, client_log)
            client.resume()
            await wait_for(client, "close")
            server.close()
    assert conn_log == NODE["destroy_in_listener"]["server:connection"]
    assert client_log == NODE["destroy_in_listener"]["server:connection:client"]


# -- calls made twice, or too late -------------------------------------------------------------


def _cb(log: list[str], name: str) -> Callable[..., None]:
    def callback(err: BaseException | None = None) -> None:
        log.append(f"{name}:{code_of(err)}")

    return callback


def _write(client: net.Socket, log: list[str]) -> bool:
    result = client.write(b"x", _cb(log, "write cb"))
    log.append(f"write()->{str(result).lower()}")
    return result


def _coded(message: str, code: str) -> Exception:
    err = Exception(message)
    err.code = code  # type: ignore[attr-defined]
    return err


CALLS: dict[str, tuple[Callable[[net.Socket, list[str]], object], Any]] = {
    "write after end": (lambda c, log: (c.end(), _write(c, log)), None),
    "end twice": (
        lambda c, log: (c.end(_cb(log, "end cb 1")), c.end(_cb(log, "end cb 2"))),
        lambda c, log: c.end(_cb(log, "end cb after close")),
    ),
    "destroy twice": (
        lambda c, log: (
            c.destroy(_coded("first", "EFIRST")),
            c.destroy(_coded("second", "ESECOND")),
            c.destroy(),
        ),
        None,
    ),
    "write after destroy": (lambda c, log: (c.destroy(), _write(c, log)), None),
    "end after destroy": (lambda c, log: (c.destroy(), c.end(_cb(log, "end cb"))), None),
    "end then destroy": (lambda c, log: (c.end(_cb(log, "end cb")), c.destroy()), None),
    "destroy then end and write": (
        lambda c, log: (c.destroy(), c.end(_cb(log, "end cb")), _write(c, log)),
        None,
    ),
}


def test_every_node_call_scenario_has_a_twin() -> None:
    assert set(NODE["calls"]) == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
async def test_calls_made_twice_or_too_late(name: str) -> None:
    body, after_close = CALLS[name]
    log: list[str] = []
    with anyio.fail_after(5):
        async with net.open_runtime():
            server = net.create_server(lambda conn: conn.resume())
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            watch(client, log)
            client.resume()
            client.on("connect", lambda: body(client, log))
            await wait_for(client, "close")
            if after_close is not None:
                after_close(client, log)
            server.close()
        # Leaving the runtime ran every callback still queued.
    assert log == NODE["calls"][name]


# -- the peer misbehaves -----------------------------------------------------------------------


async def test_peer_resets_mid_write() -> None:
    log: list[str] = []
    errors: list[BaseException] = []
    callbacks: list[str] = []
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(
                lambda conn: conn.once("data", lambda chunk: conn.reset_and_destroy())
            )
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            watch(client, log)
            client.on("error", errors.append)
            chunk = b"w" * 65536
            written = [0]

            def pump() -> None:
                while not client.destroyed:
                    written[0] += 1
                    if not client.write(chunk, lambda err=None: callbacks.append(code_of(err))):
                        return

            client.on("connect", pump)
            client.on("drain", pump)
            await wait_for(client, "close")
            server.close()
    log = [name for name in log if name not in ("data", "drain")]
    assert log[:2] == ["connect", "ready"]
    assert log[2] in ("error:ECONNRESET", "error:EPIPE"), log
    assert log[3:] == ["close:true"]
    err = errors[0]
    assert isinstance(err, net.NetError)
    assert err.syscall in ("read", "write")
    # Every write's callback ran exactly once: the early ones with None, the rest an error.
    assert len(callbacks) == written[0]
    assert any(code != "null" for code in callbacks)


@pytest.mark.parametrize("epoll", [True, False], ids=["own-epoll", "loop-add-reader"])
async def test_peer_resets_mid_read(epoll: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without epoll (macOS, BSD) sockets read through the loop's add_reader, where uvloop
    # reports a reset once: the pending-error probe must catch it.
    monkeypatch.setattr(_transport, "_HAVE_EPOLL", epoll)
    log: list[str] = []
    errors: list[BaseException] = []
    with anyio.fail_after(10):
        async with net.open_runtime():
            accepted: list[net.Socket] = []

            def on_connection(conn: net.Socket) -> None:
                accepted.append(conn)
                conn.write(b"y" * 100_000)

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(port_of(server), LOCALHOST)
            watch(client, log)
            client.on("error", errors.append)
            # The server resets once the client has started reading.
            client.once("data", lambda chunk: accepted[0].reset_and_destroy())
            await wait_for(client, "close")
            server.close()
    assert log == ["connect", "ready", "data", "error:ECONNRESET", "close:true"]
    assert isinstance(errors[0], net.NetError)
    assert errors[0].syscall == "read"


@pytest.mark.parametrize("allow_half_open", [False, True])
async def test_peer_half_closes_while_we_write(allow_half_open: bool) -> None:
    """Node: 'end' arrives mid-stream; without allowHalfOpen we end our side (no more
    'drain', so a drain-driven writer stops), with it we write everything; either way every
    byte accepted by write() reaches the peer and 'close' is clean."""
    log: list[str] = []
    total = 4 << 20
    chunk = b"z" * 65536
    sent = [0]
    received = [0]
    with anyio.fail_after(20):
        async with net.open_runtime():
            accepted: list[net.Socket] = []

            def on_connection(conn: net.Socket) -> None:
                accepted.append(conn)
                small_buffers(conn, socket_mod.SO_RCVBUF)

                def on_data(data: bytes) -> None:
                    if received[0] == 0:
                        conn.end()  # half-close as soon as the first bytes arrive
                        # ...and stop reading until the client has seen our FIN, so the
                        # client is still writing when 'end' reaches it, however fast the
                        # loopback is
                        conn.pause()
                    received[0] += len(data)

                conn.on("data", on_data)

            server = net.create_server({"allowHalfOpen": True}, on_connection)
            server.listen(0, LOCALHOST)
            client = net.connect(
                {"port": port_of(server), "host": LOCALHOST, "allowHalfOpen": allow_half_open}
            )
            watch(client, log, ("connect", "ready", "end", "finish", "error", "close"))

            def small_buffers(sock: net.Socket, option: int) -> None:
                # Some kernels (gVisor here) take megabytes into a loopback socket at once;
                # small buffers make the client still be writing when the FIN arrives.
                raw = socket_mod.socket(fileno=os.dup(sock.fileno()))
                raw.setsockopt(socket_mod.SOL_SOCKET, option, 32768)
                raw.close()

            def pump() -> None:
                if sent[0] == 0:
                    small_buffers(client, socket_mod.SO_SNDBUF)
                while sent[0] < total:
                    sent[0] += len(chunk)
                    if not client.write(chunk):
                        return
                client.end()

            client.on("connect", pump)
            client.on("drain", pump)
            client.on("end", lambda: accepted[0].resume())
            await wait_for(client, "close")
            server.close()
    assert log == ["connect", "ready", "end", "finish", "close:false"]
    assert received[0] == sent[0]
    if allow_half_open:
        assert sent[0] == total


async def test_connect_to_a_closed_port() -> None:
    log: list[str] = []
    errors: list[BaseException] = []
    port = closed_port()
    with anyio.fail_after(5):
        async with net.open_runtime():
            client = net.connect(port, LOCALHOST)
            watch(client, log)
            client.on("error", errors.append)
            await wait_for(client, "close")
    assert log == ["error:ECONNREFUSED", "close:true"]
    err = errors[0]
    assert isinstance(err, net.NetError)
    assert (err.syscall, err.address, err.port) == ("connect", LOCALHOST, port)


@pytest.mark.parametrize("kind", ["ENOTFOUND", "plain exception"])
async def test_dns_failure(kind: str) -> None:
    """A lookup that fails: Node emits 'lookup'(err, undefined, undefined, host), then the
    same error as 'error', then 'close'(true); no connection is tried."""
    failure: Exception = (
        net.NetError(3008, "getaddrinfo", code="ENOTFOUND", hostname="nowhere.test")
        if kind == "ENOTFOUND"
        else RuntimeError("boom")
    )
    events: list[tuple[str, tuple[Any, ...]]] = []

    def lookup(host: str, options: Any, callback: Callable[..., None]) -> None:
        callback(failure)

    with anyio.fail_after(5):
        async with net.open_runtime():
            client = net.connect({"port": 80, "host": "nowhere.test", "lookup": lookup})
            for name in ("lookup", "connect", "error", "close"):
                client.on(name, lambda *args, name=name: events.append((name, args)))
            await wait_for(client, "close")
    assert events == [
        ("lookup", (failure, None, None, "nowhere.test")),
        ("error", (failure,)),
        ("close", (True,)),
    ]


async def test_dns_failure_from_the_resolver() -> None:
    # '.invalid' never resolves (RFC 2606); the resolver answers without leaving the host.
    log: list[str] = []
    errors: list[BaseException] = []
    with anyio.fail_after(20):
        async with net.open_runtime():
            client = net.connect(80, "nowhere.invalid")
            watch(client, log)
            client.on("error", errors.append)
            await wait_for(client, "close")
    assert log in (
        ["lookup", "error:ENOTFOUND", "close:true"],
        ["lookup", "error:EAI_AGAIN", "close:true"],
    )
    assert isinstance(errors[0], net.NetError)
    assert errors[0].syscall == "getaddrinfo"


# -- a listener raises in the middle of a busy server ------------------------------------------


class Boom(Exception):
    pass


CLIENTS = 40
RAISE_AT = 400  # the 400th echoed chunk, while every client is mid-exchange


def busy_exchange(sockets: list[net.Socket]) -> Callable[[], None]:
    """An echo server with CLIENTS ping-ponging clients; a client's 'data' listener raises
    Boom at the RAISE_AT-th chunk seen by all clients together."""

    def main() -> None:
        seen = [0]

        def on_connection(conn: net.Socket) -> None:
            sockets.append(conn)
            conn.pipe(conn)

        server = net.create_server(on_connection)
        server.listen(0, LOCALHOST)
        for _ in range(CLIENTS):
            client = net.connect(port_of(server), LOCALHOST)
            sockets.append(client)

            def on_data(chunk: bytes, client: net.Socket = client) -> None:
                seen[0] += 1
                if seen[0] == RAISE_AT:
                    raise Boom("raised by a 'data' listener")
                client.write(chunk)

            client.on("data", on_data)
            client.on("connect", lambda client=client: client.write(b"ping" * 256))

    return main


async def test_listener_exception_in_a_busy_server_leaves_open_runtime() -> None:
    sockets: list[net.Socket] = []
    fds_before = open_fds()
    with anyio.fail_after(20):
        with pytest.raises(Boom):  # raised alone, not wrapped in an ExceptionGroup
            async with net.open_runtime():
                busy_exchange(sockets)()
                await anyio.sleep_forever()
    assert len(sockets) == 2 * CLIENTS
    assert all(sock.destroyed for sock in sockets)
    assert open_fds() == fds_before
    assert not _runtime.live_handles()


async def test_listener_exception_in_a_busy_server_leaves_run(anyio_backend: Any) -> None:
    backend, options = anyio_backend
    sockets: list[net.Socket] = []
    fds_before = open_fds()

    def run() -> None:
        net.run(busy_exchange(sockets), backend=backend, backend_options=options)

    with anyio.fail_after(20), pytest.raises(Boom):
        await anyio.to_thread.run_sync(run)
    assert len(sockets) == 2 * CLIENTS
    assert all(sock.destroyed for sock in sockets)
    assert open_fds() == fds_before


# -- accept() fails with EMFILE ----------------------------------------------------------------

SRC = str(Path(net.__file__).resolve().parents[1])
EMFILE_SCRIPT = textwrap.dedent(
    """
    import errno, json, os, resource, socket, sys, time
    import anyio
    import anyio_net as net

    backend, options = sys.argv[1], json.loads(sys.argv[2])

    def fds():
        return sorted(int(name) for name in os.listdir("/proc/self/fd"))

    async def main():
        result = {"errors": [], "accepted": 0}
        async with net.open_runtime():
            server = net.create_server()
            accepted = anyio.Event()

            def on_error(err):
                result["errors"].append([err.code, err.syscall, time.monotonic()])

            def on_connection(conn):
                result["accepted"] += 1
                conn.destroy()
                accepted.set()

            server.on("error", on_error)
            server.on("connection", on_connection)
            server.listen(0, "127.0.0.1")
            port = server.address()["port"]
            before = fds()
            # Lower the limit a little above what is open, then fill it up, keeping one
            # descriptor free for the client: the server's accept() then has none.
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(before) + 16, hard))
            fillers = []
            while True:
                try:
                    fillers.append(os.open(os.devnull, os.O_RDONLY))
                except OSError as exc:
                    assert exc.errno == errno.EMFILE
                    break
            os.close(fillers.pop())
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", port))
            cpu, wall = time.process_time(), time.monotonic()
            await anyio.sleep(1.0)  # a measured window: how often does the server retry?
            result["cpu_s"] = time.process_time() - cpu
            result["window_s"] = time.monotonic() - wall
            for fd in fillers:
                os.close(fd)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
            with anyio.fail_after(5):
                await accepted.wait()  # descriptors are free again: the server recovers
            client.close()
            server.close()
        result["leaked"] = sorted(set(fds()) - set(before))
        print(json.dumps(result))

    anyio.run(main, backend=backend, backend_options=options)
    """
)


async def test_accept_emfile_is_an_error_event_and_does_not_spin(
    anyio_backend: Any, tmp_path: Path
) -> None:
    backend, options = anyio_backend
    with anyio.fail_after(30):
        proc = await anyio.run_process(
            [sys.executable, "-c", EMFILE_SCRIPT, backend, json.dumps(options)],
            env={**os.environ, "PYTHONPATH": SRC},
            check=False,
        )
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout.decode().splitlines()[-1])
    errors = result["errors"]
    assert errors, "no 'error' for a failing accept()"
    assert {(code, syscall) for code, syscall, _ in errors} == {("EMFILE", "accept")}
    # Not a spin: a handful of retries a second, and the process mostly idle meanwhile.
    assert len(errors) <= 25, len(errors)
    assert result["cpu_s"] < 0.5 * result["window_s"], result
    assert result["accepted"] == 1
    assert result["leaked"] == []
