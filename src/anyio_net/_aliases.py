"""Every camelCase name of Node's ``net`` / ``events`` surface, bound to its snake_case twin.

This is the one place camelCase is written. Each declaration below serves twice: type
checkers read it as a typed alias, and at run time it is the table the names are bound from.

How it works:
- ``EventEmitter``, ``Socket`` and ``Server`` each inherit one of the mixins below. A line
  such as ``setEncoding: Final = Socket.set_encoding`` is, for a type checker, an alias of
  that method (same signature, same docstring). At run time ``Socket`` here is only a
  placeholder (this module imports nothing from the library), so the right-hand side is a
  marker naming ``set_encoding``; when a class inheriting the mixin is created, the marker is
  replaced by the very object that class holds under that name (function, property,
  classmethod): ``Socket.setEncoding is Socket.set_encoding``.
- A plain instance attribute (``allow_half_open``) gets a forwarding property; its line has
  an explicit type instead of ``Final``, because it can be assigned.
- Methods that return the emitter itself are spelled out with ``@_twin``: a class-attribute
  alias would pin their ``Self`` to ``EventEmitter`` for pyright, losing ``Socket`` in
  ``sock.addListener(...).setEncoding(...)``. The test suite checks that each spelled-out
  signature matches its twin.
- A subclass that overrides a twin (``set_encoding``) gets the camelCase name bound to its
  override, unless it defines the camelCase name itself.
- Module functions (``createServer``, ...) are declared the same way against the module that
  defines them and fetched on first access (a module ``__getattr__``), so that this module
  can be a base of the library's classes without an import cycle.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Final, TypeVar

if TYPE_CHECKING:
    from typing_extensions import Self

    from . import _api, _emitter, _ip
    from ._emitter import EventEmitter, Listener
    from ._server import Server
    from ._socket import Socket

__all__ = ["EventEmitterNodeNames", "NodeNames", "ServerNodeNames", "SocketNodeNames"]

_F = TypeVar("_F", bound=Callable[..., Any])


class _Twin:
    """Run-time marker for ``Owner.name`` in a declaration below."""

    __slots__ = ("name", "owner", "stub")

    def __init__(self, owner: str, name: str) -> None:
        self.owner = owner
        self.name = name
        self.stub: Callable[..., Any] | None = None  # the signature spelled out by @_twin

    def __repr__(self) -> str:
        return f"<twin {self.owner}.{self.name}>"


class _Owner:
    """Run-time placeholder for a class or module: each attribute is a ``_Twin`` of it."""

    __slots__ = ("_owner",)

    def __init__(self, owner: str) -> None:
        self._owner = owner

    def __getattr__(self, name: str) -> _Twin:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Twin(self._owner, name)


if not TYPE_CHECKING:
    _package = __name__.rpartition(".")[0]
    EventEmitter = _Owner("EventEmitter")
    Socket = _Owner("Socket")
    Server = _Owner("Server")
    _api = _Owner(f"{_package}._api")
    _emitter = _Owner(f"{_package}._emitter")
    _ip = _Owner(f"{_package}._ip")


def _twin(target: object) -> Callable[[_F], _F]:
    """Declare a camelCase method by its signature; at run time it becomes ``target``."""

    def declare(stub: _F) -> _F:
        if not isinstance(target, _Twin):  # pragma: no cover - only type checkers see this
            return stub
        target.stub = stub
        return target  # type: ignore[return-value]  # replaced when a class inherits it

    return declare


class _Forward(property):
    """The camelCase name of a plain instance attribute: reads and writes the twin."""

    twin: str

    def __init__(self, twin: str) -> None:
        def get(obj: Any) -> Any:
            return getattr(obj, twin)

        def set_(obj: Any, value: Any) -> None:
            setattr(obj, twin, value)

        super().__init__(get, set_, doc=f"Same as ``{twin}``.")
        self.twin = twin


# -- classes -------------------------------------------------------------------------------


class NodeNames:
    """Base of the mixins: binds the declared camelCase names on each class that inherits one."""

    __slots__ = ()

    #: camelCase name -> snake_case twin, for the mixin that declares them.
    node_names: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ == __name__:
            _collect(cls)
        else:
            _bind(cls)


def _collect(mixin: type) -> None:
    names: dict[str, str] = {}
    stubs: dict[str, Callable[..., Any]] = {}
    annotations = vars(mixin).get("__annotations__", {})
    forwards: set[str] = set()
    for camel, value in list(vars(mixin).items()):
        if isinstance(value, _Twin):
            names[camel] = value.name
            if value.stub is not None:
                stubs[camel] = value.stub
            elif camel in annotations and "Final" not in str(annotations[camel]):
                forwards.add(camel)  # typed, not Final: a plain instance attribute
            delattr(mixin, camel)
    mixin.node_names = names  # type: ignore[attr-defined]
    mixin._stubs = stubs  # type: ignore[attr-defined]
    mixin._forwards = forwards  # type: ignore[attr-defined]


def _bind(cls: type) -> None:
    forwards = _forwarded(cls)
    for camel, twin in class_node_names(cls).items():
        if camel in vars(cls):
            continue  # defined by the class itself (or already bound)
        inherited = inspect.getattr_static(cls, camel, None)
        try:
            target = inspect.getattr_static(cls, twin)
        except AttributeError:
            if camel not in forwards:
                continue  # not defined (yet): the API surface tests report it
            # A plain instance attribute: forward, unless a base already does.
            if isinstance(inherited, _Forward) and inherited.twin == twin:
                continue
            target = _Forward(twin)
        if target is not inherited:
            setattr(cls, camel, target)


def _forwarded(cls: type) -> set[str]:
    forwards: set[str] = set()
    for base in cls.__mro__:
        if base.__module__ == __name__:
            forwards |= vars(base).get("_forwards", set())
    return forwards


def class_node_names(cls: type) -> dict[str, str]:
    """Every camelCase name ``cls`` has (inherited ones too) -> its snake_case twin."""
    names: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if base.__module__ == __name__ and "node_names" in vars(base):
            names.update(vars(base)["node_names"])
    return names


def spelled_out(mixin: type) -> dict[str, Callable[..., Any]]:
    """The camelCase methods of ``mixin`` declared with their signature (for the tests)."""
    stubs: dict[str, Callable[..., Any]] = vars(mixin).get("_stubs", {})
    return stubs


class EventEmitterNodeNames(NodeNames):
    """The camelCase names of ``EventEmitter`` (so also of ``Socket`` and ``Server``)."""

    __slots__ = ()

    @_twin(EventEmitter.on)  # add_listener is on itself, as in Node
    def addListener(self, name: Hashable, listener: Listener) -> Self:
        raise NotImplementedError  # replaced by the twin

    @_twin(EventEmitter.remove_listener)
    def removeListener(self, name: Hashable, listener: Listener) -> Self:
        raise NotImplementedError  # replaced by the twin

    @_twin(EventEmitter.remove_all_listeners)
    def removeAllListeners(self, name: Hashable | None = None) -> Self:
        raise NotImplementedError  # replaced by the twin

    @_twin(EventEmitter.prepend_listener)
    def prependListener(self, name: Hashable, listener: Listener) -> Self:
        raise NotImplementedError  # replaced by the twin

    @_twin(EventEmitter.prepend_once_listener)
    def prependOnceListener(self, name: Hashable, listener: Listener) -> Self:
        raise NotImplementedError  # replaced by the twin

    @_twin(EventEmitter.set_max_listeners)
    def setMaxListeners(self, n: int | float) -> Self:
        raise NotImplementedError  # replaced by the twin

    getMaxListeners: Final = EventEmitter.get_max_listeners
    listenerCount: Final = EventEmitter.listener_count
    rawListeners: Final = EventEmitter.raw_listeners
    eventNames: Final = EventEmitter.event_names


class SocketNodeNames(NodeNames):
    """The camelCase names of ``Socket``."""

    __slots__ = ()

    setEncoding: Final = Socket.set_encoding
    setTimeout: Final = Socket.set_timeout
    setNoDelay: Final = Socket.set_no_delay
    setKeepAlive: Final = Socket.set_keep_alive
    destroySoon: Final = Socket.destroy_soon
    resetAndDestroy: Final = Socket.reset_and_destroy
    isPaused: Final = Socket.is_paused
    fromStream: Final = Socket.from_stream
    remoteAddress: Final = Socket.remote_address
    remotePort: Final = Socket.remote_port
    remoteFamily: Final = Socket.remote_family
    localAddress: Final = Socket.local_address
    localPort: Final = Socket.local_port
    localFamily: Final = Socket.local_family
    bytesRead: Final = Socket.bytes_read
    bytesWritten: Final = Socket.bytes_written
    bufferSize: Final = Socket.buffer_size
    writableLength: Final = Socket.writable_length
    writableHighWaterMark: Final = Socket.writable_high_water_mark
    readableHighWaterMark: Final = Socket.readable_high_water_mark
    readableLength: Final = Socket.readable_length
    readableFlowing: Final = Socket.readable_flowing
    writableEnded: Final = Socket.writable_ended
    writableFinished: Final = Socket.writable_finished
    readableEnded: Final = Socket.readable_ended
    readableEncoding: Final = Socket.readable_encoding
    readableDidRead: Final = Socket.readable_did_read
    readableAborted: Final = Socket.readable_aborted
    readableObjectMode: Final = Socket.readable_object_mode
    writableCorked: Final = Socket.writable_corked
    writableNeedDrain: Final = Socket.writable_need_drain
    readyState: Final = Socket.ready_state
    allowHalfOpen: bool = Socket.allow_half_open


class ServerNodeNames(NodeNames):
    """The camelCase names of ``Server``."""

    __slots__ = ()

    getConnections: Final = Server.get_connections
    maxConnections: int | None = Server.max_connections


# -- module functions ----------------------------------------------------------------------

createServer: Final = _api.create_server
createConnection: Final = _api.connect  # create_connection is connect itself, as in Node
isIP: Final = _ip.is_ip
isIPv4: Final = _ip.is_ipv4
isIPv6: Final = _ip.is_ipv6
getEventListeners: Final = _emitter.get_event_listeners
getMaxListeners: Final = _emitter.get_max_listeners
setMaxListeners: Final = _emitter.set_max_listeners
listenerCount: Final = _emitter.listener_count
errorMonitor: Final = _emitter.error_monitor

#: camelCase name -> (defining module, snake_case twin) of the module functions above.
MODULE_NODE_NAMES: Final[dict[str, tuple[str, str]]] = {
    name: (value.owner, value.name)
    for name, value in list(globals().items())
    if isinstance(value, _Twin)
}
for _name in MODULE_NODE_NAMES:
    del globals()[_name]  # fetched by __getattr__ on first use


def __getattr__(name: str) -> object:
    try:
        module, twin = MODULE_NODE_NAMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), twin)
    globals()[name] = value
    return value
