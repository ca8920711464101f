"""The readable side of a Socket: Node's ``stream.Readable`` state, modes and ``read()``.

How it works (each rule checked against Node v20 with a script):
- The transport's reader calls ``_push_data(chunk)`` and keeps reading while it returns True (the
  buffer is below the high-water mark, 16 KiB), as libuv stops reading when ``push()`` says
  so; ``_read_more()`` (Node's ``_read``) asks it to start again. EOF is ``_push_eof()``.
- Three states: ``readable_flowing`` is None (nobody consumes: data is buffered up to the
  mark), True (each chunk is emitted as 'data' at once when nothing is buffered), or False
  (paused: data stays buffered; reading stops at the mark, so the peer's kernel buffers
  fill up and its writes back up).
- Adding a 'data' listener (``on``/``once``, not ``prepend_listener``, as in Node) resumes
  unless the stream was paused explicitly; ``resume()``, ``pipe()`` and the removal of the
  last 'readable' listener (one tick later) make it flow; ``pause()`` and ``unpipe()`` of
  the last destination stop it.
- A 'readable' listener switches to paused mode and wins over 'data': ``resume()`` then
  leaves ``readable_flowing`` False. 'readable' is emitted (one tick after data arrives, at
  most once per tick) when there is data to ``read()`` or the stream has ended.
- ``read()`` returns the whole buffer (one chunk at a time when flowing) or None;
  ``read(n)`` exactly ``n`` bytes (characters with an encoding) or None, except at the end
  where it returns what is left. Whatever ``read()`` returns is also emitted as 'data'.
- 'end' comes one tick after a read finds the buffer empty at EOF, never while data waits.
- With ``set_encoding`` the buffer holds decoded text (Node's StringDecoder rules); a
  partial character held back at EOF is flushed into the buffer before 'end'.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, ClassVar

from . import _debug
from ._encoding import Decoder, make_decoder, normalize_encoding
from ._pipe import Pipe

if TYPE_CHECKING:
    from ._emitter import Listener
    from ._runtime import Runtime

_MAX_HWM = 0x40000000  # Node refuses to raise the readable high-water mark past 1 GiB


def _next_power_of_two(n: int) -> int:
    if n > _MAX_HWM:
        from ._errors import coded

        raise coded("ERR_OUT_OF_RANGE", name="size", range="<= 1GiB", value=n)
    return 1 << (n - 1).bit_length()


# The attributes of Readable's state, for the __slots__ of the class that mixes it in.
READABLE_SLOTS = (
    "_await_drain",
    "_data_emitted",
    "_data_listening",
    "_decoder",
    "_emitted_readable",
    "_end_emitted",
    "_eof",
    "_flowing",
    "_need_readable",
    "_paused",
    "_pipes",
    "_prepending",
    "_rbuf",
    "_readable_listening",
    "_resume_scheduled",
    "_rhwm",
    "_rlen",
    "_rs_reading",
)


class Readable:
    """Mixin with Node's Readable state for an ``EventEmitter`` fed by a reader task.

    The host class provides ``emit``, ``listener_count``, ``_runtime``, ``_destroyed``,
    ``_closed``, ``_error``, ``_read_more()`` (start reading) and ``_after_end()``.
    """

    # The events whose listeners change the mode (EventEmitter calls the hooks for these).
    _hooked: ClassVar[frozenset[Hashable]] = frozenset({"data", "readable"})

    if TYPE_CHECKING:
        _runtime: Runtime
        _destroyed: bool
        _closed: bool
        _error: BaseException | None

        def emit(self, name: Hashable, *args: Any) -> bool: ...
        def listener_count(self, name: Hashable, listener: Listener | None = None) -> int: ...
        def _read_more(self) -> None: ...
        def _after_end(self) -> None: ...

    def _init_readable(self, high_water_mark: int) -> None:
        self._rhwm = high_water_mark
        self._flowing: bool | None = None
        # bytes, or str once an encoding is set; () until the first chunk is kept (an empty
        # deque costs 600 bytes, and most sockets in flowing mode never buffer)
        self._rbuf: deque[Any] | tuple[()] = ()
        self._rlen = 0
        self._eof = False  # Node's `ended`: EOF was pushed
        self._end_emitted = False
        self._rs_reading = False  # a _read_more() waits for its push (Node's `reading`)
        self._need_readable = False
        self._emitted_readable = False
        self._readable_listening = False
        self._data_listening = False
        self._resume_scheduled = False
        self._paused: bool | None = None  # Node's kPaused; None: never paused nor resumed
        self._decoder: Decoder | None = None
        self._pipes: list[Pipe] = []
        # ids of destinations a pipe waits on; () until one does (an empty set is 216 bytes)
        self._await_drain: set[int] | tuple[()] = ()
        self._data_emitted = False
        self._prepending = False

    def _rq(self) -> deque[Any]:
        """The read buffer, to change it (created on first use)."""
        buf = self._rbuf
        if type(buf) is tuple:
            buf = self._rbuf = deque()
        return buf  # type: ignore[return-value]

    def _reset_readable(self) -> None:
        """Forget the data and the end of a previous connection (a socket reconnecting)."""
        self._rbuf = ()
        self._rlen = 0
        self._eof = self._end_emitted = False
        self._rs_reading = self._need_readable = self._emitted_readable = False

    # ------------------------------------------------------------------ fed by the reader

    def _push_data(self, chunk: bytes) -> bool:
        """Take a chunk from the transport; False asks the reader to stop (Node's push)."""
        self._rs_reading = False
        decoder = self._decoder
        if decoder is not None:
            text = decoder.write(chunk)
            if not text:
                return self._rlen < self._rhwm or not self._rlen
            self._add_chunk(text)
        elif self._flowing and not self._rlen and self._data_listening:
            # The lean path: flowing, nothing buffered, someone listening.
            if self._await_drain:
                self._await_drain.clear()
            self._data_emitted = True
            self.emit("data", chunk)
            return True
        else:
            self._rq().append(chunk)
            self._rlen += len(chunk)
            if self._need_readable:
                self._emit_readable()
        return self._rlen < self._rhwm or not self._rlen

    def _add_chunk(self, chunk: Any) -> None:
        if self._flowing and not self._rlen and self._data_listening:
            if self._await_drain:
                self._await_drain.clear()
            self._data_emitted = True
            self.emit("data", chunk)
        else:
            self._rq().append(chunk)
            self._rlen += len(chunk)
            if self._need_readable:
                self._emit_readable()

    def _push_eof(self) -> None:
        """The transport reached EOF (Node: ``push(null)`` then ``read(0)``)."""
        self._rs_reading = False
        if self._eof:
            return
        decoder = self._decoder
        if decoder is not None:
            rest = decoder.end()
            if rest:
                self._rq().append(rest)
                self._rlen += len(rest)
        self._eof = True
        # Never inside a read() here, so 'readable' is emitted at once (Node does the same).
        self._need_readable = False
        self._emitted_readable = True
        self._emit_readable_now()
        self.read(0)

    # ------------------------------------------------------------------ 'readable' and flow

    def _emit_readable(self) -> None:
        self._need_readable = False
        if not self._emitted_readable:
            self._emitted_readable = True
            self._runtime.call_soon(self._emit_readable_now)

    def _emit_readable_now(self) -> None:
        if not self._destroyed and self._error is None and (self._rlen or self._eof):
            self.emit("readable")
            self._emitted_readable = False
        if not self._flowing and not self._eof and self._rlen <= self._rhwm:
            self._need_readable = True
        self._flow()

    def _flow(self) -> None:
        while self._flowing and self._read(None, True) is not None:
            pass

    def _end_readable(self) -> None:
        if not self._end_emitted:
            self._eof = True
            self._runtime.call_soon(self._end_readable_now)

    def _end_readable_now(self) -> None:
        if self._error is None and not self._closed and not self._end_emitted and not self._rlen:
            self._end_emitted = True
            if _debug.enabled:
                _debug.trace(self, "end: the peer has finished sending")
            self.emit("end")
            self._after_end()

    # ------------------------------------------------------------------ read()

    def read(self, size: int | None = None) -> Any:
        """Take data out of the buffer (paused mode).

        Args:
            size: How many bytes (characters once an encoding is set). None: everything
                buffered (one chunk at a time while flowing).

        Returns:
            ``bytes`` (``str`` with an encoding), or None when not enough is buffered;
            once the stream has ended, what is left. What is returned is also emitted as
            'data'.

        Raises:
            ValueError: ``size`` is above 1 GiB (code ``ERR_OUT_OF_RANGE``).

        Events:
            'data': with what is returned. 'readable' / 'end': may follow.

        Node: ``readable.read([size])``
        """
        if size is not None and type(size) is not int:
            size = int(size)  # Node parses a non-integer size with parseInt
        return self._read(size, True)

    def _read(self, n: int | None, raise_mark: bool) -> Any:
        n_orig = n
        if n is not None:
            if raise_mark and n > self._rhwm:
                self._rhwm = _next_power_of_two(n)
            if n == 0 and self._need_readable:
                hwm = self._rhwm
                if (self._rlen >= hwm if hwm else self._rlen > 0) or self._eof:
                    if not self._rlen and self._eof:
                        self._end_readable()
                    else:
                        self._emit_readable()
                    return None
        if n != 0:
            self._emitted_readable = False
        n = self._how_much(n)
        if n == 0 and self._eof:
            if not self._rlen:
                self._end_readable()
            return None
        rlen = self._rlen
        do_read = self._need_readable or not rlen or rlen - n < self._rhwm
        if do_read and not (self._rs_reading or self._eof or self._destroyed or self._error):
            self._rs_reading = True
            if not rlen:
                self._need_readable = True
            self._read_more()  # never pushes synchronously: the reader is a task
        if n > 0:
            ret = self._take(n)
            self._rlen -= n
            if self._await_drain:
                self._await_drain.clear()
        else:
            ret = None
            if self._rlen <= self._rhwm:
                self._need_readable = True
            n = 0
        if not self._rlen:
            if not self._eof:
                self._need_readable = True
            if n_orig != n and self._eof:
                self._end_readable()
        if ret is not None and self._error is None and not self._closed:
            self._data_emitted = True
            self.emit("data", ret)
        return ret

    def _how_much(self, n: int | None) -> int:
        rlen = self._rlen
        if (n is not None and n <= 0) or (not rlen and self._eof):
            return 0
        if n is None:
            return len(self._rbuf[0]) if self._flowing and rlen else rlen  # type: ignore[misc]
        if n <= rlen:
            return n
        return rlen if self._eof else 0

    def _take(self, n: int) -> Any:
        buf = self._rq()
        first = buf[0]
        size = len(first)
        if n == size:
            return buf.popleft()
        if n < size:
            buf[0] = first[n:]
            return first[:n]
        if n >= self._rlen:
            joined = ("" if self._decoder is not None else b"").join(buf)
            buf.clear()
            return joined
        parts = []
        while n:
            head = buf[0]
            if len(head) <= n:
                parts.append(buf.popleft())
                n -= len(head)
            else:
                parts.append(head[:n])
                buf[0] = head[n:]
                n = 0
        return ("" if self._decoder is not None else b"").join(parts)

    def unshift(self, chunk: Any, encoding: str | None = None) -> None:
        """Put data back at the front of the buffer (to undo a ``read()``).

        Node: ``readable.unshift(chunk[, encoding])``
        """
        from ._encoding import decode, encode

        if isinstance(chunk, str):
            name = normalize_encoding(encoding)
            decoder = self._decoder
            if decoder is None:
                chunk = encode(chunk, name)
            elif decoder.encoding != name:
                chunk = decode(encode(chunk, name), decoder.encoding)
        elif isinstance(chunk, (bytes, bytearray, memoryview)):
            chunk = bytes(chunk)
            if self._decoder is not None:
                chunk = decode(chunk, self._decoder.encoding)
        else:
            from ._errors import coded

            raise coded(
                "ERR_INVALID_ARG_TYPE",
                name="chunk",
                expected=["string", "Buffer", "TypedArray", "DataView"],
                value=chunk,
            )
        if not chunk:
            return
        if self._end_emitted:
            from ._errors import coded

            raise coded("ERR_STREAM_UNSHIFT_AFTER_END_EVENT")
        self._rq().appendleft(chunk)
        self._rlen += len(chunk)
        if self._need_readable:
            self._emit_readable()

    # ------------------------------------------------------------------ modes

    def pause(self) -> Any:
        """Stop emitting 'data'; data is buffered, and reading stops at the high-water mark.

        Events:
            'pause': when the stream was not already paused.

        Node: ``readable.pause()``
        """
        if self._flowing is not False:
            self._flowing = False
            self.emit("pause")
        self._paused = True
        return self

    def resume(self) -> Any:
        """Switch to flowing mode: buffered data, then new data, as 'data' events.

        With a 'readable' listener the stream stays in paused mode (Node's rule).

        Events:
            'resume': one tick later.

        Node: ``readable.resume()``
        """
        if not self._flowing:
            self._flowing = not self._readable_listening
            if not self._resume_scheduled:
                self._resume_scheduled = True
                self._runtime.call_soon(self._resume_now)
        self._paused = False
        return self

    def _resume_now(self) -> None:
        if not self._rs_reading:
            self._read(0, True)
        self._resume_scheduled = False
        self.emit("resume")
        self._flow()
        if self._flowing and not self._rs_reading:
            self._read(0, True)

    def is_paused(self) -> bool:
        """True after ``pause()`` (until ``resume()``) or while in paused mode.

        Node: ``readable.isPaused()``
        """
        return self._paused is True or self._flowing is False

    def _listener_added(self, name: Hashable) -> None:
        # Node hooks on()/once() only; prepend_listener() changes no mode.
        if self._prepending:
            return
        if name == "data":
            self._data_listening = True
            if self.listener_count("readable"):
                self._readable_listening = True
            if self._flowing is not False:
                self.resume()
        elif name == "readable" and not self._end_emitted and not self._readable_listening:
            self._readable_listening = self._need_readable = True
            self._flowing = False
            self._emitted_readable = False
            if self._rlen:
                self._emit_readable()
            elif not self._rs_reading:
                self._runtime.call_soon(self._read, 0, True)

    def _listener_removed(self, name: Hashable) -> None:
        if name == "readable":
            # One tick later, so that a once('readable') listener can add the next one.
            self._runtime.call_soon(self._update_readable_listening)
        elif name == "data" and not self.listener_count("data"):
            self._data_listening = False

    def _update_readable_listening(self) -> None:
        self._readable_listening = self.listener_count("readable") > 0
        if self._resume_scheduled and self._paused is False:
            self._flowing = True
        elif self._data_listening:
            self.resume()
        elif not self._readable_listening:
            self._flowing = None

    def prepend_listener(self, name: Hashable, listener: Listener) -> Any:
        self._prepending = True
        try:
            return super().prepend_listener(name, listener)  # type: ignore[misc]
        finally:
            self._prepending = False

    def prepend_once_listener(self, name: Hashable, listener: Listener) -> Any:
        self._prepending = True
        try:
            return super().prepend_once_listener(name, listener)  # type: ignore[misc]
        finally:
            self._prepending = False

    # ------------------------------------------------------------------ encoding

    def set_encoding(self, encoding: str | None = None) -> Any:
        """Decode data to ``str``; characters split across chunks are decoded whole.

        Data already buffered is decoded too.

        Raises:
            TypeError: Unknown encoding (code ``ERR_UNKNOWN_ENCODING``; also a ValueError).

        Node: ``readable.setEncoding(encoding)``
        """
        decoder = make_decoder(normalize_encoding(encoding))
        previous = self._decoder
        parts = []
        for chunk in self._rbuf:
            if isinstance(chunk, str):
                # Already text: re-encoding it in the old encoding gives the bytes back.
                from ._encoding import encode

                assert previous is not None
                chunk = encode(chunk, previous.encoding)
            parts.append(decoder.write(chunk))
        self._decoder = decoder
        text = "".join(parts)
        self._rbuf = deque([text]) if text else ()
        self._rlen = len(text)
        return self

    # ------------------------------------------------------------------ pipe

    def pipe(self, destination: Any, end: Any = True) -> Any:
        """Write everything read into ``destination``, following its backpressure.

        When ``destination.write()`` returns False this stream pauses (and stops reading
        once its buffer is full) until the destination emits 'drain'; with several
        destinations it resumes when all have drained. ``destination`` can be any object
        with ``write``, ``end``, ``on``, ``once`` and ``remove_listener``.

        Args:
            destination: Where to write.
            end: End the destination when this stream ends (default). Node's options
                dict (``{"end": False}``) is accepted too.

        Returns:
            ``destination``, for chaining.

        Events:
            'pipe' (source) on the destination, when it can emit.

        Node: ``readable.pipe(destination[, options])``
        """
        if isinstance(end, dict):
            end = end.get("end", True) is not False
        pipe = Pipe(self, destination, bool(end))
        self._pipes.append(pipe)
        pipe.start()
        return destination

    def unpipe(self, destination: Any = None) -> Any:
        """Stop piping into ``destination`` (every destination when None).

        Events:
            'unpipe' (source) on each destination, when it can emit.

        Node: ``readable.unpipe([destination])``
        """
        pipes = self._pipes
        if not pipes:
            return self
        if destination is None:
            self._pipes = []
            self.pause()
            for pipe in pipes:
                pipe.notify_unpipe({"hasUnpiped": False})
            return self
        for pipe in pipes:
            if pipe.dest is destination:
                break
        else:
            return self
        pipes.remove(pipe)
        if not pipes:
            self.pause()
        pipe.notify_unpipe({"hasUnpiped": False})
        return self

    # ------------------------------------------------------------------ properties

    @property
    def readable_flowing(self) -> bool | None:
        """None (no consumer yet), True (flowing) or False (paused mode).

        Node: ``readable.readableFlowing``
        """
        return self._flowing

    @property
    def readable_length(self) -> int:
        """Bytes (characters with an encoding) waiting in the buffer.

        Node: ``readable.readableLength``
        """
        return self._rlen

    @property
    def readable_high_water_mark(self) -> int:
        """Node: ``readable.readableHighWaterMark``"""
        return self._rhwm

    @property
    def readable_ended(self) -> bool:
        """True once 'end' was emitted. Node: ``readable.readableEnded``"""
        return self._end_emitted

    @property
    def readable_encoding(self) -> str | None:
        """The encoding given to ``set_encoding``. Node: ``readable.readableEncoding``"""
        decoder = self._decoder
        return decoder.encoding if decoder is not None else None

    @property
    def readable_did_read(self) -> bool:
        """True once 'data' was emitted. Node: ``readable.readableDidRead``"""
        return self._data_emitted

    @property
    def readable_aborted(self) -> bool:
        """Destroyed or errored before 'end'. Node: ``readable.readableAborted``"""
        return (self._destroyed or self._error is not None) and not self._end_emitted

    @property
    def readable_object_mode(self) -> bool:
        """Always False: sockets carry bytes. Node: ``readable.readableObjectMode``"""
        return False
