#!/usr/bin/env python
"""Server time of the two busiest screens (issue 18), on stock gunicorn as bench/serve_and_load.py
serves it (gthread 4 x 2, production settings), loaded with wrk at 1 and 16 concurrent users.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/screens.py --duration 10 --clients 1,16

Endpoints, each request its own person (a different party, contact or citizen from a prepared list):
- `staff_home` (the baseline): GET /medewerker/, the signed-in staff landing page: session, user, menu
  and the staff layout, no personal data: what any staff page costs before it does any work;
- `customer_view_api`: GET /api/v1/parties/<id>/customer-view?purpose=contact&purpose_reference=<contact>,
  the integrated customer view as JSON: the same reads as the page, without the HTML;
- `contact_page`: GET /medewerker/contacten/<contact id>/, the agent console's contact workspace with
  the integrated customer view rendered for the contact at hand;
- `my_cases`: GET /mijn/, the citizen portal's "my cases" for a signed-in citizen (all their cases,
  open first, with the processing-log record of the read).
Agents are the generated bench agents, one session each (bench/sessions.py), each holding an open
phone contact with the parties it looks up (parties drawn from contact history, so frequent callers
come up more); citizens are people drawn from the cases (people with more cases come up more), each
with a citizen session at level substantial as the DigiD sign-in leaves it.

Printed per endpoint and number of users: server time p50/p95/p99/max from the server's access log
(`duration_ms`, first middleware to response), wrk's p95 beside it, requests per second, CPU ms per
request (gunicorn + PostgreSQL + Redis, bench/load.CpuMeter), SQL queries per request (Django test
client and CaptureQueriesContext in this process, same settings and data), and p50/p95/throughput as
ratios to `staff_home` at the same number of users in the same run. `--profile N` prints where a
request's CPU goes (cProfile in process, template rendering included); `--explain` the plans of one
request's SELECTs. JSON and the server log go to bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
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
from bench.load import (  # noqa: E402
    PRODUCTION_ENV,
    CpuMeter,
    Target,
    check_targets,
    ensure_tool,
    free_port,
    gunicorn_command,
    log,
    measure_load,
    percentile,
    run_wrk,
    server_times,
    start_gunicorn,
    stop_gunicorn,
    wait_for_quiet,
    write_targets,
)

os.environ.update(PRODUCTION_ENV)
os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")

ENDPOINTS = ("staff_home", "customer_view_api", "contact_page", "my_cases")
BASELINE = "staff_home"
AIM_P95_MS = 100  # issue 18: p95 server time at 16 users


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per point (default 10)")
    parser.add_argument("--clients", default="1,16", help="concurrent users per point (default 1,16)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--targets", type=int, default=2000, help="people per endpoint (default 2000)")
    parser.add_argument("--query-samples", type=int, default=20)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=10,
        help="before each point, wait up to this many seconds for other processes to use < 0.5 core",
    )
    parser.add_argument("--no-prewarm", action="store_true", help="leave PostgreSQL's buffers as they are")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N requests per endpoint, stop")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE one request's SELECTs, stop")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",") if c]
    return args


ARGS = parse_args()

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolve  # noqa: E402

from bench.database import backend_pids, prewarm  # noqa: E402
from bench.sessions import agent_sessions, citizen_headers, contacts_at_hand  # noqa: E402

# The in-process counts would print an access-log line per request; the server logs its own.
logging.getLogger("contactcentre.access").setLevel(logging.WARNING)
SEED = secrets.randbelow(1000)  # a new draw from the data every run


# --- people and targets --------------------------------------------------------------------------


def sampled_party_ids(sql: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [SEED / 1000])
        cursor.execute(sql, [SEED, count])
        return [row[0] for row in cursor.fetchall()]


def agent_targets(count: int, agents) -> tuple[list[Target], list[Target]]:
    """Two disjoint lists of parties as they call in, each with an open contact of the agent: the
    contact page for one, the customer view API for the other (so neither warms the other's rows)."""
    party_ids = sampled_party_ids(
        """
        SELECT DISTINCT party_id FROM (
          SELECT party_id FROM interactions_contactmoment TABLESAMPLE SYSTEM (2) REPEATABLE (%s)
          WHERE party_id IS NOT NULL ORDER BY random() LIMIT %s
        ) s ORDER BY party_id
        """,
        2 * count,
    )
    wanted = [(party_id, agents[i % len(agents)][0]) for i, party_id in enumerate(party_ids)]
    contacts = contacts_at_hand(wanted)
    headers = {agent.pk: agent_headers for agent, agent_headers in agents}
    pages, api = [], []
    for i, (party_id, agent) in enumerate(wanted):
        contact = contacts[party_id, agent.pk]
        if i % 2:
            path = f"/api/v1/parties/{party_id}/customer-view?purpose=contact&purpose_reference={contact}"
            api.append(("GET", path, "", headers[agent.pk]))
        else:
            pages.append(("GET", f"/medewerker/contacten/{contact}/", "", headers[agent.pk]))
    return pages, api


def citizen_targets(count: int) -> list[Target]:
    """People as they sign in to the portal, each with their own citizen session."""
    party_ids = sampled_party_ids(
        """
        SELECT DISTINCT s.party_id FROM (
          SELECT party_id FROM casemanagement_case TABLESAMPLE SYSTEM (2) REPEATABLE (%s)
          ORDER BY random() LIMIT %s
        ) s JOIN registry_party p ON p.id = s.party_id AND p.kind = 'person'
        """,
        count,
    )
    return [("GET", "/mijn/", "", citizen_headers(party_id)) for party_id in party_ids]


# --- in process: queries, profile, plans ---------------------------------------------------------


def send(client: Client, target: Target):
    _method, path, _body, headers = target
    return client.get(path, headers=headers)


def query_counts(targets: list[Target], samples: int) -> dict:
    """SQL statements and time per request through Django's test client (same settings and data), each
    request made once before it is counted, as under load (caches filled). Also the slowest statements."""
    client = Client()
    for target in targets[:samples]:
        send(client, target)
    counts, statuses, totals, sql, by_statement = [], [], [], [], {}
    for target in targets[:samples]:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = send(client, target)
        totals.append((time.perf_counter() - started) * 1000)
        statuses.append(response.status_code)
        counts.append(len(ctx.captured_queries))
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        for q in ctx.captured_queries:
            by_statement.setdefault(q["sql"][:100], []).append(float(q["time"]) * 1000)
    return {
        "median": statistics.median(counts),
        "min": min(counts),
        "max": max(counts),
        "statuses": sorted(set(statuses)),
        "in_process_ms_median": round(statistics.median(totals), 2),
        "sql_ms_median": round(statistics.median(sql), 2),
        "slowest_statements": sorted(
            ({"sql": k, "median_ms": round(statistics.median(v), 3)} for k, v in by_statement.items()),
            key=lambda row: -row["median_ms"],
        )[:5],
        "example": [q["sql"] for q in ctx.captured_queries],
    }


def profile(name: str, targets: list[Target], count: int) -> None:
    """Where `count` warm requests spend this process's CPU: the most cumulative time, then template
    rendering alone (Django's Template.render, its share of the whole)."""
    import cProfile
    import pstats

    client = Client()
    targets = (targets * (count // len(targets) + 1))[:count]
    for target in targets[:20]:
        send(client, target)
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for target in targets:
        send(client, target)
    profiler.disable()
    log(f"{name}: {(time.process_time() - started) * 1000 / count:.2f} ms CPU per request in process (profiled)")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats.print_stats(r"django\.py.*\(render\)")


def explain(statements: list[str]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of one request's SELECTs (read-only)."""
    with connection.cursor() as cursor:
        for sql in statements:
            if sql.lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n" + sql[:300] + "\n" + "\n".join("    " + row[0] for row in cursor.fetchall()))


# --- load ----------------------------------------------------------------------------------------


def measure(wrk: str, port: int, meter: CpuMeter, log_path: Path, name: str, route: str, file: Path, clients: int):
    waited = wait_for_quiet(ARGS.quiet_wait)
    log_start = log_path.stat().st_size
    result = measure_load(wrk, port, file, meter, clients, ARGS.duration)
    time.sleep(0.5)  # the last access-log lines
    times = server_times(log_path, log_start, route)
    point = {
        "endpoint": name,
        "clients": clients,
        "requests": result["requests"],
        "rps": result["rps"],
        "errors": result["errors"] + result["non_2xx"],
        "server_p50_ms": percentile(times, 50),
        "server_p95_ms": percentile(times, 95),
        "server_p99_ms": percentile(times, 99),
        "server_max_ms": round(max(times), 2) if times else 0.0,
        "logged": len(times),
        "wrk_p95_ms": result["p95_ms"],
        "cpu_ms_per_request": result["cpu_ms_per_request"],
        "cpu": result["cpu"],
        "connections_per_worker": result["connections_per_worker"],
        "waited_for_quiet_s": waited,
    }
    log(
        f"{name:17s} c={clients:2d}: {point['rps']:7.1f} req/s, server p50 {point['server_p50_ms']} "
        f"p95 {point['server_p95_ms']} p99 {point['server_p99_ms']} ms, wrk p95 {point['wrk_p95_ms']} ms, "
        f"cpu {point['cpu_ms_per_request']['total']} ms/req, errors {point['errors']}, "
        f"other processes {point['cpu']['other_cores']} cores, connections {point['connections_per_worker']}"
    )
    return point


def ratio(value: float, base: float) -> float | None:
    return round(value / base, 2) if base else None


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database filled by bench/generate_scale_data.py.")
    RESULTS.mkdir(exist_ok=True)
    wrk = ensure_tool("wrk")
    # The pages name their static files through the production manifest, made at deploy time.
    call_command("collectstatic", interactive=False, verbosity=0)
    database_cache = {"prewarmed": False} if ARGS.no_prewarm else prewarm()
    agents = agent_sessions(max(ARGS.clients))
    pages, api = agent_targets(ARGS.targets, agents)
    targets = {
        "staff_home": [("GET", "/medewerker/", "", headers) for _agent, headers in agents],
        "customer_view_api": api,
        "contact_page": pages,
        "my_cases": citizen_targets(ARGS.targets),
    }
    routes = {name: resolve(items[0][1].split("?")[0]).route for name, items in targets.items()}
    log(
        f"{len(agents)} agents; people per endpoint: "
        + ", ".join(f"{name} {len(items)}" for name, items in targets.items())
    )

    queries = {}
    for name in ENDPOINTS:
        if ARGS.profile:
            profile(name, targets[name], ARGS.profile)
            continue
        queries[name] = query_counts(targets[name], ARGS.query_samples)
        q = queries[name]
        log(
            f"{name}: {q['median']} SQL statements per request (min {q['min']}, max {q['max']}, statuses "
            f"{q['statuses']}); in process {q['in_process_ms_median']} ms, of which SQL {q['sql_ms_median']} ms; "
            "slowest: " + "; ".join(f"{s['median_ms']} ms {s['sql'][:60]}" for s in q["slowest_statements"][:3])
        )
        if ARGS.explain:
            explain(q["example"])
    if ARGS.profile or ARGS.explain:
        return
    connection.close()  # the server opens its own

    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    log_path = RESULTS / f"screens-{stamp}.log"
    workdir = Path(tempfile.mkdtemp(prefix="bench-screens-"))
    files = {name: workdir / f"{name}.targets" for name in ENDPOINTS}
    for name in ENDPOINTS:
        write_targets(files[name], targets[name])
    port = free_port()
    server = start_gunicorn(
        "contactcentre.wsgi:application",
        port,
        workers=ARGS.workers,
        threads=ARGS.threads,
        ready_path="/healthz",
        log_path=log_path,
    )
    meter = CpuMeter(server.pid, backend_pids)
    points = []
    load_before = os.getloadavg()
    try:
        for name in ENDPOINTS:
            check_targets(port, name, targets[name])
            run_wrk(wrk, port, files[name], max(ARGS.clients), 3, 1)  # warm-up: connections, caches
        log(f"gunicorn gthread {ARGS.workers}x{ARGS.threads} on 127.0.0.1:{port}; {ARGS.duration} s per point")
        for clients in ARGS.clients:
            for name in ENDPOINTS:
                points.append(measure(wrk, port, meter, log_path, name, routes[name], files[name], clients))
    finally:
        stop_gunicorn(server)
        shutil.rmtree(workdir, ignore_errors=True)
    base = {p["clients"]: p for p in points if p["endpoint"] == BASELINE}
    for point in points:
        reference = base[point["clients"]]
        point["p50_vs_baseline"] = ratio(point["server_p50_ms"], reference["server_p50_ms"])
        point["p95_vs_baseline"] = ratio(point["server_p95_ms"], reference["server_p95_ms"])
        point["rps_vs_baseline"] = ratio(point["rps"], reference["rps"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM registry_party), (SELECT count(*) FROM casemanagement_case),"
            " (SELECT count(*) FROM interactions_contactmoment)"
        )
        data = dict(zip(("parties", "cases", "contact_moments"), cursor.fetchone(), strict=True))
    out = RESULTS / f"screens-{stamp}.json"
    server_command = gunicorn_command("contactcentre.wsgi:application", 0, workers=ARGS.workers, threads=ARGS.threads)
    out.write_text(
        json.dumps(
            {
                "args": vars(ARGS),
                "server": " ".join(server_command[1:]),
                "data": data,
                "database_cache": database_cache,
                "load_average_before": load_before,
                "load_average_after": os.getloadavg(),
                "queries": queries,
                "points": points,
            },
            indent=2,
            default=str,
        )
    )
    print_table(points, queries, data)
    print(f"load average (1, 5, 15 min) before {load_before}, after {os.getloadavg()}")
    log(f"results: {out.relative_to(REPO)}; server log {log_path.relative_to(REPO)}")


def print_table(points: list[dict], queries: dict, data: dict) -> None:
    print(
        f"\n{data['parties']:,} parties, {data['cases']:,} cases, {data['contact_moments']:,} contact moments; "
        f"server time (ms) from the access log, 'x base': ratio to {BASELINE} at the same users, this run"
    )
    print(
        f"{'endpoint':17s} {'users':>5s} {'req/s':>7s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'max':>7s} "
        f"{'wrk p95':>7s} {'cpu/req':>7s} {'queries':>7s} {'p50 x':>6s} {'p95 x':>6s} {'rps x':>6s} "
        f"{'errors':>6s} {'others':>6s}"
    )
    for p in sorted(points, key=lambda p: (ENDPOINTS.index(p["endpoint"]), p["clients"])):
        print(
            f"{p['endpoint']:17s} {p['clients']:5d} {p['rps']:7.1f} {p['server_p50_ms']:7.2f} "
            f"{p['server_p95_ms']:7.2f} {p['server_p99_ms']:7.2f} {p['server_max_ms']:7.2f} {p['wrk_p95_ms']:7.2f} "
            f"{p['cpu_ms_per_request']['total']:7.2f} {queries[p['endpoint']]['median']:7} "
            f"{p['p50_vs_baseline']:6} {p['p95_vs_baseline']:6} {p['rps_vs_baseline']:6} "
            f"{p['errors']:6d} {p['cpu']['other_cores']:6.2f}"
        )
    print("cpu/req: gunicorn + PostgreSQL + Redis CPU ms per request; queries: SQL statements per request;")
    print(f"others: cores of this {os.cpu_count()}-core machine used by other processes meanwhile (not this benchmark)")
    top = max(ARGS.clients)
    for p in points:
        if p["clients"] == top and p["endpoint"] != BASELINE:
            verdict = "met" if p["server_p95_ms"] < AIM_P95_MS else "NOT met"
            print(f"aim p95 < {AIM_P95_MS} ms at {top} users, {p['endpoint']}: {p['server_p95_ms']} ms, {verdict}")


if __name__ == "__main__":
    main()
