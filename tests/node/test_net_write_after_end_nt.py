# Rewritten from Node v20 test/parallel/test-net-write-after-end-nt.js
"""A write after the peer's FIN (and our own end) fails with EPIPE on a later tick."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-write-after-end-nt.js"), pytest.mark.anyio]


async def test_write_error_comes_on_a_later_tick(must_call: Any) -> None:
    with anyio.fail_after(10):
        async with net.open_runtime():
            server = net.create_server(must_call(lambda sock: sock.end()))

            def on_listening() -> None:
                def on_connect() -> None:
                    state = {"has_error": False}

                    def on_error(_err: BaseException) -> None:
                        state["has_error"] = True
                        server.close()

                    def on_end() -> None:
                        def on_written(err: BaseException) -> None:
                            # common.expectsError({code, message, name: 'Error'})
                            assert err.code == "EPIPE"  # type: ignore[attr-defined]
                            assert str(err) == "This socket has been ended by the other party"
                            assert not isinstance(err, (TypeError, ValueError))

                        ret = client.write("hello", must_call(on_written))
                        assert ret is False
                        assert not state["has_error"], "The error should come on a later tick."

                    client.on("error", must_call(on_error))
                    client.on("end", must_call(on_end))
                    client.end()

                client = net.connect(server.address()["port"], on_connect)  # type: ignore[index]

            # Node listens on the wildcard address; loopback here.
            server.listen(0, "127.0.0.1", on_listening)
