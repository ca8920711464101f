"""Bad arguments to every public call raise what Node v20 raises, and leave nothing behind.

Node's answers are recorded by tests/fixtures/record_node_bad_input.js into
tests/fixtures/node_bad_input.json (class and code per case id); each case here makes the
same call the Python way. Node's TypeError is a Python TypeError, its RangeError a
ValueError (and not a TypeError), its plain Error a RuntimeError; the ``code`` is Node's.
A call that throws must leave no descriptor open and no handle registered; a call Node
accepts is accepted, and whatever it made is closed again.
"""

from __future__ import annotations

import functools
import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from tests.conftest import open_fds

import anyio_net as net
from anyio_net import _runtime

pytestmark = pytest.mark.anyio

FIXTURE = Path(__file__).parent / "fixtures" / "node_bad_input.json"
NODE = json.loads(FIXTURE.read_text())["cases"]

HUGE = "x" * (1 << 20)
NAN, INF = math.nan, math.inf


class Made:
    """What a case made, closed afterwards (Node's recorder closes its handles too)."""

    def __init__(self) -> None:
        self.handles: list[Any] = []

    def socket(self) -> net.Socket:
        sock = net.Socket()
        self.handles.append(sock)
        return sock

    def server(self) -> net.Server:
        server = net.create_server()
        self.handles.append(server)
        return server

    def close_all(self) -> None:
        for handle in self.handles:
            handle.on("error", lambda err: None)
            if isinstance(handle, net.Server):
                handle.close()
            else:
                handle.destroy()


class Staged:
    """A case whose checked call needs a setup first (the setup itself must succeed)."""

    def __init__(self, setup: Callable[[Made], Any], call: Callable[[Any], object]) -> None:
        self.setup = setup
        self.call = call


Case = Callable[[Made], object] | Staged

LOCAL = "127.0.0.1"

