"""The seed document's echo client, ported line by line.

python examples/echo_client.py [--backend trio]
"""

from __future__ import annotations

import sys

import anyio_net as net


def main() -> None:
    def on_connect() -> None:  # 'connect' listener
        print("connected to server!")
        client.write("world!\r\n")

    client = net.connect({"port": 8124}, on_connect)

    def on_data(data: bytes) -> None:
        print(data.decode())
        client.end()

    client.on("data", on_data)
    client.on("end", lambda: print("disconnected from server"))


if __name__ == "__main__":
    backend = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else "asyncio"
    net.run(main, backend=backend)
