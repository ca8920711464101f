# Rewritten from Node v20 test/parallel/test-socket-write-after-fin-error.js
from __future__ import annotations

from typing import Any

import anyio
import anyio.lowlevel
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-socket-write-after-fin-error.js"), pytest.mark.anyio]


async def test_write_after_the_peer_fin_without_half_open_is_epipe() -> None:
    # Like test-socket-write-after-fin.js but without allowHalfOpen: the server writes
    # after the client's FIN, once its own side has been ended, which is an error that
    # must say what happened (EPIPE), not the generic "write after end".
    state: dict[str, Any] = {
        "server_data": "",
        "client_data": "",
        "server_end": False,
        "client_end": False,
        "server_error": None,
    }
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(sock: net.Socket) -> None:
                sock.set_encoding("utf8")
                sock.on("error", lambda err: None)

                def on_data(chunk: str) -> None:
                    state["server_data"] += chunk

                def on_write_done(er: BaseException | None) -> None:
                    state["server_error"] = er

                async def on_end() -> None:
                    state["server_end"] = True
                    await anyio.lowlevel.checkpoint()  # Node's setImmediate
                    sock.write(state["server_data"], on_write_done)
                    sock.end()

                sock.on("data", on_data)
                sock.on("end", on_end)
                server.close()

            server = net.create_server(on_connection)

            def on_listening() -> None:
                sock = net.connect(port_of(server), LOCALHOST)
                sock.set_encoding("utf8")

                def on_data(chunk: str) -> None:
                    state["client_data"] += chunk

                def on_end() -> None:
                    state["client_end"] = True

                sock.on("data", on_data)
                sock.on("end", on_end)
                sock.write("hello1")
                sock.write("hello2")
                sock.write("hello3\n")
                sock.end("THUNDERMUSCLE!")

            server.listen(0, LOCALHOST, on_listening)

    assert state["client_data"] == ""
    assert state["server_data"] == "hello1hello2hello3\nTHUNDERMUSCLE!"
    assert state["client_end"]
    assert state["server_end"]
    err = state["server_error"]
    assert err is not None
    assert err.code == "EPIPE"
    assert str(err) != "write after end"