CASES: dict[str, Case] = {
    # -- net.connect / net.create_connection / socket.connect ---------------------------------
    "connect()": lambda m: net.connect(),
    "connect(null)": lambda m: net.connect(None),
    "connect({port: null})": lambda m: net.connect(port=None),
    "connect({})": lambda m: net.connect({}),
    "connect(-1)": lambda m: net.connect(-1),
    "connect(65536)": lambda m: net.connect(65536),
    "connect(80.5)": lambda m: net.connect(80.5),
    "connect(NaN)": lambda m: net.connect(NAN),
    "connect(Infinity)": lambda m: net.connect(INF),
    "connect(-Infinity)": lambda m: net.connect(-INF),
    "connect(true)": lambda m: net.connect(True),
    "connect('80')": lambda m: net.connect("80", LOCAL),
    "connect(' 80 ')": lambda m: net.connect(" 80 ", LOCAL),
    "connect('0x50')": lambda m: net.create_connection("0x50", LOCAL),
    "connect({port: 'abc'})": lambda m: net.connect({"port": "abc"}),
    "connect({port: '80'})": lambda m: net.connect({"port": "80", "host": LOCAL}),
    "connect({port: ''})": lambda m: net.connect({"port": ""}),
    "connect({port: '-1'})": lambda m: net.connect(port="-1"),
    "connect({port: '1e3'})": lambda m: net.connect(port="1e3", host=LOCAL),
    "connect({port: '80.5'})": lambda m: net.connect({"port": "80.5"}),
    "connect({port: huge digits})": lambda m: net.connect({"port": "9" * 100_000}),
    "connect({port: true})": lambda m: net.connect({"port": True}),
    "connect({port: false})": lambda m: net.connect(port=False),
    "connect({port: [80]})": lambda m: net.connect({"port": [80]}),
    "connect({port: {}})": lambda m: net.connect({"port": {}}),
    "connect({port: 2**53})": lambda m: net.connect({"port": 2**53}),
    "connect({port: 80, host: 123})": lambda m: net.connect({"port": 80, "host": 123}),
    "connect({port: 80, host: huge})": lambda m: net.connect({"port": 80, "host": HUGE}),
    "connect({port: 80, family: 5})": lambda m: net.connect({"port": 80, "family": 5}),
    "connect({port: 80, family: 'IPv5'})": lambda m: net.connect(port=80, family="IPv5"),
    "connect({port: 80, localAddress: 'nope'})": lambda m: net.connect(
        {"port": 80, "localAddress": "nope"}
    ),
    "connect({port: 80, localPort: 'x'})": lambda m: net.connect(port=80, local_port="x"),
    "connect({port: 80, localPort: -1})": lambda m: net.connect({"port": 80, "localPort": -1}),
    "connect({port: 80, localPort: 1.5})": lambda m: net.connect({"port": 80, "localPort": 1.5}),
    "connect({port: 80, hints: 'x'})": lambda m: net.connect({"port": 80, "hints": "x"}),
    "connect({port: 80, keepAliveInitialDelay: 'x'})": lambda m: net.connect(
        port=80, keep_alive_initial_delay="x"
    ),
    "connect({port: 80, noDelay: 'x'})": lambda m: net.connect(port=80, host=LOCAL, no_delay="x"),
    "connect({port: 80, lookup: 1})": lambda m: net.connect({"port": 80, "lookup": 1}),
    "connect({port: 80, timeout: -1})": lambda m: net.connect(port=80, host=LOCAL, timeout=-1),
    "connect({port: 80, timeout: NaN})": lambda m: net.connect(port=80, host=LOCAL, timeout=NAN),
    "connect({port: 80, timeout: Infinity})": lambda m: net.connect(
        port=80, host=LOCAL, timeout=INF
    ),
    "connect({port: 80, timeout: 'abc'})": lambda m: net.connect(
        {"port": 80, "host": LOCAL, "timeout": "abc"}
    ),
    "connect({port: 80, timeout: true})": lambda m: net.connect(
        {"port": 80, "host": LOCAL, "timeout": True}
    ),
    "connect({port: 80, autoSelectFamilyAttemptTimeout: 0})": lambda m: net.connect(
        port=80, auto_select_family_attempt_timeout=0
    ),
    "connect({port: 80, autoSelectFamilyAttemptTimeout: 'x'})": lambda m: net.connect(
        {"port": 80, "autoSelectFamilyAttemptTimeout": "x"}
    ),
    "connect({path: 1})": lambda m: net.connect({"path": 1}),
    "connect({path: huge})": lambda m: net.connect(path=HUGE),
    "socket.connect({port: 'abc'})": lambda m: m.socket().connect({"port": "abc"}),
    "socket.connect(-1)": lambda m: m.socket().connect(-1),
    "socket.connect({port: 80, timeout: 'abc'})": lambda m: m.socket().connect(
        {"port": 80, "host": LOCAL, "timeout": "abc"}
    ),
    # -- net.create_server / Socket ----------------------------------------------------------
    "createServer('x')": lambda m: net.create_server("x"),
    "createServer(42)": lambda m: net.create_server(42),
    "createServer({}, 'x')": lambda m: net.create_server({}, "x"),  # type: ignore[arg-type]
    "createServer({highWaterMark: -1})": lambda m: net.create_server(high_water_mark=-1),
    "createServer({highWaterMark: 'x'})": lambda m: net.create_server({"highWaterMark": "x"}),
    "createServer({highWaterMark: 1.5})": lambda m: net.create_server({"highWaterMark": 1.5}),
    "createServer({keepAliveInitialDelay: 'x'})": lambda m: net.create_server(
        {"keepAliveInitialDelay": "x"}
    ),
    "new Socket({fd: -1})": lambda m: net.Socket({"fd": -1}),
    "new Socket({fd: 'x'})": lambda m: net.Socket(fd="x"),
    "new Socket({fd: 1.5})": lambda m: net.Socket({"fd": 1.5}),
    "new Socket({highWaterMark: -1})": lambda m: net.Socket({"highWaterMark": -1}),
    "new Socket({highWaterMark: 'x'})": lambda m: net.Socket(high_water_mark="x"),
    "new Socket({highWaterMark: 1.5})": lambda m: net.Socket({"highWaterMark": 1.5}),
    "new Socket({highWaterMark: NaN})": lambda m: net.Socket({"highWaterMark": NAN}),
    # -- server.listen -----------------------------------------------------------------------
    "listen(-1)": lambda m: m.server().listen(-1),
    "listen(65536)": lambda m: m.server().listen(65536),
    "listen(1.5)": lambda m: m.server().listen(1.5),
    "listen(NaN)": lambda m: m.server().listen(NAN),
    "listen(Infinity)": lambda m: m.server().listen(INF),
    "listen(true)": lambda m: m.server().listen(True),
    "listen('0')": lambda m: m.server().listen("0", LOCAL),
    "listen({port: 'abc'})": lambda m: m.server().listen({"port": "abc"}),
    "listen({port: '0'})": lambda m: m.server().listen({"port": "0", "host": LOCAL}),
    "listen({port: '-1'})": lambda m: m.server().listen(port="-1"),
    "listen({port: true})": lambda m: m.server().listen({"port": True}),
    "listen({port: [0]})": lambda m: m.server().listen({"port": [0]}),
    "listen({})": lambda m: m.server().listen({}),
    "listen({port: 0, host: 1})": lambda m: m.server().listen({"port": 0, "host": 1}),
    "listen({port: 0, backlog: 'x'})": lambda m: m.server().listen(
        {"port": 0, "host": LOCAL, "backlog": "x"}
    ),
    "listen({port: 0, backlog: -1})": lambda m: m.server().listen(port=0, host=LOCAL, backlog=-1),
    "listen twice": Staged(lambda m: m.server().listen(0), lambda server: server.listen(0)),
    "server.close('x')": lambda m: m.server().close("x"),  # type: ignore[arg-type]
    # -- socket methods ----------------------------------------------------------------------
    "write(123)": lambda m: m.socket().write(123),
    "write(null)": lambda m: m.socket().write(None),
    "write(true)": lambda m: m.socket().write(True),
    "write({})": lambda m: m.socket().write({}),
    "write('x', 'bogus')": lambda m: m.socket().write("x", "bogus"),
    "write('x', huge encoding)": lambda m: m.socket().write("x", HUGE),
    "write('x', 'utf8', 'not a function')": lambda m: m.socket().write(
        "x",
        "utf8",
        "not a function",  # type: ignore[arg-type]
    ),
    "end(123)": lambda m: m.socket().end(123),
    "end('x', 'bogus')": lambda m: m.socket().end("x", "bogus"),
    "setEncoding('bogus')": lambda m: m.socket().set_encoding("bogus"),
    "setEncoding(123)": lambda m: m.socket().set_encoding(123),  # type: ignore[arg-type]
    "setEncoding(huge)": lambda m: m.socket().set_encoding(HUGE),
    "setTimeout(-1)": lambda m: m.socket().set_timeout(-1),
    "setTimeout(NaN)": lambda m: m.socket().set_timeout(NAN),
    "setTimeout(Infinity)": lambda m: m.socket().set_timeout(INF),
    "setTimeout('10')": lambda m: m.socket().set_timeout("10"),  # type: ignore[arg-type]
    "setTimeout(true)": lambda m: m.socket().set_timeout(True),
    "setTimeout(null)": lambda m: m.socket().set_timeout(None),  # type: ignore[arg-type]
    "setTimeout(undefined)": lambda m: m.socket().set_timeout(None),  # type: ignore[arg-type]
    "setTimeout(10, 'x')": lambda m: m.socket().set_timeout(10, "x"),  # type: ignore[arg-type]
    "setTimeout(0)": lambda m: m.socket().set_timeout(0),
    "setNoDelay('x')": lambda m: m.socket().set_no_delay("x"),  # type: ignore[arg-type]
    "setKeepAlive(true, 'x')": lambda m: m.socket().set_keep_alive(True, "x"),  # type: ignore[arg-type]
    "setKeepAlive(true, NaN)": lambda m: m.socket().set_keep_alive(True, NAN),
    "setKeepAlive(true, Infinity)": lambda m: m.socket().set_keep_alive(True, INF),
    "setKeepAlive(true, -1000)": lambda m: m.socket().set_keep_alive(True, -1000),
    # -- EventEmitter ------------------------------------------------------------------------
    "on('x', 123)": lambda m: net.EventEmitter().on("x", 123),  # type: ignore[arg-type]
    "once('x', null)": lambda m: net.EventEmitter().once("x", None),  # type: ignore[arg-type]
    "off('x', 'f')": lambda m: net.EventEmitter().off("x", "f"),  # type: ignore[arg-type]
    "prependListener('x', {})": lambda m: net.EventEmitter().prepend_listener("x", {}),  # type: ignore[arg-type]
    "setMaxListeners(-1)": lambda m: net.EventEmitter().set_max_listeners(-1),
    "setMaxListeners(NaN)": lambda m: net.EventEmitter().set_max_listeners(NAN),
    "setMaxListeners('x')": lambda m: net.EventEmitter().set_max_listeners("x"),  # type: ignore[arg-type]
    "setMaxListeners(true)": lambda m: net.EventEmitter().set_max_listeners(True),
    "setMaxListeners(Infinity)": lambda m: net.EventEmitter().set_max_listeners(INF),
    "emit('error') without a listener": lambda m: net.EventEmitter().emit("error"),
    "emit('error', 42) without a listener": lambda m: net.EventEmitter().emit("error", 42),
    # -- is_ip / is_ipv4 / is_ipv6: values, never errors -------------------------------------
    "isIP(123)": lambda m: net.is_ip(123),
    "isIP(undefined)": lambda m: net.is_ip(None),
    "isIP(huge)": lambda m: net.is_ip(HUGE),
    "isIPv4('1.2.3.4')": lambda m: net.is_ipv4("1.2.3.4"),
    "isIPv4(1234)": lambda m: net.is_ipv4(1234),
    "isIPv6(huge)": lambda m: net.is_ipv6(HUGE),
}

