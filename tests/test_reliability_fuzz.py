"""Property tests: the EventEmitter against a reference model of Node's semantics, and
``is_ip``/``is_ipv4``/``is_ipv6`` against the installed ``node`` on Hypothesis' inputs.

What tests/test_ip.py and tests/test_encoding.py already cover is not repeated: the chunk-safe
decoders are checked there for any split of any bytes in every encoding
(``test_any_bytes_any_split_decodes_like_the_whole``) and differentially against node on
random chunkings (``test_random_cases_match_node``); the IP functions against node on a fixed
random corpus. Here Hypothesis drives the IP inputs (and shrinks a difference to its
smallest form), batched through one long-lived node process.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.conftest import NODE

from anyio_net import EventEmitter, is_ip, is_ipv4, is_ipv6

# -- the emitter against a model ----------------------------------------------------------------

NAMES = ("a", "error")  # few, so operations often meet on one event
LISTENERS = range(3)  # few, so the same listener is often registered twice


@dataclass
class Entry:
    lid: int
    once: bool
    fired: bool = False


@dataclass
class Model:
    """Node's EventEmitter, written down plainly: the reference the real one must match."""

    lists: dict[str, list[Entry]] = field(default_factory=dict)

    def add(self, name: str, lid: int, once: bool, prepend: bool) -> None:
        entries = self.lists.setdefault(name, [])
        entries.insert(0 if prepend else len(entries), Entry(lid, once))

    def remove(self, name: str, lid: int) -> None:
        # removeListener: the last registration of that listener (a once too) goes.
        entries = self.lists.get(name, [])
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].lid == lid:
                del entries[index]
                return

    def remove_all(self, name: str | None) -> None:
        if name is None:
            self.lists.clear()
        else:
            self.lists.pop(name, None)

    def emit(self, name: str, run: Callable[[int], None]) -> bool:
        snapshot = list(self.lists.get(name, []))  # later changes do not touch this emit
        if not snapshot:
            if name == "error":
                raise Unhandled
            return False
        for entry in snapshot:
            if entry.once:
                if entry.fired:
                    continue  # a nested emit ran it already
                entry.fired = True
                entries = self.lists.get(name, [])
                if entry in entries:
                    entries.remove(entry)
            run(entry.lid)
        return True

    def listeners(self, name: str) -> list[int]:
        return [entry.lid for entry in self.lists.get(name, [])]


class Unhandled(Exception):
    """What emit('error', Unhandled()) raises with no 'error' listener."""


# An op is ("on"|"once"|"prepend"|"prepend_once"|"off", name, lid), ("remove_all", name|None)
# or ("emit", name). A listener, when it runs, records itself and may do one op itself.
op_names = st.sampled_from(NAMES)
lids = st.sampled_from(LISTENERS)
add_ops = st.tuples(st.sampled_from(["on", "once", "prepend", "prepend_once"]), op_names, lids)
ops = st.one_of(
    add_ops,
    st.tuples(st.just("off"), op_names, lids),
    st.tuples(st.just("remove_all"), st.one_of(st.none(), op_names)),
    st.tuples(st.just("emit"), op_names),
)


def apply(op: tuple[Any, ...], real: EventEmitter, fns: dict[int, Any], model: Model) -> None:
    """Do one add/off/remove_all op on the real emitter and on the model."""
    kind = op[0]
    if kind in ("on", "once", "prepend", "prepend_once"):
        _, name, lid = op
        method = {
            "on": real.on,
            "once": real.once,
            "prepend": real.prepend_listener,
            "prepend_once": real.prepend_once_listener,
        }[kind]
        method(name, fns[lid])
        model.add(name, lid, once="once" in kind, prepend="prepend" in kind)
        return None
    if kind == "off":
        _, name, lid = op
        real.off(name, fns[lid])
        model.remove(name, lid)
        return None
    if kind == "remove_all":
        real.remove_all_listeners(*([] if op[1] is None else [op[1]]))
        model.remove_all(op[1])
        return None
    raise AssertionError(kind)


