"""System calls per 64-byte round trip of each echo server (``strace -c -f`` on the server).

    python bench/syscalls.py [--servers GLOBS] [--seconds S]

Starts each server (as bench/run.py does), attaches ``strace -c -f`` to it only while the
load generator runs a 1-connection ping-pong, and prints the calls per round trip, by
name. Needs strace (``apt-get install strace``); the counts are exact, the rates under
strace are not (do not compare them with bench/run.py's).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py: servers, pinning, the load generator


def strace_counts(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in path.read_text().splitlines():
        # % time  seconds  usecs/call  calls  [errors]  syscall
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
        if m and m.group(2) != "total":
            counts[m.group(2)] = int(m.group(1))
    return counts


def measure(server: run.Server, seconds: float) -> dict[str, object]:
    pinned = (os.cpu_count() or 1) >= 2
    live = run.RunningServer(server, run.SERVER_CPU if pinned else None)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "strace.txt"
            tracer = subprocess.Popen(
                ["strace", "-c", "-f", "-o", str(out), "-p", str(live.pid)],
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)  # attached to every thread
            result = run._loadgen(
                ("pingpong", "-n", "1", "-s", "64", "-d", str(seconds), "-w", "0"),
                live.port,
                live.pid,
                run.LOADGEN_CPU if pinned else None,
                60,
            )
            tracer.send_signal(signal.SIGINT)
            tracer.wait(10)
            counts = strace_counts(out)
    finally:
        live.stop()
    trips = int(result.get("round_trips", 0)) or 1
    per_trip = {name: n / trips for name, n in counts.items() if n / trips >= 0.05}
    return {
        "round_trips": trips,
        "per_round_trip": round(sum(counts.values()) / trips, 2),
        "by_call": dict(sorted(per_trip.items(), key=lambda kv: -kv[1])),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", help="comma-separated globs (default: all)")
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    if shutil.which("strace") is None:
        sys.exit("bench/syscalls.py needs strace")
    run.build_loadgen()
    servers = [s for s in run._servers() if run._selected(s.key, args.servers)]
    if shutil.which("node") is None:
        servers = [s for s in servers if s.family != "node"]
    print("| echo server | system calls per round trip | by call |")
    print("|---|---:|---|")
    results = {}
    for server in servers:
        got = measure(server, args.seconds)
        results[server.key] = got
        calls = ", ".join(f"{k} {v:.2f}" for k, v in got["by_call"].items())  # type: ignore[union-attr]
        print(f"| {server.label} | {got['per_round_trip']} | {calls} |", flush=True)
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    (run.RESULTS / "syscalls.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
