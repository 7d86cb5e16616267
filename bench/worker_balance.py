"""gunicorn's gthread worker against contactcentre.gunicorn_worker.BalancedThreadWorker, in one run.

The same gunicorn (4 workers x 2 threads, keep-alive) serves a WSGI app that spends a few ms of CPU
per request holding the GIL, as Django's Python work does, to wrk with 16 connections. Printed per
worker class and run: throughput, p50/p95/p99, how the connections sat on the workers, and the
balanced worker's p95 and throughput as a ratio to gthread's (the baseline). No database, no Django:
what is measured is the server's spreading of connections alone.

    .venv/bin/python bench/worker_balance.py [--runs 3] [--cpu-ms 4] [--clients 16] [--duration 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.load import ensure_tool, free_port, log, run_wrk, start_gunicorn, stop_gunicorn  # noqa: E402

COMPARED = ("gthread", "balanced")  # the baseline first


FIGURES = ("rps", "p50_ms", "p95_ms", "p99_ms", "max_ms")


def row(figures: dict) -> str:
    latencies = "  ".join(f"{key.removesuffix('_ms')} {figures[key]:.1f}" for key in FIGURES[1:])
    return f"{figures['rps']:>7.1f} rps  {latencies} ms"


def busy_app(environ, start_response):
    """Spends ?ms= milliseconds of CPU in Python (holding the GIL), then answers with its process id."""
    milliseconds = float(environ.get("QUERY_STRING", "").removeprefix("ms=") or 0)
    end = time.process_time() + milliseconds / 1000
    while time.process_time() < end:
        pass
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per worker class, alternating (default 3)")
    parser.add_argument("--cpu-ms", type=float, default=4.0, help="CPU per request (default 4 ms)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    wrk = ensure_tool("wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-balance-"))
    targets = workdir / "targets.tsv"
    targets.write_text(f"GET\t/?ms={args.cpu_ms}\t\t0\n")
    results: dict[str, list[dict]] = {name: [] for name in COMPARED}
    for attempt in range(1, args.runs + 1):
        for name in COMPARED:  # alternating, so a change in the machine's load hits both
            port = free_port()
            server = start_gunicorn(
                "bench.worker_balance:busy_app",
                port,
                workers=args.workers,
                threads=args.threads,
                worker_class=name,
                ready_path="/",
                log_path=workdir / f"server-{name}.log",
            )
            time.sleep(1)  # every worker listening before the load starts
            try:
                run_wrk(wrk, port, targets, args.clients, 2, 1)  # warm-up
                result = run_wrk(wrk, port, targets, args.clients, args.duration, 1)
            finally:
                stop_gunicorn(server)
            results[name].append(result)
            spread = "/".join(map(str, result["connections_per_worker"]))
            log(f"run {attempt} {name:8} {row(result)}  errors {result['errors']}  connections {spread}")

    print(
        f"\n{args.workers} workers x {args.threads} threads, {args.clients} clients, {args.cpu_ms} ms CPU per request, "
        f"{args.runs} runs of {args.duration} s each; medians over the runs"
    )
    medians = {name: {k: statistics.median(r[k] for r in runs) for k in FIGURES} for name, runs in results.items()}
    for name, figures in medians.items():
        print(f"{name:8} {row(figures)}")
    base, balanced = medians["gthread"], medians["balanced"]
    ratios = ", ".join(f"{key.removesuffix('_ms')} {balanced[key] / base[key]:.2f}" for key in FIGURES)
    print(f"balanced / gthread: {ratios}")


if __name__ == "__main__":
    main()