@settings(max_examples=500, deadline=None)
@given(
    program=st.lists(ops, min_size=3, max_size=40),
    actions=st.dictionaries(lids, ops, max_size=len(LISTENERS)),
)
# Node's rules a random program may take long to stumble on, spelt out:
# removeListener takes the last registration;
@example(program=[("on", "a", 0), ("on", "a", 1), ("on", "a", 0), ("off", "a", 0)], actions={})
# a once listener run by a nested emit does not run again in the outer one;
@example(program=[("on", "a", 0), ("once", "a", 1), ("emit", "a")], actions={0: ("emit", "a")})
# a listener removed during an emit still runs in that emit;
@example(program=[("on", "a", 0), ("on", "a", 1), ("emit", "a")], actions={0: ("off", "a", 1)})
# a listener added during an emit waits for the next one.
@example(program=[("on", "a", 0), ("emit", "a"), ("emit", "a")], actions={0: ("on", "a", 1)})
def test_emitter_matches_the_model(
    program: list[tuple[Any, ...]], actions: dict[int, tuple[Any, ...]]
) -> None:
    real = EventEmitter()
    real.set_max_listeners(0)
    model = Model()
    real_calls: list[tuple[int, str]] = []
    model_calls: list[tuple[int, str]] = []
    depth = [0, 0]  # nested emits, real and model, bounded so a program always ends

    def emit_real(name: str) -> object:
        try:
            return real.emit(name, Unhandled(name)) if name == "error" else real.emit(name)
        except Unhandled:
            return "unhandled"

    def emit_model(name: str) -> object:
        try:
            return model.emit(name, lambda lid: run_model(lid, name))
        except Unhandled:
            return "unhandled"

    def make(lid: int) -> Callable[..., None]:
        def listener(*args: Any) -> None:
            name = args[0].args[0] if args and isinstance(args[0], Unhandled) else current[-1]
            real_calls.append((lid, name))
            action = actions.get(lid)
            if action is None:
                return
            if action[0] == "emit":
                if depth[0] < 2:
                    depth[0] += 1
                    current.append(action[1])
                    real_results.append(emit_real(action[1]))
                    current.pop()
                    depth[0] -= 1
            else:
                apply(action, real, fns, Model())

        return listener

    def run_model(lid: int, name: str) -> None:
        model_calls.append((lid, name))
        action = actions.get(lid)
        if action is None:
            return
        if action[0] == "emit":
            if depth[1] < 2:
                depth[1] += 1
                model_results.append(emit_model(action[1]))
                depth[1] -= 1
        else:
            apply(action, EventEmitter(), fns, model)

    fns = {lid: make(lid) for lid in LISTENERS}
    current: list[str] = []
    real_results: list[object] = []
    model_results: list[object] = []
    for op in program:
        if op[0] == "emit":
            current.append(op[1])
            real_results.append(emit_real(op[1]))
            current.pop()
            model_results.append(emit_model(op[1]))
        else:
            apply(op, real, fns, model)
        assert real_calls == model_calls
        assert real_results == model_results
        for name in NAMES:
            assert real.listeners(name) == [fns[lid] for lid in model.listeners(name)], name
            assert real.listener_count(name) == len(model.listeners(name))
    assert sorted(map(str, real.event_names())) == sorted(n for n in NAMES if model.listeners(n))


def test_the_model_knows_nodes_rules() -> None:
    # The rules the model encodes, shown on Node's own examples (events.md).
    model = Model()
    calls: list[int] = []
    model.add("a", 1, once=False, prepend=False)
    model.add("a", 2, once=True, prepend=False)
    model.add("a", 1, once=False, prepend=True)
    assert model.listeners("a") == [1, 1, 2]
    model.remove("a", 1)  # the last registration goes
    assert model.listeners("a") == [1, 2]
    assert model.emit("a", calls.append)
    assert model.emit("a", calls.append)
    assert calls == [1, 2, 1]  # the once listener ran once
    assert not model.emit("b", calls.append)
    with pytest.raises(Unhandled):
        model.emit("error", calls.append)


