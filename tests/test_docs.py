"""Every Python code block in ``docs/*.md`` runs here, on each backend, so the docs cannot rot.

How blocks are run:
- A fenced block whose language is ``python`` (or ``py``) is a program: it is executed as
  ``__main__`` in this process, with ``anyio.run`` (hence ``anyio_net.run``) forced onto the
  backend under test. It must finish by itself; an exception fails the test.
- The ports 8124, 8125 and 8126 written in a block are replaced by free ports (the same ones
  for every block of the test), so examples can show the seed's port and tests never
  collide. Other examples listen on port 0.
- A MyST comment line right above the fence changes how a block is run; several options
  are separated by commas:

  ``% test: fragment``
      Not a whole program (it uses names defined elsewhere); only compiled.
  ``% test: server`` (or ``server=8126``)
      A program that serves until stopped. It runs in a subprocess while each later block
      of the same page runs, and must print a line once it is listening. Of the server
      blocks above a block, the last one on each port is started; ``server=PORT`` says
      which port a block serves when it names others (a proxy names its target).
  ``% test: backend=trio`` (or ``asyncio``)
      The block starts that event loop itself (``trio.run``, ``asyncio.run``).
  ``% test: pytest``
      A test module: it is run by pytest in a subprocess.
  ``% test: output``
      Put above a ``text`` block that follows a Python block: the Python block must print
      exactly that.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import json
import logging
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from anyio_net import _aliases

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SRC = ROOT / "src"

PATCHED_PORTS = ("8124", "8125", "8126")
_PORT_RE = re.compile(r"\b(" + "|".join(PATCHED_PORTS) + r")\b")
_FENCE_RE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_OPTION_RE = re.compile(r"^%\s*test:\s*(?P<options>.*)$")
_PYTHON = {"python", "py", "python3", "{code-block} python", "{code} python"}
_OPTIONS = {"fragment", "server", "pytest", "output", "backend"}

_BACKENDS: dict[str, tuple[str, dict[str, Any]]] = {
    "asyncio": ("asyncio", {}),
    "asyncio+uvloop": ("asyncio", {"use_uvloop": True}),
    "trio": ("trio", {}),
}
_DEFAULT = "asyncio,asyncio+uvloop,trio"
try:
    import uvloop  # noqa: F401
except ImportError:  # pragma: no cover - no uvloop on Windows
    _DEFAULT = "asyncio,trio"
_CHOSEN = [b for b in os.environ.get("ANYIO_NET_BACKENDS", _DEFAULT).split(",") if b]


@dataclasses.dataclass
class Block:
    page: str
    line: int  # where the code starts, 1-based
    info: str
    code: str
    options: dict[str, str]
    expected: str | None = None

    @property
    def where(self) -> str:
        return f"docs/{self.page}:{self.line}"

    @property
    def is_python(self) -> bool:
        return self.info.strip() in _PYTHON

    def backends(self) -> list[str]:
        only = self.options.get("backend")
        if only is None:
            return list(_CHOSEN)
        if only not in ("asyncio", "trio"):
            raise ValueError(f"{self.where}: backend={only}: say asyncio or trio")
        return [only] if only in _CHOSEN else []


def _parse_options(text: str, where: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in _OPTIONS:
            raise ValueError(f"{where}: unknown '% test:' option {key!r}")
        options[key] = value.strip()
    return options


def extract(path: Path) -> list[Block]:
    """The fenced code blocks of one page, with their ``% test:`` options."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    pending: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        option = _OPTION_RE.match(line.strip())
        if option:
            pending.update(_parse_options(option["options"], f"docs/{path.name}:{index + 1}"))
            index += 1
            continue
        fence = _FENCE_RE.match(line)
        if not fence:
            if line.strip() and not line.lstrip().startswith("%"):
                pending = {}  # options apply to the fence right below them only
            index += 1
            continue
        marker, info = fence["fence"], fence["info"]
        body: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines):
            closing = lines[index].strip()
            if closing.startswith(marker[0] * len(marker)) and not closing.strip(marker[0]):
                break
            body.append(lines[index])
            index += 1
        index += 1
        block = Block(path.name, start, info, "\n".join(body) + "\n", pending)
        pending = {}
        if "output" in block.options:
            if not blocks or not blocks[-1].is_python:
                raise ValueError(f"{block.where}: '% test: output' must follow a Python block")
            blocks[-1].expected = block.code
        blocks.append(block)
    return blocks


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _all_blocks() -> list[Block]:
    return [b for page in _pages() for b in extract(page) if b.is_python]