# Where anyio-net differs from Node on purpose, what it does instead and why.
DEVIATIONS: dict[str, tuple[dict[str, Any], str]] = {
    "socket.connect({port: 80, timeout: 'abc'})": (
        {"result": "throws", "class": "TypeError", "code": "ERR_INVALID_ARG_TYPE"},
        "Node's socket.connect() ignores the timeout option (only net.connect applies it); "
        "the contract has Socket.connect honour it, so it is checked as net.connect checks it",
    ),
}

PYTHON_CLASS = {"TypeError": TypeError, "RangeError": ValueError, "Error": RuntimeError}


def test_every_case_node_answered_has_a_python_twin() -> None:
    assert sorted(CASES) == sorted(NODE)


def test_the_fixture_covers_what_the_issue_names() -> None:
    ids = " ".join(NODE)
    for needle in ("NaN", "Infinity", "true", "huge", "-1", "'bogus'", "'80'", "'abc'"):
        assert needle in ids, needle
    answers = [answer for answer in NODE.values() if answer["result"] == "throws"]
    assert {answer["class"] for answer in answers} == {"TypeError", "RangeError", "Error"}
    assert len(answers) >= 80


def test_deviations_are_real_and_few() -> None:
    assert len(DEVIATIONS) <= 3
    for case, (ours, _why) in DEVIATIONS.items():
        assert NODE[case] != ours, f"{case}: no longer a deviation, drop it"


