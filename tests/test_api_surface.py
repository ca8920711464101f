"""The public surface: every name of the API contract exists, and each camelCase name is its
snake_case twin (the very same object), declared in ``_aliases.py`` only."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from tests.helpers import LOCALHOST

import anyio_net as net
from anyio_net import _aliases

# -- the contract, written out here so that dropping a name anywhere fails a test ---------------

MODULE_NAMES = [
    "run",
    "open_runtime",
    "create_server",
    "connect",
    "create_connection",
    "is_ip",
    "is_ipv4",
    "is_ipv6",
    "once",
    "on",
    "EventEmitter",
    "Server",
    "Socket",
    "NetError",
    "CodedError",
    "MaxListenersExceededWarning",
    "error_monitor",
    "get_event_listeners",
    "get_max_listeners",
    "set_max_listeners",
    "listener_count",
]

MODULE_CAMEL = {
    "createServer": "create_server",
    "createConnection": "create_connection",
    "isIP": "is_ip",
    "isIPv4": "is_ipv4",
    "isIPv6": "is_ipv6",
    "getEventListeners": "get_event_listeners",
    "getMaxListeners": "get_max_listeners",
    "setMaxListeners": "set_max_listeners",
    "listenerCount": "listener_count",
    "errorMonitor": "error_monitor",
}

EMITTER_METHODS = [
    "on",
    "add_listener",
    "once",
    "off",
    "remove_listener",
    "prepend_listener",
    "prepend_once_listener",
    "remove_all_listeners",
    "emit",
    "listeners",
    "raw_listeners",
    "listener_count",
    "event_names",
    "set_max_listeners",
    "get_max_listeners",
]

EMITTER_CAMEL = {
    "addListener": "add_listener",
    "removeListener": "remove_listener",
    "prependListener": "prepend_listener",
    "prependOnceListener": "prepend_once_listener",
    "removeAllListeners": "remove_all_listeners",
    "rawListeners": "raw_listeners",
    "listenerCount": "listener_count",
    "eventNames": "event_names",
    "setMaxListeners": "set_max_listeners",
    "getMaxListeners": "get_max_listeners",
}

SERVER_MEMBERS = [
    "listen",
    "close",
    "address",
    "get_connections",
    "connections",
    "listening",
    "ref",
    "unref",
    "__aenter__",
    "__aexit__",
]

SERVER_CAMEL = {"getConnections": "get_connections", "maxConnections": "max_connections"}

SOCKET_MEMBERS = [
    "connect",
    "write",
    "end",
    "destroy",
    "destroy_soon",
    "reset_and_destroy",
    "pause",
    "resume",
    "is_paused",
    "set_encoding",
    "set_timeout",
    "set_no_delay",
    "set_keep_alive",
    "address",
    "ref",
    "unref",
    "pipe",
    "cork",
    "uncork",
    "remote_address",
    "remote_port",
    "remote_family",
    "local_address",
    "local_port",
    "local_family",
    "bytes_read",
    "bytes_written",
    "buffer_size",
    "writable_length",
    "connecting",
    "pending",
    "destroyed",
    "ready_state",
    "timeout",
    "writable",
    "readable",
    "writable_ended",
    "writable_finished",
    "readable_ended",
    "__aiter__",
]

SOCKET_CAMEL = {
    "setEncoding": "set_encoding",
    "setTimeout": "set_timeout",
    "setNoDelay": "set_no_delay",
    "setKeepAlive": "set_keep_alive",
    "destroySoon": "destroy_soon",
    "resetAndDestroy": "reset_and_destroy",
    "isPaused": "is_paused",
    "remoteAddress": "remote_address",
    "remotePort": "remote_port",
    "remoteFamily": "remote_family",
    "localAddress": "local_address",
    "localPort": "local_port",
    "localFamily": "local_family",
    "bytesRead": "bytes_read",
    "bytesWritten": "bytes_written",
    "bufferSize": "buffer_size",
    "writableLength": "writable_length",
    "writableEnded": "writable_ended",
    "writableFinished": "writable_finished",
    "readableEnded": "readable_ended",
    "readyState": "ready_state",
    "allowHalfOpen": "allow_half_open",
}

# Attributes set per instance (the camelCase name forwards to them).
INSTANCE_ATTRIBUTES = {"allow_half_open", "max_connections", "connecting"}


def _static(cls: type, name: str) -> Any:
    return inspect.getattr_static(cls, name)


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_has_every_contract_name(name: str) -> None:
    assert hasattr(net, name)
    assert name in net.__all__


@pytest.mark.parametrize(("camel", "snake"), sorted(MODULE_CAMEL.items()))
def test_module_camel_case_name_is_its_twin(camel: str, snake: str) -> None:
    assert getattr(net, camel) is getattr(net, snake)
    assert camel in net.__all__


def test_everything_in_all_exists() -> None:
    missing = [name for name in net.__all__ if not hasattr(net, name)]
    assert missing == []


@pytest.mark.parametrize(
    ("cls", "names"),
    [
        (net.EventEmitter, EMITTER_METHODS),
        (net.Server, SERVER_MEMBERS + EMITTER_METHODS),
        (net.Socket, SOCKET_MEMBERS + EMITTER_METHODS),
    ],
    ids=["EventEmitter", "Server", "Socket"],
)
def test_classes_have_every_contract_member(cls: type, names: list[str]) -> None:
    missing = [name for name in names if name not in INSTANCE_ATTRIBUTES and not hasattr(cls, name)]
    assert missing == []


CLASS_CAMEL = [
    (net.EventEmitter, EMITTER_CAMEL),
    (net.Server, {**EMITTER_CAMEL, **SERVER_CAMEL}),
    (net.Socket, {**EMITTER_CAMEL, **SOCKET_CAMEL}),
]


@pytest.mark.parametrize(("cls", "expected"), CLASS_CAMEL, ids=["EventEmitter", "Server", "Socket"])
def test_class_camel_case_names_are_their_twins(cls: type, expected: dict[str, str]) -> None:
    for camel, snake in expected.items():
        camel_obj = _static(cls, camel)
        if snake in INSTANCE_ATTRIBUTES:
            # forwards to the instance attribute, or is that attribute's slot itself
            assert isinstance(camel_obj, property) or camel_obj is _static(cls, snake), camel
            continue
        assert camel_obj is _static(cls, snake), f"{cls.__name__}.{camel} is not .{snake}"
        assert getattr(cls, camel) is getattr(cls, snake) or isinstance(camel_obj, classmethod)


@pytest.mark.parametrize(("cls", "expected"), CLASS_CAMEL, ids=["EventEmitter", "Server", "Socket"])
def test_the_alias_table_covers_the_contract(cls: type, expected: dict[str, str]) -> None:
    table = _aliases.class_node_names(cls)
    for camel, snake in expected.items():
        if snake in INSTANCE_ATTRIBUTES:
            assert table[camel] == snake
        else:  # add_listener is on, as in Node: the table may name either
            assert _static(cls, table[camel]) is _static(cls, snake)


def test_every_alias_in_the_table_is_its_twin() -> None:
    for cls in (net.EventEmitter, net.Server, net.Socket):
        for camel, snake in _aliases.class_node_names(cls).items():
            target = _static(cls, camel)  # every name of the table is bound
            if snake in INSTANCE_ATTRIBUTES:
                # a property forwarding to the attribute, or the attribute's slot itself
                assert isinstance(target, property) or target is _static(cls, snake), camel
                continue  # an instance attribute: checked on instances below
            assert target is _static(cls, snake), f"{cls.__name__}.{camel}"
    for camel, (module, snake) in _aliases.MODULE_NODE_NAMES.items():
        import importlib

        assert getattr(net, camel) is getattr(importlib.import_module(module), snake)


@pytest.mark.parametrize(
    "mixin", [_aliases.EventEmitterNodeNames, _aliases.SocketNodeNames, _aliases.ServerNodeNames]
)
def test_spelled_out_signatures_match_their_twins(mixin: type) -> None:
    owners: dict[type, type] = {
        _aliases.EventEmitterNodeNames: net.EventEmitter,
        _aliases.SocketNodeNames: net.Socket,
        _aliases.ServerNodeNames: net.Server,
    }
    owner = owners[mixin]
    for camel, stub in _aliases.spelled_out(mixin).items():
        twin = getattr(owner, vars(mixin)["node_names"][camel])
        assert inspect.signature(stub) == inspect.signature(twin), camel


def test_camel_case_names_are_not_documented_twice() -> None:
    # The mixins keep no trace of the declarations once bound: only the twins are members.
    for mixin in (_aliases.EventEmitterNodeNames, _aliases.SocketNodeNames):
        for camel in mixin.node_names:
            assert camel not in vars(mixin)


def test_subclass_override_is_reached_through_the_camel_case_name() -> None:
    class Loud(net.EventEmitter):
        def listener_count(self, name: Any, listener: Any = None) -> int:
            return 42

    assert Loud.listenerCount is Loud.listener_count
    assert Loud().listenerCount("x") == 42
    assert net.EventEmitter().listenerCount("x") == 0


def test_subclass_defining_the_camel_case_name_keeps_its_own() -> None:
    class NodeStyle(net.EventEmitter):
        def eventNames(self) -> list[Any]:  # type: ignore[misc]  # Node's spelling, on purpose
            return ["mine"]

    assert NodeStyle().eventNames() == ["mine"]
    assert NodeStyle().event_names() == []


def test_plain_subclass_shares_the_base_objects() -> None:
    class Plain(net.Socket):
        pass

    assert "setEncoding" not in vars(Plain)
    assert Plain.setEncoding is net.Socket.set_encoding


def test_every_public_member_names_its_node_counterpart() -> None:
    lacking = []
    for cls in (net.EventEmitter, net.Server, net.Socket):
        for name, value in vars(cls).items():
            if name.startswith("_") or name in _aliases.class_node_names(cls):
                continue
            if not isinstance(value, (property, classmethod)) and not inspect.isfunction(value):
                continue  # plain class attributes are documented with #: comments
            doc = inspect.getdoc(value) or ""
            if "Node" not in doc and "seed" not in doc:
                lacking.append(f"{cls.__name__}.{name}")
    for name in MODULE_NAMES:
        doc = inspect.getdoc(getattr(net, name)) or ""
        if callable(getattr(net, name)) and "Node" not in doc:
            lacking.append(name)
    assert lacking == []


@pytest.mark.anyio
async def test_instance_attribute_aliases_read_and_write_the_twin() -> None:
    async with net.open_runtime():
        server = net.create_server()
        assert server.maxConnections is None
        server.maxConnections = 3
        assert server.max_connections == 3
        server.max_connections = 5
        assert server.maxConnections == 5

        sock = net.Socket({"allowHalfOpen": True})
        assert sock.allowHalfOpen is True
        sock.allowHalfOpen = False
        assert sock.allow_half_open is False
        sock.destroy()


@pytest.mark.anyio
async def test_aliases_work_on_live_handles() -> None:
    async with net.open_runtime():
        server = net.createServer(lambda c: c.end("bye"))
        server.listen(0, LOCALHOST)
        port = server.address()["port"]  # type: ignore[index]
        client = net.createConnection(port, LOCALHOST)
        client.setEncoding("utf8")
        got: list[str] = []
        client.addListener("data", got.append)
        await net.once(client, "close")
        assert got == ["bye"]
        assert client.remotePort == port
        assert client.bytesRead == 3
        server.close()


def test_a_missing_method_twin_is_not_forwarded_but_an_attribute_is() -> None:
    namespace = {
        "__module__": _aliases.__name__,
        "__slots__": (),
        "__annotations__": {"fooBar": "Final", "bazQux": "int"},
        "fooBar": _aliases._Twin("Thing", "foo_bar"),  # a method that does not exist
        "bazQux": _aliases._Twin("Thing", "baz_qux"),  # an instance attribute
    }
    mixin = type("ThingNodeNames", (_aliases.NodeNames,), namespace)

    class Thing(mixin):  # type: ignore[valid-type, misc]
        def __init__(self) -> None:
            self.baz_qux = 1

    assert not hasattr(Thing, "fooBar")
    thing = Thing()
    assert thing.bazQux == 1
    thing.bazQux = 2
    assert thing.baz_qux == 2