# -- is_ip against node, on Hypothesis' inputs ------------------------------------------------

_NODE_ORACLE = r"""
const net = require('net');
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const batch = JSON.parse(line);
  const out = batch.map((s) => [net.isIP(s), net.isIPv4(s), net.isIPv6(s)]);
  process.stdout.write(JSON.stringify(out) + '\n');
});
"""


class NodeIsIP:
    """One node process answering a batch of strings per line."""

    def __init__(self, node: str) -> None:
        self.proc = subprocess.Popen(
            [node, "-e", _NODE_ORACLE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.batches = 0

    def ask(self, strings: list[str]) -> list[list[Any]]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(strings) + "\n")  # ASCII: lone surrogates survive
        self.proc.stdin.flush()
        self.batches += 1
        answer: list[list[Any]] = json.loads(self.proc.stdout.readline())
        return answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def node_is_ip() -> Iterator[NodeIsIP]:
    if NODE is None:  # pragma: no cover - CI installs node
        pytest.skip("node is not installed")
    oracle = NodeIsIP(NODE)
    yield oracle
    oracle.close()


@pytest.fixture
def node_is_ip_each(node_is_ip: NodeIsIP) -> NodeIsIP:
    return node_is_ip


def _v6_text(address: ipaddress.IPv6Address, exploded: bool, upper: bool, zone: str) -> str:
    text = address.exploded if exploded else address.compressed
    text = text.upper() if upper else text
    return f"{text}%{zone}" if zone else text


ip_like = st.one_of(
    st.ip_addresses(v=4).map(str),
    st.builds(
        _v6_text,
        st.ip_addresses(v=6),
        st.booleans(),
        st.booleans(),
        st.one_of(st.just(""), st.text(alphabet="az09.%:-_ \u00e9", max_size=5)),
    ),
    # IPv4 embedded in IPv6, the forms Node's grammar treats specially
    st.builds(
        lambda v4, prefix: prefix + str(v4),
        st.ip_addresses(v=4),
        st.sampled_from(["::", "::ffff:", "0::ffff:", "1:2:3:4:5:6:", "::1:", "1::", "::ffff:0:"]),
    ),
)
mangled = st.builds(
    lambda text, spot, char, kind: (
        text[:spot] + char + text[spot:]
        if kind == 0
        else text[:spot] + text[spot + 1 :]
        if kind == 1
        else text[:spot] + char + text[spot + 1 :]
    ),
    ip_like,
    st.integers(min_value=0, max_value=45),
    st.sampled_from([*"0123456789abcdefABCDEF:.%x -\n\t\u00a0\uff11\u0660\x00", "::"]),
    st.integers(min_value=0, max_value=2),
)
anything = st.text(max_size=20) | st.text(alphabet="0123456789abcdef:.%", max_size=45)
candidates = st.one_of(ip_like, mangled, anything)


@pytest.mark.needs_node
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(batch=st.lists(candidates, min_size=1, max_size=40))
def test_is_ip_agrees_with_node_on_hypothesis_inputs(
    node_is_ip_each: NodeIsIP, batch: list[str]
) -> None:
    answers = node_is_ip_each.ask(batch)
    ours = [[is_ip(text), is_ipv4(text), is_ipv6(text)] for text in batch]
    wrong = [
        (text, mine, theirs)
        for text, mine, theirs in zip(batch, ours, answers, strict=True)
        if mine != theirs
    ]
    assert not wrong, wrong


@pytest.mark.needs_node
def test_the_node_oracle_answers_in_batches(node_is_ip: NodeIsIP) -> None:
    before = node_is_ip.batches
    assert node_is_ip.ask(["1.2.3.4", "::1", "fe80::1%eth0", "1.2.3", ""]) == [
        [4, True, False],
        [6, False, True],
        [6, False, True],
        [0, False, False],
        [0, False, False],
    ]
    assert node_is_ip.batches == before + 1
