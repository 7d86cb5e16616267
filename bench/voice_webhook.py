#!/usr/bin/env python
"""Server time of the phone door's webhooks (Twilio Voice), on stock gunicorn as bench/serve_and_load.py
serves it (gthread 4 x 2, production settings), loaded with wrk at 1, 4 and 16 concurrent callers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/voice_webhook.py --duration 10 --clients 1,4,16

Every request is signed as Twilio signs it (the twilio package's RequestValidator over the public URL
TWILIO_WEBHOOK_BASE_URL plus the path, and the form parameters), each with its own signature:
- `signed_empty` (the baseline): POST /bench/twilio-signed, empty TwiML behind the same signature
  check (bench/urls.py): what any signed webhook costs before it does anything;
- `incoming`: POST /twilio/voice/, a new CallSid every request, from the number of a generated person
  (four in five) or an unknown number: identify by phone, record the contact once per CallSid with its
  processing-log record, answer the Dutch main menu;
- `menu`: POST /twilio/voice/menu/choice with key 1 on calls opened before: the life events page;
- `answers`: POST /twilio/voice/life-event with a life event's key on those calls: the knowledge search
  within the life event, the call's outcome written, the knowledge-link task sent after commit.
Server time is what the server's access log says per request (`duration_ms`, from the first middleware
to the response); wrk's latency, measured on loopback, is printed next to it. Also: requests per second,
CPU ms per request of gunicorn and of PostgreSQL, SQL queries per request (Django test client and
CaptureQueriesContext in this process, same settings), and each endpoint's p50/p99 server time as a
ratio to the baseline's at the same number of callers, measured in the same run.

The data comes from bench/generate_scale_data.py (people with phone numbers, the knowledge base). The
Celery messages the `answers` requests send are purged at the end (no worker runs during the bench).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
sys.path.insert(0, str(REPO))
from bench.load import (  # noqa: E402
    PRODUCTION_ENV,
    children_of,
    ensure_tool,
    free_port,
    log,
    percentile,
    proc_cpu,
    run_wrk,
    server_times,
    start_gunicorn,
    stop_gunicorn,
    write_targets,
)

PUBLIC_BASE = "https://contact.example.nl"
BENCH_TOKEN = "bench-" + secrets.token_hex(16)
BENCH_ENV = {**PRODUCTION_ENV, "TWILIO_AUTH_TOKEN": BENCH_TOKEN, "TWILIO_WEBHOOK_BASE_URL": PUBLIC_BASE}
os.environ.update(BENCH_ENV)
os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")

ENDPOINTS = ("signed_empty", "incoming", "menu", "answers")
BASELINE = "signed_empty"
ROUTES = {
    "signed_empty": "bench/twilio-signed",
    "incoming": "twilio/voice/",
    "menu": "twilio/voice/menu/choice",
    "answers": "twilio/voice/life-event",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per point (default 10)")
    parser.add_argument("--clients", default="1,4,16", help="concurrent callers per point")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--targets", type=int, default=40000, help="distinct signed requests per point (new CallSids for incoming)"
    )
    parser.add_argument("--query-samples", type=int, default=20)
    return parser.parse_args()


ARGS = parse_args()

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from channels_app.models import VoiceCall  # noqa: E402
from contactcentre.celery import app as celery_app  # noqa: E402
from contactcentre.registry.models import DigitalAddress  # noqa: E402

logging.getLogger("contactcentre.access").setLevel(logging.WARNING)  # the in-process counts: no access log
VALIDATOR = RequestValidator(BENCH_TOKEN)
RUN = secrets.token_hex(4)  # CallSids of this run: "CA" + run + serial, 34 characters as Twilio's

Target = tuple[str, dict[str, str]]  # path with query, form parameters


def signed(path: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": VALIDATOR.compute_signature(PUBLIC_BASE + path, params)}


def call_sid(serial: int, point: str) -> str:
    return f"CA{RUN}{point}{serial:0{30 - len(point) - len(RUN)}d}"[:34]


def phone_numbers(count: int) -> list[str]:
    return list(
        DigitalAddress.objects.filter(kind="phone").order_by("?").values_list("value", flat=True)[: max(count, 1)]
    )


def incoming_targets(point: str, count: int, numbers: list[str]) -> list[Target]:
    targets = []
    for n in range(count):
        caller = numbers[n % len(numbers)] if n % 5 else f"+3161{n % 10**7:07d}"  # one in five: an unknown number
        params = {
            "CallSid": call_sid(n, point),
            "AccountSid": "AC" + "0" * 32,
            "From": caller,
            "To": "+3197010000001",
            "CallStatus": "ringing",
            "Direction": "inbound",
        }
        targets.append(("/twilio/voice/", params))
    return targets


def open_calls(count: int) -> list[str]:
    return list(
        VoiceCall.objects.filter(call_sid__startswith=f"CA{RUN}")
        .order_by("?")
        .values_list("call_sid", flat=True)[:count]
    )


def menu_targets(calls: list[str], count: int) -> list[Target]:
    return [
        ("/twilio/voice/menu/choice?tries=0", {"CallSid": calls[n % len(calls)], "Digits": "1"}) for n in range(count)
    ]


def answers_targets(calls: list[str], count: int) -> list[Target]:
    return [
        ("/twilio/voice/life-event?page=1&tries=0", {"CallSid": calls[n % len(calls)], "Digits": str(n % 8 + 1)})
        for n in range(count)
    ]


def baseline_targets(point: str, count: int) -> list[Target]:
    return [("/bench/twilio-signed", {"CallSid": call_sid(n, point), "Digits": "1"}) for n in range(count)]


def write_signed_targets(path: Path, targets: list[Target]) -> None:
    """Form posts, each with its own signature, in bench/wrk/targets.lua's format (bench.load.write_targets)."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    write_targets(
        path,
        [
            ("POST", target_path, urlencode(params), {**form, **signed(target_path, params)})
            for target_path, params in targets
        ],
    )