def check_error(err: BaseException, answer: dict[str, Any]) -> None:
    expected = PYTHON_CLASS[answer["class"]]
    assert isinstance(err, expected), f"{type(err).__mro__} is not a {expected.__name__}"
    if answer["class"] == "RangeError":
        assert not isinstance(err, TypeError), "a RangeError is not a TypeError"
    assert getattr(err, "code", None) == answer["code"], repr(err)


@pytest.mark.parametrize("case", sorted(NODE))
async def test_bad_input_raises_what_node_raises_and_leaves_nothing(case: str) -> None:
    answer = DEVIATIONS[case][0] if case in DEVIATIONS else NODE[case]
    made = Made()
    call = CASES[case]
    with anyio.fail_after(10):
        async with net.open_runtime():
            if isinstance(call, Staged):
                run = functools.partial(call.call, call.setup(made))
            else:
                run = functools.partial(call, made)
            handles_before = set(map(id, _runtime.live_handles()))
            fds_before = open_fds()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", net.MaxListenersExceededWarning)
                    value = run()
            except Exception as err:
                # Nothing half made: no descriptor opened, no handle registered.
                assert open_fds() == fds_before
                assert set(map(id, _runtime.live_handles())) == handles_before
                if answer["result"] == "ok":
                    pytest.fail(f"Node accepts {case}, Python raised {err!r}")
                check_error(err, answer)
            else:
                if isinstance(value, (net.Socket, net.Server)):
                    made.handles.append(value)
                if answer["result"] == "throws":
                    pytest.fail(f"Node throws {answer['class']} {answer['code']} for {case}")
                if "value" in answer:
                    assert value == answer["value"]
            finally:
                made.close_all()
    # Leaving the runtime closed whatever an accepted call made (the leak check agrees).
    assert not _runtime.live_handles()
