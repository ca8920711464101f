"""The seed document's echo server, ported line by line (listens on port 8124).

    python examples/echo_server.py [--backend trio]

Then ``nc localhost 8124`` (or ``telnet localhost 8124``): you get ``hello`` and an echo.
"""

from __future__ import annotations

import sys

import anyio_net as net


def main() -> None:
    def on_connection(c: net.Socket) -> None:  # 'connection' listener
        print("client connected")
        c.on("end", lambda: print("client disconnected"))
        c.write("hello\r\n")
        c.pipe(c)  # echo everything back

    server = net.create_server(on_connection)
    server.listen(8124, lambda: print("server bound on port", server.address()["port"]))


if __name__ == "__main__":
    backend = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else "asyncio"
    net.run(main, backend=backend)
