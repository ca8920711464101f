"""Interop with real Node.js: the seed's echo client against our server, and our client
against a Node server. Node v20 is installed on every machine (``.ci/run`` checks it)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import anyio
import pytest
from tests.helpers import LOCALHOST, port_of

import anyio_net as net

pytestmark = [pytest.mark.anyio, pytest.mark.needs_node]

# The seed document's echo client, run by node against our port.
NODE_ECHO_CLIENT = r"""
var net = require('net');
var client = net.connect({port: Number(process.argv[1]), host: '127.0.0.1'}, function() {
  console.log('connected to server!');
  client.write('world!\r\n');
});
var seen = '';
client.on('data', function(data) {
  seen += data.toString();
  if (seen.indexOf('world!') !== -1) { console.log(JSON.stringify(seen)); client.end(); }
});
client.on('end', function() { console.log('disconnected from server'); });
"""

NODE_SERVER = r"""
var net = require('net');
var server = net.createServer(function(c) {
  c.write('hello from node\r\n');
  c.on('data', function(d) { c.write('node got ' + d.toString()); });
  c.on('end', function() { c.end(); server.close(); });
});
server.listen(0, '127.0.0.1', function() { console.log(server.address().port); });
"""


async def test_node_echo_client_against_our_echo_server(node: str, must_call: Any) -> None:
    with anyio.fail_after(15):
        async with net.open_runtime():

            def on_connection(c: net.Socket) -> None:
                c.on("end", must_call())
                c.write("hello\r\n")
                c.pipe(c)

            server = net.create_server(on_connection)
            server.listen(0, LOCALHOST)
            await net.once(server, "listening")
            result = await anyio.run_process(
                [node, "-e", NODE_ECHO_CLIENT, str(port_of(server))], check=False
            )
            server.close()
    out = result.stdout.decode().splitlines()
    assert result.returncode == 0, result.stderr.decode()
    assert out[0] == "connected to server!"
    assert out[1] == '"hello\\r\\nworld!\\r\\n"'
    assert out[2] == "disconnected from server"


async def test_our_client_against_a_node_server(node: str) -> None:
    with anyio.fail_after(15):
        process = await anyio.open_process([node, "-e", NODE_SERVER])
        try:
            assert process.stdout is not None
            port = int((await process.stdout.receive()).decode().strip())
            got: list[str] = []
            async with net.open_runtime():
                client = net.connect(port, LOCALHOST)
                client.set_encoding("utf8")

                def on_data(text: str) -> None:
                    got.append(text)
                    if "node got" in "".join(got):
                        client.end()
                    elif (
                        "hello from node" in "".join(got)
                        and not client.writable_ended
                        and "sent" not in got
                    ):
                        got.append("sent")
                        client.write("ping")

                client.on("data", on_data)
                await net.once(client, "close")
            assert await process.wait() == 0
        finally:
            if process.returncode is None:
                process.kill()
            await process.aclose()
    text = "".join(part for part in got if part != "sent")
    assert text == "hello from node\r\nnode got ping"


def test_python_m_anyio_net_serves_the_seed_echo(node: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "anyio_net", "serve-echo", "--port", "0", "--host", LOCALHOST],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on 127.0.0.1 port" in line
        port = int(line.split(" port ")[1].split()[0])
        result = subprocess.run(
            [node, "-e", NODE_ECHO_CLIENT, str(port)], capture_output=True, text=True, timeout=15
        )
        assert result.stdout.splitlines()[1] == '"hello\\r\\nworld!\\r\\n"'
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
