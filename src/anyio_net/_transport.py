"""What a Socket reads from and writes to: a raw non-blocking socket or any AnyIO ByteStream.

How it works:
- ``SocketTransport`` drives a non-blocking ``socket.socket`` with ``anyio.wait_readable`` /
  ``wait_writable`` (AnyIO's public API; native on Trio, ``add_reader`` on asyncio). It can
  write synchronously (``try_send``), as libuv's ``uv_try_write`` does, so ``write()`` hands
  data to the kernel at once and a ping-pong needs no task switch to answer.
- After a short read the kernel buffer is probably empty, so the next read waits for
  readiness first instead of paying for a read that fails with EAGAIN; after a full read it
  reads again at once, yielding to the scheduler (a checkpoint) so one busy peer cannot
  starve the others.
- ``StreamTransport`` wraps any ``anyio.abc.ByteStream`` (TLS, memory streams, ...): it has no
  synchronous write, so every write goes through the socket's writer task.
"""

from __future__ import annotations

import socket
import struct
from typing import Any

import anyio
from anyio.abc import ByteStream

_READ_SIZE = 65536


class SocketTransport:
    """A connected, non-blocking stream socket."""

    __slots__ = ("_full", "raw")

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self.raw: socket.socket | None = sock
        self._full = False

    async def receive(self) -> bytes:
        sock = self.raw
        assert sock is not None
        if self._full:
            await anyio.lowlevel.checkpoint()
        else:
            await anyio.wait_readable(sock)
        while True:
            try:
                data = sock.recv(_READ_SIZE)
            except (BlockingIOError, InterruptedError):
                await anyio.wait_readable(sock)
                continue
            self._full = len(data) == _READ_SIZE
            return data

    def try_send(self, data: Any) -> int:
        sock = self.raw
        assert sock is not None
        try:
            return sock.send(data)
        except (BlockingIOError, InterruptedError):
            return 0

    async def send_all(self, data: Any) -> None:
        sock = self.raw
        assert sock is not None
        view = memoryview(data)
        while view:
            try:
                sent = sock.send(view)
            except (BlockingIOError, InterruptedError):
                await anyio.wait_writable(sock)
                continue
            view = view[sent:]

    async def send_eof(self) -> None:
        sock = self.raw
        assert sock is not None
        sock.shutdown(socket.SHUT_WR)

    def close(self, reset: bool = False) -> None:
        sock, self.raw = self.raw, None
        if sock is None:
            return
        if reset:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        sock.close()

    async def aclose(self, reset: bool = False) -> None:
        self.close(reset)


class StreamTransport:
    """Any AnyIO byte stream; writes always go through the writer task."""

    __slots__ = ("raw", "stream")

    def __init__(self, stream: ByteStream) -> None:
        self.stream: ByteStream | None = stream
        self.raw: socket.socket | None = None
        try:
            from anyio.abc import SocketAttribute

            self.raw = stream.extra(SocketAttribute.raw_socket)
        except Exception:
            self.raw = None

    async def receive(self) -> bytes:
        assert self.stream is not None
        try:
            return await self.stream.receive(_READ_SIZE)
        except anyio.EndOfStream:
            return b""

    def try_send(self, data: Any) -> int:
        return 0

    async def send_all(self, data: Any) -> None:
        assert self.stream is not None
        await self.stream.send(bytes(data))

    async def send_eof(self) -> None:
        # Every AnyIO ByteStream has send_eof(); some cannot half-close and say so.
        assert self.stream is not None
        try:
            await self.stream.send_eof()
        except NotImplementedError:
            pass

    def close(self, reset: bool = False) -> None:
        # A stream can only be closed from a task; the socket's host calls aclose().
        pass

    async def aclose(self, reset: bool = False) -> None:
        stream, self.stream = self.stream, None
        if stream is None:
            return
        if reset and self.raw is not None:
            try:
                self.raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        with anyio.CancelScope(shield=True):
            await anyio.aclose_forcefully(stream) if reset else await stream.aclose()


Transport = SocketTransport | StreamTransport
