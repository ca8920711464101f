"""How much memory a proxy built on anyio_net needs to move a lot of data to a slow reader.

    python bench/proxy_memory.py [--backend asyncio|uvloop|trio] [--mib 1024] [--rate 128]
                                 [--json]

Runs ``examples/tcp_proxy.py`` in a subprocess between a client that sends ``--mib`` MiB as
fast as the kernel takes them and a server that reads at most ``--rate`` MiB/s, and reads
the proxy's resident set size (RSS) from /proc while the data moves. With backpressure
working end to end (``pipe()`` pauses the client side while the server side's queue is
full), the proxy's RSS grows by a few MiB at most, whatever the volume. Prints one line, or
one JSON object with ``--json``: baseline and peak RSS, their difference, bytes, seconds.
Loopback only; Linux (reads /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROXY = ROOT / "examples" / "tcp_proxy.py"
CHUNK = 256 * 1024


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


class SlowServer(threading.Thread):
    """Accepts one connection, reads at most ``rate`` bytes/s until EOF, answers the count."""

    def __init__(self, rate: float) -> None:
        super().__init__(daemon=True)
        self.rate = rate
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.received = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            conn, _ = self.listener.accept()
            with conn:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 256 * 1024)
                start = time.monotonic()
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    self.received += len(data)
                    ahead = self.received / self.rate - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
                conn.sendall(f"received {self.received}".encode())
        except BaseException as exc:  # reported by measure()
            self.error = exc
        finally:
            self.listener.close()


def start_proxy(target_port: int, backend: str) -> tuple[subprocess.Popen[str], int]:
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, str(PROXY), "0", str(target_port), "--backend", backend],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("proxy listening on "):
        proc.kill()
        raise RuntimeError(f"the proxy did not start: {line!r}")
    return proc, int(line.rsplit(" ", 1)[1])


def measure(
    backend: str = "asyncio", total: int = 1 << 30, rate: float = 128 << 20
) -> dict[str, Any]:
    """Move ``total`` bytes through a proxy subprocess to a server reading ``rate`` bytes/s."""
    server = SlowServer(rate)
    server.start()
    proc, port = start_proxy(server.port, backend)
    try:
        try:  # start the peak count afresh (Linux >= 4.0): the import-time peak is not ours
            Path(f"/proc/{proc.pid}/clear_refs").write_text("5")
        except OSError:
            pass
        baseline = rss_kib(proc.pid)
        peak = baseline
        answer: list[bytes] = []
        payload = os.urandom(CHUNK)

        def client() -> None:
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sent = 0
                while sent < total:
                    sock.sendall(payload)
                    sent += len(payload)
                sock.shutdown(socket.SHUT_WR)
                while data := sock.recv(65536):
                    answer.append(data)

        started = time.monotonic()
        sender = threading.Thread(target=client, daemon=True)
        sender.start()
        while sender.is_alive():
            peak = max(peak, rss_kib(proc.pid))
            sender.join(0.02)
        seconds = time.monotonic() - started
        server.join(10)
        peak = max(peak, rss_kib(proc.pid), rss_kib(proc.pid, "VmHWM"))
        if server.error is not None:
            raise server.error
        if server.received != total or b"".join(answer) != f"received {total}".encode():
            raise RuntimeError(f"lost data: {server.received} of {total}, answer {answer!r}")
    finally:
        proc.terminate()
        proc.wait(10)
    return {
        "backend": backend,
        "bytes": total,
        "seconds": round(seconds, 2),
        "mib_per_s": round(total / seconds / (1 << 20), 1),
        "baseline_rss_mib": round(baseline / 1024, 1),
        "peak_rss_mib": round(peak / 1024, 1),
        "rss_growth_mib": round((peak - baseline) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="asyncio", choices=["asyncio", "uvloop", "trio"])
    parser.add_argument("--mib", type=int, default=1024, help="MiB to send (default 1024)")
    parser.add_argument("--rate", type=float, default=128, help="server reads MiB/s (128)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = measure(args.backend, args.mib << 20, args.rate * (1 << 20))
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['backend']}: {args.mib} MiB in {result['seconds']} s "
            f"({result['mib_per_s']} MiB/s); proxy RSS {result['baseline_rss_mib']} MiB -> "
            f"{result['peak_rss_mib']} MiB peak (+{result['rss_growth_mib']} MiB)"
        )


if __name__ == "__main__":
    main()