def send(client: Client, target: Target):
    target_path, params = target
    return client.post(
        target_path,
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers=signed(target_path, params),
    )


def query_counts(targets: list[Target], samples: int) -> dict:
    """SQL queries and in-process time per request (Django test client, same settings and data)."""
    client = Client()
    counts, statuses, totals = [], [], []
    for target in targets[:samples]:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = send(client, target)
        totals.append((time.perf_counter() - started) * 1000)
        counts.append(len(ctx.captured_queries))
        statuses.append(response.status_code)
    return {
        "min": min(counts),
        "median": statistics.median(counts),
        "max": max(counts),
        "statuses": sorted(set(statuses)),
        "in_process_ms_median": round(statistics.median(totals), 2),
    }


def postgres_cpu() -> dict[int, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid: proc_cpu(pid) for (pid,) in cursor.fetchall()}


def measure(wrk: str, port: int, server_pid: int, log_path: Path, name: str, clients: int, targets: list[Target]):
    with tempfile.NamedTemporaryFile("w", suffix=".targets", delete=False) as handle:
        targets_file = Path(handle.name)
    write_signed_targets(targets_file, targets)
    calls_before = VoiceCall.objects.filter(call_sid__startswith=f"CA{RUN}").count()
    log_start = log_path.stat().st_size
    server_pids = [server_pid, *children_of(server_pid)]
    server_before, pg_before = sum(proc_cpu(p) for p in server_pids), postgres_cpu()
    result = run_wrk(wrk, port, targets_file, clients, ARGS.duration, threads=1)
    server_cpu = sum(proc_cpu(p) for p in server_pids) - server_before
    pg_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in postgres_cpu().items())
    targets_file.unlink()
    time.sleep(0.5)  # the last access-log lines
    times = server_times(log_path, log_start, ROUTES[name])
    requests = max(result["requests"], 1)
    point = {
        "endpoint": name,
        "clients": clients,
        "requests": result["requests"],
        "rps": result["rps"],
        "errors": result["errors"],
        "non_2xx": result["non_2xx"],
        "server_p50_ms": percentile(times, 50),
        "server_p95_ms": percentile(times, 95),
        "server_p99_ms": percentile(times, 99),
        "server_max_ms": round(max(times), 2) if times else 0.0,
        "logged": len(times),
        "wrk_p50_ms": result["p50_ms"],
        "wrk_p99_ms": result["p99_ms"],
        "server_cpu_ms_per_request": round(server_cpu * 1000 / requests, 2),
        "postgres_cpu_ms_per_request": round(pg_cpu * 1000 / requests, 2),
    }
    if name == "incoming":
        point["new_calls"] = VoiceCall.objects.filter(call_sid__startswith=f"CA{RUN}").count() - calls_before
    log(
        f"{name:13s} c={clients:2d}: {point['rps']:7.1f} req/s, server p50 {point['server_p50_ms']} ms "
        f"p95 {point['server_p95_ms']} p99 {point['server_p99_ms']} (wrk p99 {point['wrk_p99_ms']}), "
        f"cpu {point['server_cpu_ms_per_request']} + pg {point['postgres_cpu_ms_per_request']} ms/req"
    )
    return point


