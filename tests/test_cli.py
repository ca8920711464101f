"""``python -m anyio_net``, run as a subprocess and talked to by a real client: ``nc`` where it
is installed (Debian's netcat-openbsd), else a plain Python socket."""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.helpers import LOCALHOST, closed_port

SRC = str(Path(__file__).resolve().parent.parent / "src")
BACKENDS = ["asyncio", "trio"]
TIMEOUT = 15


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ANYIO_NET_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([SRC, env.get("PYTHONPATH", "")])
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "anyio_net", *args]


def _nc_with_half_close() -> str | None:
    """``nc`` if it is OpenBSD's (``-N``: shut the socket down at the end of input)."""
    nc = shutil.which("nc")
    if nc is None:
        return None
    usage = subprocess.run([nc, "-h"], capture_output=True, text=True, timeout=TIMEOUT)
    return nc if "-N" in usage.stdout + usage.stderr else None


NC = _nc_with_half_close()


def _read_line(proc: subprocess.Popen[bytes], timeout: float = TIMEOUT) -> str:
    """The next line the process prints, or what came before it stopped or timed out."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    got = b""
    while not got.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            break
        chunk = os.read(fd, 1)
        if not chunk:
            break
        got += chunk
    return got.decode()


@contextlib.contextmanager
def _running(*args: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Start the command, wait for its first line, stop it with Ctrl-C at the end."""
    proc = subprocess.Popen(
        _cli(*args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    try:
        first = _read_line(proc)
        if not first:
            proc.kill()
            _, err = proc.communicate(timeout=TIMEOUT)
            pytest.fail(f"{args}: printed nothing\n{err.decode()}")
        yield proc, first
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
            proc.kill()
            proc.communicate()


def _stop(proc: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    """Ctrl-C, then the exit status and the rest of the output."""
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=TIMEOUT)
    return proc.returncode, out.decode(), err.decode()


def _port_of(first_line: str) -> int:
    match = re.search(r"listening on \S+ port (\d+) \(try: nc \S+ \1\)", first_line)
    assert match, first_line
    return int(match.group(1))


def _talk(data: bytes, port: int | None = None, path: str | None = None) -> bytes:
    """Send ``data``, half-close, and return everything received until the peer closes."""
    if NC is not None:
        where = ["-U", path] if path is not None else [LOCALHOST, str(port)]
        result = subprocess.run(
            [NC, "-N", *where], input=data, capture_output=True, timeout=TIMEOUT
        )
        assert result.returncode == 0, result.stderr
        return result.stdout
    family = socket.AF_UNIX if path is not None else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(TIMEOUT)
        sock.connect(path if path is not None else (LOCALHOST, port))
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


@contextlib.contextmanager
def _one_connection_server(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """A plain-socket server for one connection, handled in a thread; yields its port."""
    listener = socket.create_server((LOCALHOST, 0))
    listener.settimeout(TIMEOUT)
    failures: list[BaseException] = []

    def serve() -> None:
        try:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(TIMEOUT)
                handle(conn)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "the server thread is stuck"
        assert not failures, failures
    finally:
        listener.close()


# -- serve-echo ---------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_serve_echo_greets_and_echoes_a_real_client(backend: str) -> None:
    with _running("serve-echo", "--port", "0", "--host", LOCALHOST, "--backend", backend) as (
        proc,
        first,
    ):
        port = _port_of(first)
        assert _talk(b"ping\nanother line\n", port=port) == b"hello\r\nping\nanother line\n"
        assert _read_line(proc) == "client connected\n"
        assert _read_line(proc) == "client disconnected\n"
        status, _, err = _stop(proc)
    assert status == 130
    assert "Traceback" not in err


def test_serve_echo_without_arguments_listens_on_8124_on_every_address() -> None:
    # The README's first command: `python3 -m anyio_net serve-echo`, then `nc localhost 8124`.
    with _running("serve-echo") as (proc, first):
        assert first == "echo server listening on :: port 8124 (try: nc localhost 8124)\n"
        assert _talk(b"world\n", port=8124) == b"hello\r\nworld\n"
        status, _, err = _stop(proc)
    assert status == 130
    assert err == ""


@pytest.mark.parametrize("backend", BACKENDS)
def test_serve_echo_on_a_unix_socket_path(backend: str, tmp_path: Path) -> None:
    path = str(tmp_path / "echo.sock")
    with _running("serve-echo", "--path", path, "--backend", backend) as (proc, first):
        assert first == f"echo server listening on {path} (try: nc -U {path})\n"
        assert _talk(b"over unix\n", path=path) == b"hello\r\nover unix\n"
        status, _, _ = _stop(proc)
    assert status == 130
    assert not os.path.exists(path)  # the socket file goes with the server


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_taken_port_is_reported_with_another_to_try(backend: str) -> None:
    with socket.create_server((LOCALHOST, 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            _cli("serve-echo", "--port", str(port), "--host", LOCALHOST, "--backend", backend),
            capture_output=True,
            text=True,
            env=_env(),
            timeout=TIMEOUT,
        )
    assert result.returncode == 1
    assert f"port {port} is already taken (EADDRINUSE)" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_taken_unix_path_is_reported(backend: str, tmp_path: Path) -> None:
    path = tmp_path / "taken.sock"
    path.write_text("not a socket")
    result = subprocess.run(
        _cli("serve-echo", "--path", str(path), "--backend", backend),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert "already in use (EADDRINUSE)" in result.stderr
    assert "Traceback" not in result.stderr


# -- connect ------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_connect_talks_to_serve_echo(backend: str) -> None:
    with _running("serve-echo", "--port", "0", "--host", LOCALHOST, "--backend", backend) as (
        _,
        first,
    ):
        result = subprocess.run(
            _cli("connect", LOCALHOST, str(_port_of(first)), "--backend", backend),
            input=b"ping\n",
            capture_output=True,
            env=_env(),
            timeout=TIMEOUT,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\r\nping\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_connect_half_closes_at_the_end_of_input_and_still_reads(backend: str) -> None:
    def count_then_answer(conn: socket.socket) -> None:
        received = b""
        while chunk := conn.recv(65536):  # until the client's FIN
            received += chunk
        conn.sendall(f"got {len(received)} bytes\n".encode())

    payload = os.urandom(200_000)
    with _one_connection_server(count_then_answer) as port:
        result = subprocess.run(
            _cli("connect", LOCALHOST, str(port), "--backend", backend),
            input=payload,
            capture_output=True,
            env=_env(),
            timeout=TIMEOUT,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"got 200000 bytes\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_connect_exits_when_the_socket_closes_while_input_is_open(backend: str) -> None:
    def greet_and_leave(conn: socket.socket) -> None:
        conn.sendall(b"bye\n")

    with _one_connection_server(greet_and_leave) as port:
        proc = subprocess.Popen(
            _cli("connect", LOCALHOST, str(port), "--backend", backend),
            stdin=subprocess.PIPE,  # left open: only the peer ends this
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        finally:
            if proc.poll() is None:  # pragma: no cover - the bug this test is about
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert out == b"bye\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_connect_to_a_unix_path(backend: str, tmp_path: Path) -> None:
    path = str(tmp_path / "echo.sock")
    with _running("serve-echo", "--path", path, "--backend", backend):
        result = subprocess.run(
            _cli("connect", "--path", path, "--backend", backend),
            input=b"via path\n",
            capture_output=True,
            env=_env(),
            timeout=TIMEOUT,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\r\nvia path\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_connect_refused_is_one_clear_line(backend: str) -> None:
    port = closed_port()
    result = subprocess.run(
        _cli("connect", LOCALHOST, str(port), "--backend", backend),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: connect ECONNREFUSED {LOCALHOST}:{port}: nothing listens there "
        "(try: python -m anyio_net serve-echo)\n"
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_connect_to_a_missing_path_says_so(backend: str, tmp_path: Path) -> None:
    result = subprocess.run(
        _cli("connect", "--path", str(tmp_path / "nothing.sock"), "--backend", backend),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert "ENOENT" in result.stderr
    assert "no such socket file" in result.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_ctrl_c_stops_connect_quietly(backend: str) -> None:
    def wait_for_eof(conn: socket.socket) -> None:
        conn.sendall(b"ready\n")
        while conn.recv(65536):
            pass

    with _one_connection_server(wait_for_eof) as port:
        proc = subprocess.Popen(
            _cli("connect", LOCALHOST, str(port), "--backend", backend),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        try:
            assert _read_line(proc) == "ready\n"
            status, _, err = _stop(proc)
        finally:
            if proc.poll() is None:  # pragma: no cover
                proc.kill()
                proc.communicate()
    assert status == 130
    assert "Traceback" not in err


# -- arguments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["serve-echo", "connect"]),
        (("serve-echo",), ["--port", "8124", "--host", "--path", "--backend", "nc localhost"]),
        (("connect",), ["host", "port", "--path", "--backend", "half-closed"]),
    ],
    ids=["top", "serve-echo", "connect"],
)
def test_help(args: tuple[str, ...], expected: list[str]) -> None:
    result = subprocess.run(
        _cli(*args, "--help"), capture_output=True, text=True, env=_env(), timeout=TIMEOUT
    )
    assert result.returncode == 0
    for word in expected:
        assert word in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("connect",), "give HOST PORT"),
        (("connect", "localhost"), "give HOST PORT"),
        (("connect", "localhost", "80", "--path", "/x"), "not both"),
        (("serve-echo", "--port", "70000"), "a port is 0-65535"),
        (("serve-echo", "--port", "http"), "not a port number"),
        (("serve-echo", "--host", "::1", "--path", "/x"), "cannot be used together"),
        (("serve-echo", "--backend", "curio"), "invalid choice"),
        (("listen",), "invalid choice"),
    ],
)
def test_bad_arguments_exit_with_status_2(args: tuple[str, ...], message: str) -> None:
    result = subprocess.run(
        _cli(*args), capture_output=True, text=True, env=_env(), timeout=TIMEOUT
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_main_returns_the_status_in_process() -> None:
    from anyio_net.__main__ import main

    with pytest.raises(SystemExit) as exited:
        main(["serve-echo", "--port", "-1"])
    assert exited.value.code == 2
