# Rewritten from Node v20 test/parallel/test-net-binary.js
from __future__ import annotations

import ast

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.node_port("test-net-binary.js"), pytest.mark.anyio]


def test_the_binary_string_holds_every_byte_value_once() -> None:
    # Node builds the string from octal escapes ('\377' down to '\0') and checks each one.
    for i in range(255, -1, -1):
        s = ast.literal_eval(f"'\\{i:o}'")  # the same octal escape, read by Python
        assert ord(s) == i
        assert s == chr(i)


async def test_all_256_byte_values_round_trip_as_latin1() -> None:
    binary_string = "".join(chr(i) for i in range(255, -1, -1))
    recv: list[str] = []
    with anyio.fail_after(10):
        async with net.open_runtime():

            def on_connection(connection: net.Socket) -> None:
                connection.set_encoding("latin1")
                connection.on("data", lambda chunk: connection.write(chunk, "latin1"))
                connection.on("end", lambda: connection.end())

            # Node calls net.Server() without `new`; Python has no such distinction.
            echo_server = net.Server(on_connection)
            echo_server.listen(0, LOCALHOST)

            def on_listening() -> None:
                j = [0]
                c = net.create_connection({"port": port_of(echo_server), "host": LOCALHOST})
                c.set_encoding("latin1")

                def on_data(chunk: str) -> None:
                    n = j[0] + len(chunk)
                    while j[0] < n and j[0] < 256:
                        c.write(chr(j[0]), "latin1")
                        j[0] += 1
                    if j[0] == 256:
                        c.end()
                    recv.append(chunk)

                c.on("data", on_data)
                c.on("connect", lambda: c.write(binary_string, "binary"))
                c.on("close", lambda had_error: echo_server.close())

            echo_server.on("listening", on_listening)

    text = "".join(recv)
    assert len(text) == 2 * 256
    first = text[:256][::-1]
    second = text[256 : 2 * 256]
    assert first == second