def warm_up(port: int, numbers: list[str]) -> None:
    """Every worker process builds the knowledge search's vocabulary at its first search (about a second)
    and opens its database connection: done before the measured points, as on a server that has been
    answering for a while. Each request on a new connection, so that every worker accepts some."""
    log("warming up the workers (not measured)")
    targets = incoming_targets("w", 40, numbers)
    targets += answers_targets(open_calls(40), 80)
    for target_path, params in targets:
        body = urlencode(params)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(target_path, params)}
        connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection_.request("POST", target_path, body=body, headers=headers)
        connection_.getresponse().read()
        connection_.close()


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    wrk = ensure_tool("wrk")
    clients_list = [int(c) for c in ARGS.clients.split(",") if c]
    numbers = phone_numbers(5000)
    if len(numbers) < 100:
        raise SystemExit("No people with phone numbers: run bench/generate_scale_data.py first.")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    log_path = RESULTS / f"voice_webhook-{stamp}.log"

    log("queries per request (in process)")
    queries = {"incoming": query_counts(incoming_targets("q", ARGS.query_samples, numbers), ARGS.query_samples)}
    calls = open_calls(ARGS.query_samples)
    queries["menu"] = query_counts(menu_targets(calls, ARGS.query_samples), ARGS.query_samples)
    queries["answers"] = query_counts(answers_targets(calls, ARGS.query_samples), ARGS.query_samples)
    queries["signed_empty"] = query_counts(baseline_targets("q", ARGS.query_samples), ARGS.query_samples)
    for name, counted in queries.items():
        log(f"{name}: queries {counted}")

    port = free_port()
    server = start_gunicorn(
        "contactcentre.wsgi:application",
        port,
        workers=ARGS.workers,
        threads=ARGS.threads,
        ready_path="/healthz",
        log_path=log_path,
    )
    points = []
    try:
        warm_up(port, numbers)
        for clients in clients_list:
            point = f"c{clients}"
            points.append(
                measure(wrk, port, server.pid, log_path, BASELINE, clients, baseline_targets(point, ARGS.targets))
            )
            incoming = incoming_targets(point, ARGS.targets, numbers)
            points.append(measure(wrk, port, server.pid, log_path, "incoming", clients, incoming))
            calls = open_calls(ARGS.targets)
            points.append(measure(wrk, port, server.pid, log_path, "menu", clients, menu_targets(calls, ARGS.targets)))
            answers = answers_targets(calls, ARGS.targets)
            points.append(measure(wrk, port, server.pid, log_path, "answers", clients, answers))
    finally:
        stop_gunicorn(server)
        purged = celery_app.control.purge()
        log(f"purged {purged} Celery messages the answers requests sent (no worker ran)")
    baselines = {p["clients"]: p for p in points if p["endpoint"] == BASELINE}
    for point in points:
        base = baselines[point["clients"]]
        point["p50_vs_baseline"] = (
            round(point["server_p50_ms"] / base["server_p50_ms"], 2) if base["server_p50_ms"] else None
        )
        point["p99_vs_baseline"] = (
            round(point["server_p99_ms"] / base["server_p99_ms"], 2) if base["server_p99_ms"] else None
        )
    out = RESULTS / f"voice_webhook-{stamp}.json"
    out.write_text(json.dumps({"args": vars(ARGS), "queries": queries, "points": points}, indent=2))
    print_table(points, queries)
    log(f"results: {out}")


def print_table(points: list[dict], queries: dict) -> None:
    print()
    print(
        f"{'endpoint':13s} {'c':>3s} {'req/s':>8s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'max':>7s} "
        f"{'wrk p99':>8s} {'cpu/req':>8s} {'pg/req':>7s} {'queries':>7s} {'p50 x':>6s} {'p99 x':>6s} {'errors':>6s}"
    )
    for p in sorted(points, key=lambda p: (ENDPOINTS.index(p["endpoint"]), p["clients"])):
        print(
            f"{p['endpoint']:13s} {p['clients']:3d} {p['rps']:8.1f} {p['server_p50_ms']:7.2f} "
            f"{p['server_p95_ms']:7.2f} {p['server_p99_ms']:7.2f} {p['server_max_ms']:7.2f} {p['wrk_p99_ms']:8.2f} "
            f"{p['server_cpu_ms_per_request']:8.2f} {p['postgres_cpu_ms_per_request']:7.2f} "
            f"{queries[p['endpoint']]['median']:7} {p['p50_vs_baseline']:6} {p['p99_vs_baseline']:6} "
            f"{p['errors'] + p['non_2xx']:6d}"
        )
    print("server times in ms from the access log (duration_ms); 'p50 x'/'p99 x': ratio to signed_empty's at the")
    print("same number of clients in this run; cpu/req: gunicorn's CPU ms per request, pg/req: PostgreSQL's.")
    incoming = [p for p in points if p["endpoint"] == "incoming"]
    print(
        "incoming: new calls recorded / requests: " + ", ".join(f"{p['new_calls']}/{p['requests']}" for p in incoming)
    )


if __name__ == "__main__":
    main()
