"""One ``source.pipe(destination)``: Node's pipe listeners and backpressure, duck-typed.

How it works (Node v20's ``Readable.prototype.pipe``):
- Each 'data' chunk is written to the destination; when ``write()`` returns False the
  source records that it waits for this destination and pauses; the destination's 'drain'
  removes it, and the source resumes once it waits for nobody (all destinations drained).
- The source's 'end' ends the destination (``end=False``: unpipes instead); the
  destination's 'finish', 'close' or 'error' unpipes. An 'error' on the destination is
  re-emitted when no other listener takes it, so it is never swallowed.
- ``unpipe`` emits 'unpipe' (source, info) on the destination; the pipe's own 'unpipe'
  listener removes every listener it added. A destination that cannot emit is cleaned up
  directly. Data emitted while it waits for nobody clears the waiting set (Node's
  ``awaitDrainWriters``).
- Destinations only need ``write``, ``end``, ``on``, ``once`` and ``remove_listener``;
  ``emit``, ``prepend_listener``, ``listener_count`` and ``writable_need_drain`` are used
  when present.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Pipe"]


class Pipe:
    """The listeners of one pipe from ``src`` (a Readable) into ``dest`` (any writable)."""

    __slots__ = (
        "cleaned",
        "dest",
        "do_end",
        "src",
        "waiting_drain",
    )

    def __init__(self, src: Any, dest: Any, do_end: bool) -> None:
        self.src = src
        self.dest = dest
        self.do_end = do_end
        self.cleaned = False
        self.waiting_drain = False  # our 'drain' listener is registered
        # The listeners are bound methods made when needed (self._on_data, ...), not kept on
        # the pipe: remove_listener finds an equal one, and a pipe that kept its own bound
        # methods would be a reference cycle, freed only by the garbage collector (one per
        # connection with c.pipe(c)).

    def start(self) -> None:
        src, dest = self.src, self.dest
        end_fn = self._on_end if self.do_end else self._unpipe
        if src._end_emitted:
            src._runtime.call_soon(end_fn)
        else:
            src.once("end", end_fn)
        dest.on("unpipe", self._on_unpipe)
        src.on("data", self._on_data)
        prepend = getattr(dest, "prepend_listener", None)
        (prepend if prepend is not None else dest.on)("error", self._on_error)
        dest.once("close", self._on_close)
        dest.once("finish", self._on_finish)
        emit = getattr(dest, "emit", None)
        if emit is not None:
            emit("pipe", src)
        if getattr(dest, "writable_need_drain", None) is True:
            self.pause()
        elif not src._flowing:
            src.resume()

    # -- listeners on the source ----------------------------------------------------------

    def _on_data(self, chunk: Any) -> None:
        if self.dest.write(chunk) is False:
            self.pause()

    def _on_end(self) -> None:
        self.dest.end()

    def _unpipe(self, *_: Any) -> None:
        self.src.unpipe(self.dest)

    # -- backpressure ---------------------------------------------------------------------

    def pause(self) -> None:
        src = self.src
        if not self.cleaned:
            if self in src._pipes:
                waiting = src._await_drain
                if not waiting:
                    waiting = src._await_drain = set()
                waiting.add(id(self.dest))
            src.pause()
        if not self.waiting_drain:
            self.waiting_drain = True
            self.dest.on("drain", self._on_drain)

    def _on_drain(self, *_: Any) -> None:
        src = self.src
        waiting = src._await_drain
        if waiting:
            waiting.discard(id(self.dest))
        if not waiting and src._data_listening:
            src.resume()

    # -- listeners on the destination -----------------------------------------------------

    def _on_error(self, error: Any = None) -> None:
        dest = self.dest
        self._unpipe()
        dest.remove_listener("error", self._on_error)
        count = getattr(dest, "listener_count", None)
        if count is not None and count("error") == 0:
            dest.emit("error", error)  # nobody else handles it: let it raise, as Node does

    def _on_close(self, *_: Any) -> None:
        self.dest.remove_listener("finish", self._on_finish)
        self._unpipe()

    def _on_finish(self) -> None:
        self.dest.remove_listener("close", self._on_close)
        self._unpipe()

    def _on_unpipe(self, readable: Any = None, info: Any = None) -> None:
        if readable is self.src and isinstance(info, dict) and info.get("hasUnpiped") is False:
            info["hasUnpiped"] = True
            self.cleanup()

    # -- teardown -------------------------------------------------------------------------

    def notify_unpipe(self, info: dict[str, bool]) -> None:
        """Called by ``src.unpipe`` once this pipe is out of the source's list."""
        emit = getattr(self.dest, "emit", None)
        if emit is not None:
            emit("unpipe", self.src, info)
        if not info["hasUnpiped"]:
            # A destination that cannot emit (or whose 'unpipe' listener was removed).
            info["hasUnpiped"] = True
            self.cleanup()

    def cleanup(self) -> None:
        if self.cleaned:
            return
        src, dest = self.src, self.dest
        dest.remove_listener("close", self._on_close)
        dest.remove_listener("finish", self._on_finish)
        if self.waiting_drain:
            dest.remove_listener("drain", self._on_drain)
        dest.remove_listener("error", self._on_error)
        dest.remove_listener("unpipe", self._on_unpipe)
        src.remove_listener("end", self._on_end if self.do_end else self._unpipe)
        src.remove_listener("data", self._on_data)
        self.cleaned = True
        # A source waiting for this destination's 'drain' would never flow again.
        if (
            self.waiting_drain
            and src._await_drain
            and getattr(dest, "writable_need_drain", True) is not False
        ):
            self._on_drain()
