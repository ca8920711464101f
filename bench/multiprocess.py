"""Serving one port from several processes: connections/s and round trips/s, 1 vs 2 workers.

    python bench/multiprocess.py [--quick] [--reps N] [--backend uvloop] [--workers 1,2]
                                 [--no-handoff] [--json PATH]

Each configuration is a set of anyio-net echo servers (``c.pipe(c)``) on one port:

- ``reusePort x N``: N independent worker processes, each ``listen({"port": p,
  "reusePort": True})``; the kernel spreads connections over them.
- ``hand-off x N``: one parent accepts with ``pauseOnConnect`` and passes each descriptor to
  one of N workers (``socket.send_fds``, round robin), where ``Socket({"fd": n})`` serves it.

Load comes from the C load generator of the main suite (bench/loadgen.c, built by
bench/run.py's ``build_loadgen``), so no Python runs on the client side:

- connrate: 50 sessions at once, each connect, 16 bytes echoed, close: connections/s;
- pingpong100: 100 connections, 64-byte round trips: round trips/s, p50/p99 latency.

Besides throughput, the servers' CPU time inside each measured window is summed over all
their processes (``cpu_us_per_op``): unlike throughput it barely moves when the machine is
shared, so compare that column between runs, and throughput only within one run.
Nothing is pinned to a CPU: on a 2-core machine the load generator and the workers compete,
and the table says how many cores it ran on.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from run import LOADGEN, build_loadgen  # noqa: E402  (the main suite's load generator)

BACKENDS: dict[str, tuple[str, dict[str, Any]]] = {
    "asyncio": ("asyncio", {}),
    "uvloop": ("asyncio", {"use_uvloop": True}),
    "trio": ("trio", {}),
}
WORKLOADS = {
    "connrate": ("connrate", "-n", "50", "-s", "16"),
    "pingpong100": ("pingpong", "-n", "100", "-s", "64"),
}


# ---------------------------------------------------------------------------------- servers


def _echo(conn: Any) -> None:
    conn.on("error", lambda err: None)  # a load generator's reset must not end the run
    conn.pipe(conn)


def serve_reuseport(port: int, backend: str) -> None:
    """One worker: an echo server on a shared port. Prints ``PORT n`` when listening."""
    import anyio_net as net

    def main() -> None:
        server = net.create_server(_echo)

        def ready() -> None:
            address = server.address()
            assert isinstance(address, dict)
            print(f"PORT {address['port']}", flush=True)

        server.listen({"port": port, "host": "127.0.0.1", "reusePort": True}, ready)

    name, options = BACKENDS[backend]
    net.run(main, backend=name, backend_options=options)


def _handoff_worker(channel: socket.socket, backend: str) -> None:
    import anyio

    import anyio_net as net

    async def main() -> None:
        channel.setblocking(False)
        while True:
            await anyio.wait_readable(channel)
            try:
                message, fds, _flags, _address = socket.recv_fds(channel, 64, 64)
            except BlockingIOError:
                continue
            if not message:
                break
            for fd in fds:
                _echo(net.Socket({"fd": fd, "readable": True, "writable": True}))
        channel.close()

    name, options = BACKENDS[backend]
    net.run(main, backend=name, backend_options=options)


def serve_handoff(workers: int, backend: str) -> None:
    """A parent that accepts and hands every connection to one of ``workers`` processes."""
    import anyio

    import anyio_net as net

    ctx = multiprocessing.get_context("spawn")
    channels = []
    for _ in range(workers):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ctx.Process(target=_handoff_worker, args=(theirs, backend), daemon=True).start()
        theirs.close()
        ours.setblocking(False)
        channels.append(ours)
    turn = {"next": 0}

    async def hand_off(conn: Any) -> None:
        channel = channels[turn["next"] % len(channels)]
        turn["next"] += 1
        fd = conn.fileno()
        while fd >= 0:
            try:
                socket.send_fds(channel, [b"C"], [fd])
                break
            except BlockingIOError:
                # Rare (the worker is far behind). Two waiters on one channel would clash
                # on asyncio, so poll instead of wait_writable.
                await anyio.sleep(0.001)
        conn.destroy()

    def main() -> None:
        server = net.create_server({"pauseOnConnect": True}, hand_off)

        def ready() -> None:
            address = server.address()
            assert isinstance(address, dict)
            print(f"PORT {address['port']}", flush=True)

        server.listen(0, "127.0.0.1", ready)

    name, options = BACKENDS[backend]
    net.run(main, backend=name, backend_options=options)


# --------------------------------------------------------------------------------- harness


class Config:
    def __init__(self, mode: str, workers: int, backend: str) -> None:
        self.mode, self.workers, self.backend = mode, workers, backend
        self.key = f"{mode} x{workers}"
        self.procs: list[subprocess.Popen[str]] = []
        self.port = 0

    def _spawn(self, *args: str) -> int:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p
        )
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", *args, "--backend", self.backend],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,  # so stop() can end a hand-off parent with its workers
        )
        self.procs.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"{self.key}: server did not start ({line!r})")
        return int(line.split()[1])

    def start(self) -> None:
        if self.mode == "reusePort":
            self.port = self._spawn("reuseport", "--port", "0")
            for _ in range(self.workers - 1):
                self._spawn("reuseport", "--port", str(self.port))
        else:
            self.port = self._spawn("handoff", "--workers", str(self.workers))

    def pids(self) -> list[int]:
        """Every server process, hand-off workers included (children of the parent)."""
        found = []
        for proc in self.procs:
            found.append(proc.pid)
            try:
                children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text()
            except OSError:
                continue
            found.extend(int(pid) for pid in children.split())
        return found

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc in self.procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
        self.procs = []


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run_load(config: Config, workload: str, duration: float, warmup: float) -> dict[str, Any]:
    kind, *rest = WORKLOADS[workload]
    argv = [str(LOADGEN), kind, "-p", str(config.port), *rest, "-d", str(duration)]
    argv += ["-w", str(warmup)]
    pids = config.pids()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    result: dict[str, Any] = {"error": "no output"}
    cpu_start = cpu_end = None
    try:
        for line in proc.stdout:
            msg = json.loads(line)
            if msg.get("phase") == "measure":
                cpu_start = _cpu_seconds(pids)
            elif msg.get("phase") == "end":
                cpu_end = _cpu_seconds(pids)
            else:
                result = msg
        proc.wait(duration + warmup + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    ops = result.get("connections", result.get("round_trips"))
    if cpu_start is not None and cpu_end is not None and ops:
        result["cpu_us_per_op"] = round((cpu_end - cpu_start) / ops * 1e6, 1)
    return result


def run_suite(args: argparse.Namespace) -> dict[str, Any]:
    configs = [Config("reusePort", n, args.backend) for n in args.workers]
    if not args.no_handoff:
        configs += [Config("hand-off", n, args.backend) for n in args.workers if n > 1]
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {c.key: {} for c in configs}
    for rep in range(args.reps):
        shift = rep % len(configs)
        for config in configs[shift:] + configs[:shift]:  # rotate the order per repetition
            config.start()
            try:
                for workload in WORKLOADS:
                    result = run_load(config, workload, args.duration, args.warmup)
                    runs[config.key].setdefault(workload, []).append(result)
                    print(f"  rep {rep + 1} {config.key:<12} {workload:<12} {_brief(result)}")
            finally:
                config.stop()
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "backend": args.backend,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "reps": args.reps,
        "runs": runs,
    }


def _brief(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    if "conns_s" in result:
        return f"{result['conns_s']:.0f} conn/s, {result.get('cpu_us_per_op')} CPU µs/conn"
    return (
        f"{result['rt_s']:.0f} rt/s, p50 {result['p50_us']:.0f} µs, "
        f"{result.get('cpu_us_per_op')} CPU µs/rt"
    )


def _median(results: list[dict[str, Any]], field: str) -> float | None:
    values = [r[field] for r in results if field in r and "error" not in r]
    return statistics.median(values) if values else None


def table(data: dict[str, Any]) -> str:
    def fmt(value: float | None, digits: int = 0) -> str:
        return "—" if value is None else f"{value:,.{digits}f}"

    lines = [
        f"anyio-net echo servers, backend {data['backend']}, {data['cpus']} CPUs, "
        f"median of {data['reps']} ({data['duration_s']} s windows); load: bench/loadgen.c",
        "",
        "| server | connections/s | CPU µs/conn | round trips/s (100 conns) | p50 µs | p99 µs "
        "| CPU µs/round trip |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    base: dict[str, float | None] = {}
    for key, workloads in data["runs"].items():
        conn = workloads.get("connrate", [])
        ping = workloads.get("pingpong100", [])
        row = {
            "conns_s": _median(conn, "conns_s"),
            "conn_cpu": _median(conn, "cpu_us_per_op"),
            "rt_s": _median(ping, "rt_s"),
            "p50": _median(ping, "p50_us"),
            "p99": _median(ping, "p99_us"),
            "rt_cpu": _median(ping, "cpu_us_per_op"),
        }
        if not base:
            base = {"conns_s": row["conns_s"], "rt_s": row["rt_s"]}

        def ratio(
            field: str, row: dict[str, float | None] = row, base: dict[str, Any] = base
        ) -> str:
            value, ref = row[field], base.get(field)
            return f" ({value / ref:.2f}x)" if value and ref else ""

        lines.append(
            f"| {key} | {fmt(row['conns_s'])}{ratio('conns_s')} | {fmt(row['conn_cpu'], 1)} "
            f"| {fmt(row['rt_s'])}{ratio('rt_s')} | {fmt(row['p50'])} | {fmt(row['p99'])} "
            f"| {fmt(row['rt_cpu'], 1)} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 s windows, 1 repetition")
    parser.add_argument("--reps", type=int, help="repetitions (default 3, quick 1)")
    parser.add_argument("--duration", type=float, help="seconds measured per workload (3)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up first (0.5)")
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="uvloop")
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2,4")
    parser.add_argument("--no-handoff", action="store_true", help="only the reusePort rows")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    # Internal: run one server process of a configuration.
    parser.add_argument("--serve", choices=["reuseport", "handoff"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve == "reuseport":
        serve_reuseport(args.port, args.backend)
        return 0
    if args.serve == "handoff":
        serve_handoff(int(args.workers), args.backend)
        return 0
    args.workers = [int(n) for n in args.workers.split(",")]
    args.reps = args.reps or (1 if args.quick else 3)
    args.duration = args.duration or (1.0 if args.quick else 3.0)
    args.warmup = args.warmup if args.warmup is not None else (0.3 if args.quick else 0.5)
    build_loadgen()
    data = run_suite(args)
    if args.json:
        args.json.write_text(json.dumps(data, indent=1))
    print()
    print(table(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
