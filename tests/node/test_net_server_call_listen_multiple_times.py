# Rewritten from Node v20 test/parallel/test-net-server-call-listen-multiple-times.js
"""listen() works again after EADDRINUSE and after close(); twice in a row it raises."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [
    pytest.mark.node_port("test-net-server-call-listen-multiple-times.js"),
    pytest.mark.anyio,
]

# Node listens with no host here; the host is not what is tested, so 127.0.0.1 is used.
HOST = "127.0.0.1"


async def test_listen_again_after_eaddrinuse(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            dummy_server = net.Server()
            server = net.Server()

            def on_dummy_listening() -> None:
                # Listen on the used port.
                server.listen(dummy_server.address()["port"], HOST)  # type: ignore[index]

            # Run some server to provoke the EADDRINUSE error.
            dummy_server.listen(0, HOST, must_call(on_dummy_listening))

            def on_error(err: Any) -> None:
                def on_listening() -> None:
                    dummy_server.close()
                    server.close()

                server.listen(0, HOST, must_call(on_listening))

            server.on("error", must_call(on_error))


async def test_listen_twice_raises(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.Server()
            server.listen(0, HOST, must_call(lambda: server.close()))
            # Node's plain Error with a code: a RuntimeError here.
            with pytest.raises(RuntimeError) as info:
                server.listen(0, HOST)
            assert info.value.code == "ERR_SERVER_ALREADY_LISTEN"  # type: ignore[attr-defined]


async def test_listen_again_after_close(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.Server()

            def on_listening() -> None:
                server.close()
                server.listen(0, HOST, must_call(lambda: server.close()))

            server.listen(0, HOST, must_call(on_listening))
