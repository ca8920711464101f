"""A worker process for tests/test_multiprocess.py: serves connections handed to it.

    python tests/fd_worker.py BACKEND CHANNEL_FD

Receives descriptors over the SEQPACKET Unix socket CHANNEL_FD (one per message), wraps each
in ``net.Socket({"fd": n, ...})`` and echoes it. Exits once the channel is closed and every
connection it was given has closed.
"""

from __future__ import annotations

import socket
import sys

import anyio

import anyio_net as net

BACKENDS = {
    "asyncio": ("asyncio", {}),
    "asyncio+uvloop": ("asyncio", {"use_uvloop": True}),
    "trio": ("trio", {}),
}


async def serve(channel_fd: int) -> None:
    channel = socket.socket(fileno=channel_fd)
    channel.setblocking(False)
    try:
        while True:
            await anyio.wait_readable(channel)
            try:
                message, fds, _flags, _address = socket.recv_fds(channel, 16, 16)
            except BlockingIOError:
                continue
            if not message:
                return
            for fd in fds:
                conn = net.Socket({"fd": fd, "readable": True, "writable": True})
                conn.pipe(conn)
    finally:
        channel.close()


def main() -> None:
    backend, options = BACKENDS[sys.argv[1]]
    net.run(serve, int(sys.argv[2]), backend=backend, backend_options=options)


if __name__ == "__main__":
    main()
