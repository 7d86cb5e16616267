#!/usr/bin/env python
"""Issue 16 over HTTP: escalations created through the first line's API (POST /api/v1/escalations)
served by stock gunicorn, at 1, 4 and 16 concurrent clients, while one Celery worker delivers them to
a signed-webhook receiver; then the delivery latency from commit to the receiver.

    dropdb --if-exists h_bench && createdb h_bench && \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/escalations_http.py [--duration 10] [--clients 1,4,16] [--latency 200]

A new, empty PostgreSQL database (the factories start over): it is migrated and given one
organisation with a webhook endpoint and a default routing rule, one agent per client, each with a
session of its own, and 16 people. The server is the one `bench/serve_and_load.py` runs: stock
gunicorn (gthread 4 x 2) with `bench.settings` and PRODUCTION=1 (DEBUG off, Redis cache, persistent
connections). The broker is a redis-server this script starts; the worker (solo pool) delivers from
the outbox meanwhile, on the same 2 cores, to a receiver in this process that checks every signature.

Every request escalates its own contact moment (an open phone contact taken by that request's agent,
the purpose the API requires), made beforehand in bulk. At each number of clients, back to back on the
same server and connections made anew: `ceiling` (GET /bench/ceiling, a bare Django JSON view),
`signed_in` (GET /bench/signed-in, a DRF view behind the agent's session and permission check) and
`escalation_create`; throughput is also given as a ratio to the two baselines of the same point.
CPU per request counts gunicorn, the PostgreSQL backends and Redis; "+delivery" is what the worker and
the receiver (this process) used meanwhile per request, on the same cores.
SQL statements per creation: 20 requests through Django's test client in this process, counted with
CaptureQueriesContext. Latency: escalations created one at a time through the service, 20 ms apart,
from their commit to the receiver (bench/escalations.py's measurement).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
sys.path.insert(0, str(REPO))
from bench.escalations import delivery_latency, start_broker, start_worker  # noqa: E402
from bench.load import (  # noqa: E402
    PRODUCTION_ENV,
    CpuMeter,
    ensure_tool,
    free_port,
    log,
    measure_load,
    proc_cpu,
    start_gunicorn,
    stop_gunicorn,
    wait_for_quiet,
    write_targets,
)

ENDPOINTS = ("ceiling", "signed_in", "escalation_create")
QUESTION = "Waar blijft mijn toeslag?"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per point (default 10)")
    parser.add_argument("--clients", default="1,4,16", help="concurrent connections per point")
    parser.add_argument("--latency", type=int, default=200, help="escalations for the latency run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn gthread worker (default 2)")
    parser.add_argument(
        "--max-rate", type=int, default=800, help="contact moments made per second of load (one per request)"
    )
    parser.add_argument("--quiet-wait", type=float, default=5, help="wait up to this long for a quieter machine")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",") if c]
    return args


def main() -> None:
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a new, empty PostgreSQL database (and REDIS_URL).")
    started_at = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    log(f"load average (1, 5, 15 min) at the start: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    wrk = ensure_tool("wrk")
    redis, broker_url = start_broker()
    os.environ["CELERY_BROKER_URL"] = broker_url  # the server's wake-ups and the worker: our broker
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))  # the server reads our sessions
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")
    worker = server = None
    workdir = Path(tempfile.mkdtemp(prefix="bench-escalations-"))
    try:
        import django

        django.setup()
        import logging

        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        logging.getLogger("contactcentre.access").setLevel(logging.WARNING)
        call_command("migrate", verbosity=0)

        from bench.database import backend_pids
        from bench.sessions import signed_in_headers
        from casemanagement.escalations import escalation_create
        from casemanagement.models import EscalationDelivery, SecondLineEndpoint
        from casemanagement.webhooks import generate_secret
        from contactcentre.interactions.models import ContactMoment
        from tests.casemanagement.factories import PersonFactory
        from tests.casemanagement.second_line import Receiver, second_line_setup
        from tests.factories import UserFactory, staff

        os.environ["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "1"  # the worker's only: the receiver is on loopback
        receiver = Receiver(secret=generate_secret()).start()
        line = second_line_setup(delivery=SecondLineEndpoint.Delivery.WEBHOOK, url=receiver.url, secret=receiver.secret)
        agents = [line.agent, *(UserFactory(role="agent") for _ in range(max(args.clients) - 1))]
        agent_headers = [signed_in_headers(agent) for agent in agents]
        parties = [line.party, *PersonFactory.create_batch(15)]

        def escalation_targets(count: int) -> list[tuple[str, str, str, dict[str, str]]]:
            """`count` requests, each escalating its own open phone contact taken by its agent."""
            now = timezone.now()
            contacts = ContactMoment.objects.bulk_create(
                ContactMoment(
                    channel="phone",
                    party=parties[i % len(parties)],
                    identified_by="bsn",
                    assurance="substantial",
                    topic="bench",
                    agent=agents[i % len(agents)],
                    started_at=now,
                )
                for i in range(count)
            )
            return [
                (
                    "POST",
                    "/api/v1/escalations",
                    json.dumps({"contact_moment": contact.pk, "question": QUESTION}),
                    agent_headers[i % len(agents)],
                )
                for i, contact in enumerate(contacts)
            ]

        def targets_file(name: str, count: int) -> tuple[Path, int]:
            if name == "ceiling":
                targets = [("GET", "/bench/ceiling", "", {})]
            elif name == "signed_in":
                targets = [("GET", "/bench/signed-in", "", headers) for headers in agent_headers]
            else:
                targets = escalation_targets(count)
            path = workdir / f"{name}-{time.monotonic_ns()}.targets"
            write_targets(path, targets)
            return path, len(targets)

        # SQL statements and in-process CPU per creation (Django's test client, this process's settings).
        client = Client()
        samples = escalation_targets(40)
        counts, cpu = [], []
        for number, (_method, path, body, headers) in enumerate(samples):
            cpu_started = time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.post(path, data=body, content_type="application/json", headers=headers)
            if response.status_code != 201:
                raise SystemExit(f"POST /api/v1/escalations answered {response.status_code}: {response.content[:300]}")
            if number >= 20:  # the first 20 warm the caches (sessions, permissions, routing configuration)
                counts.append(len(queries.captured_queries))
                cpu.append((time.process_time() - cpu_started) * 1000)
        for own in ContactMoment.objects.filter(pk__in=[json.loads(t[2])["contact_moment"] for t in samples[:2]]):
            actor = staff(own.agent)
            with CaptureQueriesContext(connection) as service_queries:  # the second one counts (warm)
                escalation_create(contact=own, actor=actor, question=QUESTION)
        service_statements = len(service_queries.captured_queries)
        log(
            f"SQL statements per creation: {statistics.median(counts):g} per API request "
            f"(min {min(counts)}, max {max(counts)}), {service_statements} in escalation_create; "
            f"in-process CPU {statistics.median(cpu):.2f} ms per API request (DEBUG settings)"
        )
        connection.close()

        worker = start_worker(broker_url)
        port = free_port()
        server_env = {**os.environ, **PRODUCTION_ENV}
        server_env.pop("WEBHOOK_ALLOW_PRIVATE_TARGETS")
        server = start_gunicorn(
            "contactcentre.wsgi:application",
            port,
            workers=args.workers,
            threads=args.threads,
            ready_path="/bench/ceiling",
            log_path=workdir / "server.log",
            env=server_env,
        )
        meter = CpuMeter(server.pid, backend_pids)
        for name in ENDPOINTS:  # warm-up: connections, sessions, the routing configuration per worker
            path, _count = targets_file(name, 3 * args.max_rate)
            measure_load(wrk, port, path, meter, max(args.clients), 3)
        log(f"gunicorn gthread {args.workers}x{args.threads} on 127.0.0.1:{port}; {args.duration} s per point")

        points = []
        for clients in args.clients:
            for name in ENDPOINTS:
                path, count = targets_file(name, args.duration * args.max_rate)
                waited = wait_for_quiet(args.quiet_wait)
                delivering = delivery_cpu(worker.pid)
                point = measure_load(wrk, port, path, meter, clients, args.duration)
                point.update(endpoint=name, waited_for_quiet_s=waited)
                # Not in cpu/request: the worker and the receiver deliver on the same cores meanwhile.
                point["delivery_cpu_ms_per_request"] = {
                    part: round((used - delivering[part]) / max(point["requests"], 1) * 1000, 3)
                    for part, used in delivery_cpu(worker.pid).items()
                }
                if name == "escalation_create" and point["requests"] > count:
                    log(f"{point['requests']} requests for {count} contacts: raise --max-rate (contacts reused)")
                points.append(point)
                log(
                    f"{name:17} c={clients:<3} {point['rps']:>7.1f} /s  p50 {point['p50_ms']:.1f}  "
                    f"p95 {point['p95_ms']:.1f}  p99 {point['p99_ms']:.1f} ms  non-2xx {point['non_2xx']}  "
                    f"errors {point['errors']}  cpu/request {point['cpu_ms_per_request']['total']} ms "
                    f"(+ worker {point['delivery_cpu_ms_per_request']['worker']}, "
                    f"receiver {point['delivery_cpu_ms_per_request']['receiver']})"
                )
        stop_gunicorn(server)
        server = None

        started = time.perf_counter()
        backlog = EscalationDelivery.objects.exclude(status=EscalationDelivery.Status.DELIVERED)
        deadline = time.monotonic() + 120
        while backlog.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        log(f"outbox drained {time.perf_counter() - started:.1f} s after the load; left {backlog.count()}")

        print_table(points, args)
        print(
            f"\nSQL statements per creation: {statistics.median(counts):g} per API request, "
            f"{service_statements} in escalation_create (with BEGIN and COMMIT)"
        )
        own = ContactMoment.objects.get(pk=json.loads(escalation_targets(1)[0][2])["contact_moment"])
        latencies = delivery_latency(
            lambda: escalation_create(contact=own, actor=staff(own.agent), question=QUESTION), receiver, args.latency
        )
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"load average (1, 5, 15 min) at the end: {load}")
        receiver.stop()
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"escalations_http-{started_at}.json"
        out.write_text(
            json.dumps(
                {
                    "started": started_at,
                    "server": f"gunicorn gthread {args.workers}x{args.threads}, bench.settings, PRODUCTION=1",
                    "sql_per_api_request": statistics.median(counts),
                    "sql_in_escalation_create": service_statements,
                    "points": points,
                    "latency_ms": {
                        "median": statistics.median(latencies),
                        "all": [round(value, 2) for value in latencies],
                    },
                    "load_average_end": load,
                },
                indent=2,
            )
        )
        log(f"saved {out.relative_to(REPO)}")
    finally:
        if server is not None:
            stop_gunicorn(server)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
        redis.terminate()
        redis.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def delivery_cpu(worker_pid: int) -> dict[str, float]:
    """CPU seconds so far of the Celery worker and of this process (the receiver's threads)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"worker": proc_cpu(worker_pid), "receiver": own.ru_utime + own.ru_stime}


def print_table(points: list[dict], args) -> None:
    by = {(p["endpoint"], p["clients"]): p for p in points}
    header = (
        f"{'endpoint':17} {'clients':>7} {'per s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'cpu ms/req':>10} {'+delivery':>9} {'/signed_in':>10} {'/ceiling':>8}  "
        "cores server/postgres/redis/other/steal/idle"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for clients in args.clients:
        for name in ENDPOINTS:
            p = by[name, clients]
            cpu = p["cpu"]
            cores = "/".join(str(cpu[f"{k}_cores"]) for k in ("server", "postgres", "redis", "other", "steal", "idle"))
            print(
                f"{name:17} {clients:>7} {p['rps']:>7.1f} {p['p50_ms']:>7.1f} {p['p95_ms']:>7.1f} {p['p99_ms']:>7.1f} "
                f"{p['cpu_ms_per_request']['total']:>10.2f} {sum(p['delivery_cpu_ms_per_request'].values()):>9.2f} "
                f"{p['rps'] / by['signed_in', clients]['rps']:>10.3f} "
                f"{p['rps'] / by['ceiling', clients]['rps']:>8.3f}  {cores}"
            )


if __name__ == "__main__":
    main()
