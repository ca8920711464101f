"""The leak check in conftest.py can fail: leaky tests run in a pytest subprocess, with the
very same conftest, and each is reported at teardown with what it left behind.

A check that never fails proves nothing; here every kind of leak it looks for (a socket, a
pipe, a file, an anyio_net runtime still open with its tasks and a registered server) is
made on purpose, on every chosen backend, next to a clean exchange that must pass.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import anyio_net

CONFTEST = Path(__file__).with_name("conftest.py")
SRC = Path(anyio_net.__file__).resolve().parents[1]

LEAKY_TESTS = textwrap.dedent(
    """
    import os
    import socket
    import threading

    import anyio
    import pytest

    import anyio_net as net

    KEEP = []  # what the leaky tests leave open on purpose (never collected)


    def test_clean_sync() -> None:
        os.close(os.open(os.devnull, os.O_RDONLY))


    @pytest.mark.anyio
    async def test_clean_exchange(anyio_backend) -> None:
        with anyio.fail_after(10):
            async with net.open_runtime():
                server = net.create_server(lambda c: c.end(b"bye"))
                server.listen(0, "127.0.0.1")
                client = net.connect(server.address()["port"], "127.0.0.1")
                client.resume()
                await net.once(client, "close")
                server.close()


    def test_leaks_a_pipe() -> None:
        KEEP.append(os.pipe())


    def test_leaks_a_file(tmp_path) -> None:
        KEEP.append(open(tmp_path / "kept.txt", "w"))


    @pytest.mark.anyio
    async def test_leaks_a_socket(anyio_backend) -> None:
        async with net.open_runtime():
            KEEP.append(socket.socket())


    @pytest.mark.anyio
    async def test_leaks_a_runtime(anyio_backend) -> None:
        # A runtime still running in another thread when the test returns: its tasks, its
        # listening server, the server's descriptor and the thread's event loop stay behind.
        backend, options = anyio_backend
        listening = threading.Event()

        def main() -> None:
            server = net.create_server()
            server.listen(0, "127.0.0.1", listening.set)

        thread = threading.Thread(
            target=net.run,
            args=(main,),
            kwargs={"backend": backend, "backend_options": options},
            daemon=True,
        )
        thread.start()
        assert await anyio.to_thread.run_sync(listening.wait, 10)
    """
)

# pytest's short summary: "ERROR <nodeid> - Failed: leak check: <what>"
SUMMARY = re.compile(r"^ERROR (\S+) - Failed: leak check: (.*)$", re.MULTILINE)


@pytest.fixture(scope="module")
def leaky_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    where = tmp_path_factory.mktemp("leaky")
    (where / "conftest.py").write_text(CONFTEST.read_text())
    (where / "test_leaky.py").write_text(LEAKY_TESTS)
    (where / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    # A wide terminal, so the short summary keeps each message whole.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(where)]), "COLUMNS": "5000"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rE", "-q", "--tb=no", "-W", "ignore", str(where)],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def errors_of(run: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return {nodeid.split("::", 1)[1]: what for nodeid, what in SUMMARY.findall(run.stdout)}


def backends() -> list[str]:
    from tests.conftest import _CHOSEN

    return list(_CHOSEN)


def test_the_leaky_run_fails_and_the_clean_tests_pass(
    leaky_run: subprocess.CompletedProcess[str],
) -> None:
    assert leaky_run.returncode == 1, leaky_run.stdout + leaky_run.stderr
    # Each test body passes; the leaky ones then error at teardown, the clean ones do not.
    count = len(backends())
    tests, leaky = 3 + 3 * count, 2 + 2 * count
    assert f"{tests} passed, {leaky} errors" in leaky_run.stdout, leaky_run.stdout
    errors = errors_of(leaky_run)
    assert not [name for name in errors if name.startswith("test_clean")], errors


@pytest.mark.parametrize(
    ("test", "pattern"),
    [
        ("test_leaks_a_pipe", r"descriptor\(s\) left open: \d+->pipe:\[\d+\], \d+->pipe:"),
        ("test_leaks_a_file", r"descriptor\(s\) left open: \d+->/\S*kept\.txt"),
    ],
)
def test_a_leaked_descriptor_of_any_kind_fails_the_test(
    leaky_run: subprocess.CompletedProcess[str], test: str, pattern: str
) -> None:
    errors = errors_of(leaky_run)
    assert test in errors, leaky_run.stdout
    assert re.search(pattern, errors[test]), errors[test]


@pytest.mark.parametrize("backend", backends())
def test_a_leaked_socket_fails_the_test_on_every_backend(
    leaky_run: subprocess.CompletedProcess[str], backend: str
) -> None:
    what = errors_of(leaky_run).get(f"test_leaks_a_socket[{backend}]")
    assert what is not None, leaky_run.stdout
    assert re.fullmatch(r"descriptor\(s\) left open: \d+->socket:\[\d+\]", what), what


@pytest.mark.parametrize("backend", backends())
def test_a_runtime_left_running_fails_the_test_on_every_backend(
    leaky_run: subprocess.CompletedProcess[str], backend: str
) -> None:
    what = errors_of(leaky_run).get(f"test_leaks_a_runtime[{backend}]")
    assert what is not None, leaky_run.stdout
    assert re.search(r"\b[1-9]\d* anyio_net task\(s\) still running", what), what
    assert "1 anyio_net runtime(s) still open" in what, what
    assert "handle(s) still registered as open: [<anyio_net.Server listening=True" in what, what
    assert re.search(r"descriptor\(s\) left open: .*socket:\[\d+\]", what), what
