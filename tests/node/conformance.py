"""Node v20.11.1 conformance report for anyio-net: which of Node's own tests are ported, pass.

Run from anywhere: ``python tests/node/conformance.py [--backends asyncio,trio] [-- PYTEST_ARGS]``.

For each group of Node test files (``test-net-*`` in ``test/parallel``, in
``test/sequential``, the two ``test-socket-write-after-fin*`` files the checklist names, and
the EventEmitter files) it prints ``ported / applicable / total``: *total* is the number of
files in Node v20.11.1, *applicable* leaves out the ones listed in ``NOT_PORTED.md``, *ported*
counts the files named by a ``@pytest.mark.node_port(...)`` in ``tests/node``. Then it runs
pytest on ``tests/node`` once per backend (``ANYIO_NET_BACKENDS=<backend>``) and prints how
many ported files pass entirely (every test of the file passed or was skipped, none failed,
at least one ran). It exits with status 1 if a ported file fails on any backend.

The outcomes are collected by this very module, loaded into pytest as a plugin (``-p``): its
hooks write one JSON line per test phase to the file named by ``ANYIO_NET_CONFORMANCE_LOG``.
Standard library only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LOG_ENV = "ANYIO_NET_CONFORMANCE_LOG"

# The file names below were listed from the Git tree of the commit "chore: vendor v20.11.1"
# (d12a68fc, merged as "vendor_20.11.1") of github.com/denoland/node_test, a verbatim copy
# of Node v20.11.1's test/ folder:
#   git ls-tree -r --name-only d12a68fc | grep -E '^test/(parallel|sequential)/test-net-'
#   git ls-tree -r --name-only d12a68fc \
#     | grep -E '^test/parallel/test-(event-emitter-|events-|eventemitter-|event-capture-)'
# The EventEmitter group leaves out the EventTarget files (test-event-target.js,
# test-eventtarget*.js): anyio-net has no EventTarget.

NET_PARALLEL = (
    "test-net-access-byteswritten.js",
    "test-net-after-close.js",
    "test-net-allow-half-open.js",
    "test-net-autoselectfamily-commandline-option.js",
    "test-net-autoselectfamily-default.js",
    "test-net-autoselectfamily-ipv4first.js",
    "test-net-autoselectfamily.js",
    "test-net-better-error-messages-listen-path.js",
    "test-net-better-error-messages-listen.js",
    "test-net-better-error-messages-path.js",
    "test-net-better-error-messages-port-hostname.js",
    "test-net-binary.js",
    "test-net-bind-twice.js",
    "test-net-buffersize.js",
    "test-net-bytes-read.js",
    "test-net-bytes-stats.js",
    "test-net-bytes-written-large.js",
    "test-net-can-reset-timeout.js",
    "test-net-child-process-connect-reset.js",
    "test-net-client-bind-twice.js",
    "test-net-connect-abort-controller.js",
    "test-net-connect-after-destroy.js",
    "test-net-connect-buffer.js",
    "test-net-connect-buffer2.js",
    "test-net-connect-call-socket-connect.js",
    "test-net-connect-destroy.js",
    "test-net-connect-immediate-destroy.js",
    "test-net-connect-immediate-finish.js",
    "test-net-connect-keepalive.js",
    "test-net-connect-memleak.js",
    "test-net-connect-no-arg.js",
    "test-net-connect-nodelay.js",
    "test-net-connect-options-allowhalfopen.js",
    "test-net-connect-options-fd.js",
    "test-net-connect-options-invalid.js",
    "test-net-connect-options-ipv6.js",
    "test-net-connect-options-path.js",
    "test-net-connect-options-port.js",
    "test-net-connect-paused-connection.js",
    "test-net-connect-reset-after-destroy.js",
    "test-net-connect-reset-before-connected.js",
    "test-net-connect-reset-until-connected.js",
    "test-net-connect-reset.js",
    "test-net-deprecated-setsimultaneousaccepts.js",
    "test-net-dns-custom-lookup.js",
    "test-net-dns-error.js",
    "test-net-dns-lookup-skip.js",
    "test-net-dns-lookup.js",
    "test-net-during-close.js",
    "test-net-eaddrinuse.js",
    "test-net-end-close.js",
    "test-net-end-destroyed.js",
    "test-net-end-without-connect.js",
    "test-net-error-twice.js",
    "test-net-isip.js",
    "test-net-isipv4.js",
    "test-net-isipv6.js",
    "test-net-keepalive.js",
    "test-net-large-string.js",
    "test-net-listen-after-destroying-stdin.js",
    "test-net-listen-close-server-callback-is-not-function.js",
    "test-net-listen-close-server.js",
    "test-net-listen-error.js",
    "test-net-listen-exclusive-random-ports.js",
    "test-net-listen-fd0.js",
    "test-net-listen-invalid-port.js",
    "test-net-listen-ipv6only.js",
    "test-net-listening.js",
    "test-net-local-address-port.js",
    "test-net-localerror.js",
    "test-net-normalize-args.js",
    "test-net-onread-static-buffer.js",
    "test-net-options-lookup.js",
    "test-net-pause-resume-connecting.js",
    "test-net-perf_hooks.js",
    "test-net-persistent-keepalive.js",
    "test-net-persistent-nodelay.js",
    "test-net-persistent-ref-unref.js",
    "test-net-pingpong.js",
    "test-net-pipe-connect-errors.js",
    "test-net-reconnect.js",
    "test-net-remote-address-port.js",
    "test-net-remote-address.js",
    "test-net-server-async-dispose.mjs",
    "test-net-server-call-listen-multiple-times.js",
    "test-net-server-capture-rejection.js",
    "test-net-server-close.js",
    "test-net-server-drop-connections.js",
    "test-net-server-keepalive.js",
    "test-net-server-listen-handle.js",
    "test-net-server-listen-options-signal.js",
    "test-net-server-listen-options.js",
    "test-net-server-listen-path.js",
    "test-net-server-listen-remove-callback.js",
    "test-net-server-max-connections-close-makes-more-available.js",
    "test-net-server-max-connections.js",
    "test-net-server-nodelay.js",
    "test-net-server-options.js",
    "test-net-server-pause-on-connect.js",
    "test-net-server-reset.js",
    "test-net-server-simultaneous-accepts-produce-warning-once.js",
    "test-net-server-try-ports.js",
    "test-net-server-unref-persistent.js",
    "test-net-server-unref.js",
    "test-net-settimeout.js",
    "test-net-socket-byteswritten.js",
    "test-net-socket-close-after-end.js",
    "test-net-socket-connect-invalid-autoselectfamily.js",
    "test-net-socket-connect-invalid-autoselectfamilyattempttimeout.js",
    "test-net-socket-connect-without-cb.js",
    "test-net-socket-connecting.js",
    "test-net-socket-constructor.js",
    "test-net-socket-destroy-send.js",
    "test-net-socket-destroy-twice.js",
    "test-net-socket-end-before-connect.js",
    "test-net-socket-end-callback.js",
    "test-net-socket-local-address.js",
    "test-net-socket-no-halfopen-enforcer.js",
    "test-net-socket-ready-without-cb.js",
    "test-net-socket-reset-send.js",
    "test-net-socket-reset-twice.js",
    "test-net-socket-setnodelay.js",
    "test-net-socket-timeout-unref.js",
    "test-net-socket-timeout.js",
    "test-net-socket-write-after-close.js",
    "test-net-socket-write-error.js",
    "test-net-stream.js",
    "test-net-sync-cork.js",
    "test-net-throttle.js",
    "test-net-timeout-no-handle.js",
    "test-net-writable.js",
    "test-net-write-after-close.js",
    "test-net-write-after-end-nt.js",
    "test-net-write-arguments.js",
    "test-net-write-cb-on-destroy-before-connect.js",
    "test-net-write-connect-write.js",
    "test-net-write-fully-async-buffer.js",
    "test-net-write-fully-async-hex-string.js",
    "test-net-write-slow.js",
)

NET_SEQUENTIAL = (
    "test-net-GH-5504.js",
    "test-net-better-error-messages-port.js",
    "test-net-connect-econnrefused.js",
    "test-net-connect-handle-econnrefused.js",
    "test-net-connect-local-error.js",
    "test-net-listen-shared-ports.js",
    "test-net-localport.js",
    "test-net-reconnect-error.js",
    "test-net-response-size.js",
    "test-net-server-address.js",
    "test-net-server-bind.js",
)

EVENTS = (
    "test-event-capture-rejections.js",
    "test-event-emitter-add-listeners.js",
    "test-event-emitter-check-listener-leaks.js",
    "test-event-emitter-emit-context.js",
    "test-event-emitter-error-monitor.js",
    "test-event-emitter-errors.js",
    "test-event-emitter-get-max-listeners.js",
    "test-event-emitter-invalid-listener.js",
    "test-event-emitter-listener-count.js",
    "test-event-emitter-listeners-side-effects.js",
    "test-event-emitter-listeners.js",
    "test-event-emitter-max-listeners-warning-for-null.js",
    "test-event-emitter-max-listeners-warning-for-symbol.js",
    "test-event-emitter-max-listeners-warning.js",
    "test-event-emitter-max-listeners.js",
    "test-event-emitter-method-names.js",
    "test-event-emitter-modify-in-emit.js",
    "test-event-emitter-no-error-provided-to-error-event.js",
    "test-event-emitter-num-args.js",
    "test-event-emitter-once.js",
    "test-event-emitter-prepend.js",
    "test-event-emitter-remove-all-listeners.js",
    "test-event-emitter-remove-listeners.js",
    "test-event-emitter-set-max-listeners-side-effects.js",
    "test-event-emitter-special-event-names.js",
    "test-event-emitter-subclass.js",
    "test-event-emitter-symbols.js",
    "test-eventemitter-asyncresource.js",
    "test-events-add-abort-listener.mjs",
    "test-events-customevent.js",
    "test-events-getmaxlisteners.js",
    "test-events-list.js",
    "test-events-listener-count-with-listener.js",
    "test-events-on-async-iterator.js",
    "test-events-once.js",
    "test-events-static-geteventlisteners.js",
    "test-events-uncaught-exception-stack.js",
)

# Not test-net-* files, but net tests the porting checklist (NODE-TESTS.md, "Half-open") names.
NET_OTHER = (
    "test-socket-write-after-fin-error.js",
    "test-socket-write-after-fin.js",
)

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("net: test/parallel/test-net-*", NET_PARALLEL),
    ("net: test/sequential/test-net-*", NET_SEQUENTIAL),
    ("net: test-socket-write-after-fin*", NET_OTHER),
    ("events: EventEmitter tests", EVENTS),
)

_MARK_RE = re.compile(r"""node_port\(\s*["']([^"']+)["']""")
_ROW_RE = re.compile(r"^\|\s*`?([^`|]+?)`?\s*\|")


# -- what is ported, what is not ------------------------------------------------------------


def ported_files(folder: Path = HERE) -> dict[str, list[str]]:
    """Node file name -> the Python test files that carry ``node_port("<name>")``."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("test_*.py")):
        for name in sorted(set(_MARK_RE.findall(path.read_text(encoding="utf-8")))):
            found.setdefault(name, []).append(path.name)
    return found


def not_ported(path: Path = HERE / "NOT_PORTED.md") -> dict[str, str]:
    """Node file name -> reason, from the Markdown table(s) of ``NOT_PORTED.md``."""
    rows: dict[str, str] = {}
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ROW_RE.match(line.strip())
        if not match:
            continue
        name = match.group(1).strip()
        if not name.startswith("test-"):
            continue  # the header row, the separator row
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows[name] = cells[1] if len(cells) > 1 else ""
    return rows


# -- the pytest plugin half ----------------------------------------------------------------


def _log(record: dict[str, Any]) -> None:
    target = os.environ.get(LOG_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Plugin hook: record which Node file each collected test ports."""
    for item in items:
        names = [mark.args[0] for mark in item.iter_markers("node_port") if mark.args]
        _log({"kind": "item", "nodeid": item.nodeid, "node_files": names})


def pytest_collectreport(report: Any) -> None:
    """Plugin hook: a test file that cannot be collected fails as a whole."""
    if report.failed:
        _log({"kind": "collect", "nodeid": report.nodeid, "outcome": "failed"})


def pytest_runtest_logreport(report: Any) -> None:
    """Plugin hook: the outcome of every phase (a must_call check fails in teardown)."""
    _log({"kind": "phase", "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome})


# -- running pytest once per backend ------------------------------------------------------


def available_backends() -> list[str]:
    backends = ["asyncio"]
    if importlib.util.find_spec("uvloop") is not None:
        backends.append("asyncio+uvloop")
    backends.append("trio")
    return backends


def run_backend(backend: str, pytest_args: list[str]) -> tuple[int, list[dict[str, Any]], str]:
    """Run pytest on tests/node with one backend; returns (exit code, records, output)."""
    fd, log_path = tempfile.mkstemp(prefix="anyio-net-conformance-", suffix=".jsonl")
    os.close(fd)
    env = dict(os.environ)
    env["ANYIO_NET_BACKENDS"] = backend
    env[LOG_ENV] = log_path
    paths = [str(HERE), str(REPO / "src"), str(REPO)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(HERE),
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "conformance",
        "--continue-on-collection-errors",
        *pytest_args,
    ]
    try:
        proc = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        with open(log_path, encoding="utf-8") as log:
            records = [json.loads(line) for line in log if line.strip()]
    finally:
        os.unlink(log_path)
    return proc.returncode, records, proc.stdout + proc.stderr


def outcomes_by_file(
    records: Iterable[dict[str, Any]], marks: dict[str, list[str]]
) -> dict[str, dict[str, int]]:
    """Node file name -> counts of tests passed / failed / skipped on this run."""
    item_files: dict[str, list[str]] = {}
    results: dict[str, str] = {}
    by_python_file = {py: node for node, pys in marks.items() for py in pys}
    broken: list[str] = []
    for record in records:
        if record["kind"] == "item":
            item_files[record["nodeid"]] = record["node_files"]
        elif record["kind"] == "collect":
            broken.append(record["nodeid"])
        else:
            nodeid, outcome = record["nodeid"], record["outcome"]
            if outcome == "failed":
                results[nodeid] = "failed"
            elif outcome == "skipped" and results.get(nodeid) != "failed":
                results[nodeid] = "skipped"
            elif record["when"] == "call" and nodeid not in results:
                results[nodeid] = "passed"
    counts: dict[str, dict[str, int]] = {}
    for nodeid, names in item_files.items():
        for name in names:
            entry = counts.setdefault(name, {"passed": 0, "failed": 0, "skipped": 0})
            entry[results.get(nodeid, "failed")] += 1  # collected but never ran: a failure
    for nodeid in broken:
        node_file = by_python_file.get(Path(nodeid.split("::")[0]).name)
        if node_file is not None:
            counts.setdefault(node_file, {"passed": 0, "failed": 0, "skipped": 0})["failed"] += 1
    return counts


def file_passes(count: dict[str, int] | None) -> bool:
    return count is not None and count["failed"] == 0 and count["passed"] > 0


# -- the report ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--backends",
        default=os.environ.get("ANYIO_NET_BACKENDS", ",".join(available_backends())),
        help="comma-separated: asyncio, asyncio+uvloop, trio (default: all available)",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    backends = [name for name in args.backends.split(",") if name]

    marks = ported_files()
    skipped = not_ported()
    known = {name for _, names in GROUPS for name in names}

    print("anyio-net: conformance with Node v20.11.1's own tests (tests/node)")
    print()
    for title, names in GROUPS:
        total = len(names)
        out = [name for name in names if name in skipped]
        ported = [name for name in names if name in marks and name not in skipped]
        todo = [name for name in names if name not in marks and name not in skipped]
        print(f"{title}: ported {len(ported)} / applicable {total - len(out)} / total {total}")
        for name in todo:
            print(f"    not ported yet: {name}")
    both = sorted(name for name in marks if name in skipped)
    extra = sorted(name for name in marks if name not in known)
    stale = sorted(name for name in skipped if name not in known)
    for name in both:
        print(f"    both ported and in NOT_PORTED.md: {name}")
    for name in extra:
        print(f"    ported, not a v20.11.1 file of these groups: {name} ({', '.join(marks[name])})")
    for name in stale:
        print(f"    in NOT_PORTED.md, not a v20.11.1 file of these groups: {name}")

    failed_any = False
    for backend in backends:
        print()
        code, records, output = run_backend(backend, args.pytest_args)
        counts = outcomes_by_file(records, marks)
        tests = sum(sum(c.values()) for c in counts.values())
        failed_tests = sum(c["failed"] for c in counts.values())
        print(f"backend {backend}: {tests} tests, {failed_tests} failed (pytest exit {code})")
        for title, names in GROUPS:
            ported = [name for name in names if name in marks]
            passing = [name for name in ported if file_passes(counts.get(name))]
            print(f"  {title}: {len(passing)} of {len(ported)} ported files pass entirely")
        failing = sorted(name for name in marks if not file_passes(counts.get(name)))
        for name in failing:
            count = counts.get(name)
            detail = "not run" if count is None else ", ".join(f"{k} {v}" for k, v in count.items())
            print(f"    FAILS: {name} ({', '.join(marks[name])}): {detail}")
        if failing or code not in (0, 5):
            failed_any = True
            if not records or code not in (0, 1, 5):
                print(output[-4000:])
    print()
    print("FAILED: a ported file fails" if failed_any else "OK: every ported file passes")
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
