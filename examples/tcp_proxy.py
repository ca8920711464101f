"""A TCP proxy: each connection to the proxy is piped to a target and the answer piped back.

    python examples/tcp_proxy.py LISTEN_PORT TARGET_PORT [TARGET_HOST] [--backend trio]

``pipe()`` does the flow control: when the slower side's ``write()`` returns False the
faster side stops reading until 'drain', so the proxy holds at most a few high-water marks
of data per connection however fast one side sends and however slow the other reads.
Both sockets are half-open, so a client that ends its request still gets the whole answer.
Prints ``proxy listening on PORT`` once it accepts connections (LISTEN_PORT 0: any port).
"""

from __future__ import annotations

import sys

import anyio_net as net


def start_proxy(listen_port: int, target_port: int, target_host: str = "127.0.0.1") -> net.Server:
    """Listen on ``listen_port`` (loopback) and forward every connection to the target."""

    def on_connection(client: net.Socket) -> None:
        upstream = net.connect({"port": target_port, "host": target_host, "allowHalfOpen": True})
        client.pipe(upstream)  # request: client -> target, ending it when the client ends
        upstream.pipe(client)  # answer: target -> client
        # A failure on one side ends the other; nothing is left open.
        client.on("error", lambda err: upstream.destroy())
        upstream.on("error", lambda err: client.destroy())
        client.on("close", lambda had_error: upstream.destroy() if had_error else None)
        upstream.on("close", lambda had_error: client.destroy() if had_error else None)

    server = net.create_server({"allowHalfOpen": True}, on_connection)
    server.listen(listen_port, "127.0.0.1")
    return server


def main(listen_port: int, target_port: int, target_host: str) -> None:
    server = start_proxy(listen_port, target_port, target_host)

    def on_listening() -> None:
        address = server.address()
        assert isinstance(address, dict)
        print(f"proxy listening on {address['port']}", flush=True)

    server.on("listening", on_listening)


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    backend = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else "asyncio"
    if backend in args:
        args.remove(backend)
    options = {"use_uvloop": True} if backend == "uvloop" else None
    net.run(
        main,
        int(args[0]),
        int(args[1]),
        args[2] if len(args) > 2 else "127.0.0.1",
        backend="asyncio" if backend == "uvloop" else backend,
        backend_options=options,
    )