def _free_ports() -> dict[str, int]:
    ports: dict[str, int] = {}
    holders = []
    try:
        for literal in PATCHED_PORTS:
            holder = socket.socket()
            holder.bind(("127.0.0.1", 0))
            holders.append(holder)
            ports[literal] = holder.getsockname()[1]
    finally:
        for holder in holders:
            holder.close()
    return ports


def _patched(code: str, ports: dict[str, int]) -> str:
    return _PORT_RE.sub(lambda m: str(ports[m.group(1)]), code)


def _compiled(block: Block, code: str) -> Any:
    # Padded so that tracebacks point at the line of the page.
    return compile("\n" * (block.line - 1) + code, block.where, "exec")


# -- running blocks ---------------------------------------------------------------------------

_BOOT = """
import json, sys
import anyio
name, options = sys.argv[1], json.loads(sys.argv[2])
real_run = anyio.run
def forced_run(func, *args, backend=None, backend_options=None):
    return real_run(func, *args, backend=name, backend_options=options or None)
anyio.run = forced_run
padding, where, code = int(sys.argv[3]), sys.argv[4], sys.argv[5]
exec(compile("\\n" * padding + code, where, "exec"), {"__name__": "__main__"})
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ANYIO_NET_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def _read_line(proc: subprocess.Popen[bytes], timeout: float) -> bytes:
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
    return got


@contextlib.contextmanager
def _servers(blocks: list[Block], backend: str, ports: dict[str, int]) -> Iterator[None]:
    """Run the ``server`` blocks in subprocesses, each up once it printed its first line."""
    running: list[tuple[Block, subprocess.Popen[bytes]]] = []
    try:
        for block in blocks:
            name, options = _BACKENDS[block.options.get("backend") or backend]
            proc = subprocess.Popen(
                [
                    *(sys.executable, "-u", "-c", _BOOT, name, json.dumps(options)),
                    *(str(block.line - 1), block.where, _patched(block.code, ports)),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_env(),
            )
            running.append((block, proc))
            if not _read_line(proc, timeout=10):
                proc.kill()
                _, err = proc.communicate(timeout=10)
                pytest.fail(f"{block.where}: the server printed nothing:\n{err.decode()}")
        yield
        for block, proc in running:
            if proc.poll() is not None:
                _, err = proc.communicate(timeout=10)
                pytest.fail(f"{block.where}: the server stopped early:\n{err.decode()}")
    finally:
        for _, proc in running:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
                proc.kill()
                proc.communicate()


def _exec_here(block: Block, code: str, backend: str, monkeypatch: pytest.MonkeyPatch) -> str:
    name, options = _BACKENDS[backend]
    real_run = anyio.run

    def forced_run(func: Any, *args: Any, backend: Any = None, backend_options: Any = None) -> Any:
        return real_run(func, *args, backend=name, backend_options=options or None)

    monkeypatch.setattr(anyio, "run", forced_run)
    out = io.StringIO()
    with _logging_restored(), contextlib.redirect_stdout(out):
        exec(_compiled(block, code), {"__name__": "__main__"})
    return out.getvalue()


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """Undo what an example does to logging (basicConfig, levels), for the next tests."""
    loggers = [logging.getLogger(), logging.getLogger("anyio_net")]
    saved = [(lg, lg.level, lg.handlers[:], lg.propagate) for lg in loggers]
    try:
        yield
    finally:
        for lg, level, handlers, propagate in saved:
            lg.setLevel(level)
            lg.handlers[:] = handlers
            lg.propagate = propagate


def _run_pytest(block: Block, code: str, tmp_path: Path) -> None:
    module = tmp_path / "test_from_docs.py"
    module.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"{block.where}: pytest failed:\n{report}"
    assert re.search(r"\b\d+ passed\b", report), report


# -- the tests --------------------------------------------------------------------------------

_BLOCKS = _all_blocks()
_PROGRAMS = [b for b in _BLOCKS if "fragment" not in b.options]
_FRAGMENTS = [b for b in _BLOCKS if "fragment" in b.options]


def _program_params() -> list[Any]:
    params = []
    for block in _PROGRAMS:
        if "pytest" in block.options:
            backends = ["asyncio"] if "asyncio" in _CHOSEN else _CHOSEN[:1]
        else:
            backends = block.backends()
        for backend in backends:
            params.append(
                pytest.param(block, _BACKENDS[backend], id=f"{block.page}:{block.line}-{backend}")
            )
    return params


def _servers_for(block: Block) -> list[Block]:
    """The server blocks up while ``block`` runs: on each port, the last one above it."""
    chosen: list[Block] = []
    taken: set[str] = set()
    for other in reversed([b for b in _PROGRAMS if b.page == block.page]):
        if other.line > block.line or "server" not in other.options:
            continue
        served = other.options["server"]
        ports = {served} if served else set(_PORT_RE.findall(other.code))
        if not ports & taken:
            chosen.insert(0, other)
            taken |= ports
    return chosen


@pytest.mark.parametrize(("block", "anyio_backend"), _program_params())
def test_block_runs(
    block: Block,
    anyio_backend: tuple[str, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    backend = "asyncio+uvloop" if anyio_backend[1].get("use_uvloop") else anyio_backend[0]
    ports = _free_ports()
    code = _patched(block.code, ports)
    if "pytest" in block.options:
        _run_pytest(block, code, tmp_path)
        return
    with _servers(_servers_for(block), backend, ports):
        if "server" in block.options:
            return  # it started and kept serving; the blocks after it talk to it
        printed = _exec_here(block, code, backend, monkeypatch)
    if block.expected is not None:
        assert printed == block.expected, f"{block.where} printed:\n{printed}"


@pytest.mark.parametrize("block", _FRAGMENTS, ids=[b.where for b in _FRAGMENTS])
def test_fragment_compiles(block: Block) -> None:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    compile("\n" * (block.line - 1) + block.code, block.where, "exec", flags=flags)


def test_blocks_were_found() -> None:
    pages = {b.page for b in _PROGRAMS}
    assert {"quickstart.md", "porting.md", "concepts.md", "embedding.md"} <= pages


# -- the extractor itself ---------------------------------------------------------------------


def test_extractor_reads_options_and_expected_output(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n% test: backend=trio, server\n```python\nprint(1)\n```\n\n"
        "% test: output\n```text\n1\n```\n\n```js\nx()\n```\n\n"
        "% test: fragment\n\nSome text.\n\n```python\nplain()\n```\n",
        encoding="utf-8",
    )
    blocks = extract(page)
    assert [(b.info, b.line, b.options) for b in blocks] == [
        ("python", 5, {"backend": "trio", "server": ""}),
        ("text", 10, {"output": ""}),
        ("js", 14, {}),
        ("python", 22, {}),  # the option was separated from it by text: not applied
    ]
    assert blocks[0].expected == "1\n"


def test_extractor_rejects_unknown_options(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("% test: fragmnet\n```python\nx\n```\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown"):
        extract(page)


def test_a_wrong_expected_output_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\nprint('yes')\n```\n% test: output\n```text\nno\n```\n")
    (block, _) = extract(page)
    printed = _exec_here(block, block.code, "asyncio", monkeypatch)
    assert printed != block.expected


def test_port_literals_are_patched() -> None:
    ports = {"8124": 40001, "8125": 40002, "8126": 40003}
    assert _patched("listen(8124); connect(81240); x = 8126", ports) == (
        "listen(40001); connect(81240); x = 40003"
    )


# -- the porting guide names everything -------------------------------------------------------


def _porting_text() -> str:
    return (DOCS / "porting.md").read_text(encoding="utf-8")


def test_porting_guide_lists_every_camel_case_name_beside_its_twin() -> None:
    text = _porting_text()
    import anyio_net as net

    def named(name: str) -> bool:
        return re.search(rf"`[^`]*\b{name}\b[^`]*`", text) is not None

    missing = []
    for cls in (net.EventEmitter, net.Socket, net.Server):
        for camel, twin in _aliases.class_node_names(cls).items():
            if not named(camel):
                missing.append(f"{cls.__name__}.{camel}")
            if not named(twin):
                missing.append(f"{cls.__name__}.{twin}")
    for camel, (_, twin) in _aliases.MODULE_NODE_NAMES.items():
        if not named(camel) or not named(twin):
            missing.append(camel)
    assert missing == []


def test_porting_guide_lists_every_public_name() -> None:
    import anyio_net as net

    text = _porting_text()
    missing = [n for n in net.__all__ if not re.search(rf"`[^`]*\b{n}\b[^`]*`", text)]
    assert missing == []


def test_api_reference_covers_every_public_name() -> None:
    import anyio_net as net

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    camel = set(_aliases.MODULE_NODE_NAMES)
    missing = [
        name
        for name in net.__all__
        if name not in camel and not re.search(rf"anyio_net\.{name}\b", text)
    ]
    assert missing == []
