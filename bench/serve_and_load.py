#!/usr/bin/env python
"""Serve the API with stock gunicorn (gthread, 4 workers x 2 threads; production settings, DEBUG off)
and load it with wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/serve_and_load.py --duration 10 --clients 1,4,16

For each number of concurrent clients it runs, back to back on the same server:
- `ceiling`: GET /bench/ceiling, a bare Django JsonResponse (bench/urls.py; same middleware, no
  authentication, no database): the most a request can do on this set-up;
- `signed_in`: GET /bench/signed-in, the same answer from a DRF view behind the customer view's
  session, user and permission check, as an agent: what signing in costs before any work;
- `customer_view`: GET /api/v1/parties/<id>/customer-view?purpose=contact&purpose_reference=<contact>
  as an agent (session cookie), for a different party each request, each with its open contact;
- `case_lookup`: POST /api/v1/cases/lookup {"reference", "postcode_digits"} as an agent (session +
  CSRF token): the status of a case by its reference and the second factor, a different case each
  request;
- `case_list`: GET /api/v1/cases?page=N as the API client (token, scope cases:read) of the
  organisation with the most cases: its own cases, open first; the counterpart of Open Zaak's
  published GET /zaken benchmark.
It prints p50/p95/p99 latency, requests per second, CPU ms per request and the ratio of each
endpoint's throughput to the two baselines measured in the same run at the same number of clients
(`ceiling` and `signed_in`), the CPU each party used (gunicorn, PostgreSQL backends, wrk, the rest
of the machine), and the SQL queries per request of each endpoint (Django test client +
CaptureQueriesContext, same settings); the JSON goes to bench/results/ (git-ignored).

The data comes from bench/generate_scale_data.py. Loopback only (127.0.0.1). The script installs wrk
with apt-get when it is missing.
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
    run_wrk,
    start_gunicorn,
    stop_gunicorn,
    wait_for_quiet,
    write_targets,
)

for key, value in PRODUCTION_ENV.items():
    os.environ[key] = value
ENDPOINTS = ("ceiling", "signed_in", "customer_view", "case_lookup", "case_list")
# Measured in every load run, at every number of clients: each endpoint's throughput is given as a
# ratio to theirs from the same run (this machine's speed drifts too much to compare across runs).
BASELINES = ("ceiling", "signed_in")
WHAT_IFS = (
    "async_commit",
    "case_open_first_index",
    "no_count_pagination",
)
# An index in the order of casemanagement.selectors.open_first, so an organisation's case list is an
# index range scan instead of a sort of all its cases. Made for the run, dropped after it.
OPEN_FIRST_INDEX = (
    "CREATE INDEX IF NOT EXISTS bench_whatif_case_org_open_first ON casemanagement_case "
    "(organisation_id, closed_at DESC NULLS FIRST, deadline, id DESC)"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per point (default 10)")
    parser.add_argument("--clients", default="1,4,16", help="concurrent connections per point")
    parser.add_argument(
        "--endpoints",
        default=",".join(ENDPOINTS),
        help=f"comma list of {', '.join(ENDPOINTS)}; a load run always measures the baselines "
        f"{' and '.join(BASELINES)} too, for the ratios",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn gthread worker (default 2)")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (one is plenty on loopback)")
    parser.add_argument("--targets", type=int, default=5000, help="distinct parties/cases per endpoint")
    parser.add_argument("--query-samples", type=int, default=20)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=10,
        help="before each point, wait up to this many seconds for other processes to use < 0.5 core",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per point, each with new connections; the run with the median p95 is reported",
    )
    parser.add_argument("--agents", type=int, default=0, help="agent sessions to rotate over (default: one per client)")
    parser.add_argument(
        "--no-prewarm",
        action="store_true",
        help="do not load the database into PostgreSQL's shared buffers first (measure a cold cache)",
    )
    parser.add_argument("--markdown", type=Path, help="print a saved results JSON as a Markdown table and stop")
    parser.add_argument("--queries-only", action="store_true", help="only the in-process query/CPU count")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of one request's SELECTs")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="with --queries-only: cProfile N in-process requests per endpoint and print where the time goes",
    )
    parser.add_argument(
        "--what-if",
        default="",
        help=f"comma list of candidate changes to measure ({', '.join(WHAT_IFS)}); see bench/settings.py",
    )
    args = parser.parse_args()
    unknown = {w for w in args.what_if.split(",") if w} - set(WHAT_IFS)
    if unknown:
        parser.error(f"unknown --what-if {sorted(unknown)}")
    unknown = {e for e in args.endpoints.split(",") if e} - set(ENDPOINTS)
    if unknown:
        parser.error(f"unknown --endpoints {sorted(unknown)}")
    try:
        args.clients = [int(c) for c in args.clients.split(",") if c]
    except ValueError:
        parser.error(f"--clients takes a comma list of numbers, not {args.clients!r}")
    return args


ARGS = parse_args()  # before Django starts: --what-if changes the settings of this process and the server
os.environ["BENCH_WHAT_IF"] = ARGS.what_if
os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.database import backend_pids, prewarm  # noqa: E402
from bench.sessions import agent_sessions, contacts_at_hand  # noqa: E402

SAMPLING_SEED = secrets.randbelow(1000)  # a new draw from the data for every run
# The in-process query count runs would print an access-log line per request; the server logs its own.
logging.getLogger("contactcentre.access").setLevel(logging.WARNING)


# --- principals and targets ----------------------------------------------------------------------


def seed_sampling(cursor) -> None:
    """Seed PostgreSQL's random() with this run's draw, so TABLESAMPLE and ORDER BY random() agree."""
    cursor.execute("SELECT setseed(%s)", [SAMPLING_SEED / 1000])


def customer_view_targets(agents: list[tuple[User, dict[str, str]]], count: int) -> list[Target]:
    """Parties as they call in (drawn from contact history, so frequent callers come up more), each
    with an open phone contact taken by the agent: the purpose the customer view requires."""
    with connection.cursor() as cursor:
        seed_sampling(cursor)
        cursor.execute(
            """
            SELECT DISTINCT party_id FROM (
              SELECT party_id FROM interactions_contactmoment TABLESAMPLE SYSTEM (2) REPEATABLE (%s)
              WHERE party_id IS NOT NULL ORDER BY random() LIMIT %s
            ) s ORDER BY party_id
            """,
            [SAMPLING_SEED, count],
        )
        party_ids = [row[0] for row in cursor.fetchall()]
    wanted = [(pid, agents[i % len(agents)][0]) for i, pid in enumerate(party_ids)]
    open_contacts = contacts_at_hand(wanted)
    return [
        (
            "GET",
            f"/api/v1/parties/{pid}/customer-view?purpose=contact&purpose_reference={open_contacts[pid, agent.pk]}",
            "",
            agents[i % len(agents)][1],
        )
        for i, (pid, agent) in enumerate(wanted)
    ]


def case_lookup_targets(agents: list[tuple[User, dict[str, str]]], count: int) -> list[Target]:
    """Cases an agent may see (not secret), with the postcode digits of the party's residential address."""
    with connection.cursor() as cursor:
        seed_sampling(cursor)
        cursor.execute(
            """
            SELECT c.reference, left(a.postcode, 4)
            FROM casemanagement_case c TABLESAMPLE SYSTEM (2) REPEATABLE (%s)
            JOIN registry_address a ON a.party_id = c.party_id AND a.kind = 'residential'
            WHERE c.confidentiality <> 'secret'
            ORDER BY random() LIMIT %s
            """,
            [SAMPLING_SEED, count],
        )
        rows = cursor.fetchall()
    return [
        (
            "POST",
            "/api/v1/cases/lookup",
            json.dumps({"reference": ref, "postcode_digits": digits}),
            agents[i % len(agents)][1],
        )
        for i, (ref, digits) in enumerate(rows)
    ]


def api_client_headers() -> tuple[str, dict[str, str]]:
    """A second-line organisation's system (the one with the most cases) with a `cases:read` token."""
    from casemanagement.models import Case
    from contactcentre.api.models import ApiClient
    from contactcentre.api.services import api_client_create
    from contactcentre.registry.models import Organisation

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT organisation_id FROM {Case._meta.db_table} TABLESAMPLE SYSTEM (1)"
            " GROUP BY organisation_id ORDER BY count(*) DESC LIMIT 1"
        )
        organisation = Organisation.objects.get(pk=cursor.fetchone()[0])
    ApiClient.objects.filter(name="bench").delete()
    _client, token = api_client_create(name="bench", organisation=organisation, scopes=["cases:read"])
    return organisation.code, {"Authorization": f"Bearer {token}"}


def case_list_targets(headers: dict[str, str], count: int) -> list[Target]:
    """The organisation's own case list, as Open Zaak's GET /zaken: the first 20 pages of 25, at random."""
    return [("GET", f"/api/v1/cases?page={(i % 20) + 1}", "", headers) for i in range(count)]


# --- query counts --------------------------------------------------------------------------------


def query_counts(targets: list[Target], samples: int) -> dict:
    """SQL queries and time per request, with the Django test client on the same settings and data
    (in this process, no server): `total_ms` is the whole request, `sql_ms` the part spent in SQL.
    Each request is made once before it is counted, as under load: the first request of a session
    fills the cache with its user and permissions."""
    client = Client()
    counts, statuses, totals, cpu, raw_cpu, sql, example = [], [], [], [], [], [], None
    slowest: dict[str, list[float]] = {}
    for target in targets[:samples]:
        send(client, target)
    for target in targets[:samples]:
        started, cpu_started = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            response = send(client, target)
        totals.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        counts.append(len(ctx.captured_queries))
        statuses.append(response.status_code)
        for q in ctx.captured_queries:
            slowest.setdefault(q["sql"][:90], []).append(float(q["time"]) * 1000)
        # The same SELECTs once more through a bare cursor: what the database round trips cost this
        # process; the rest of the request's CPU is Django, DRF and the ORM building SQL and objects.
        selects = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        cpu_started = time.process_time()
        with connection.cursor() as cursor:
            for statement in selects:
                cursor.execute(statement)
                cursor.fetchall()
        raw_cpu.append((time.process_time() - cpu_started) * 1000)
        if example is None:
            example = [q["sql"] for q in ctx.captured_queries]
    return {
        "samples": len(counts),
        "min": min(counts),
        "median": statistics.median(counts),
        "max": max(counts),
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        "total_ms_median": round(statistics.median(totals), 2),
        "cpu_ms_median": round(statistics.median(cpu), 2),
        "raw_select_cpu_ms_median": round(statistics.median(raw_cpu), 2),
        "sql_ms_median": round(statistics.median(sql), 2),
        "sql_ms_by_query": sorted(
            ({"sql": k, "median_ms": round(statistics.median(v), 3), "calls": len(v)} for k, v in slowest.items()),
            key=lambda row: -row["median_ms"],
        )[:8],
        "example_queries": example,
    }


def send(client: Client, target: Target):
    """One request through Django's test client, in this process."""
    method, path, body, headers = target
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, data=body, content_type="application/json", headers=headers)


def profile(targets: list[Target], count: int) -> None:
    """cProfile `count` warm requests in this process, timed in this process's CPU time (waiting for
    PostgreSQL or Redis costs none, so what shows is this process's own work): the functions with the
    most own time, then the most cumulative time (middleware, DRF, the view, rendering)."""
    import cProfile
    import pstats

    client = Client()
    targets = (targets * (count // len(targets) + 1))[:count]
    for target in targets[:20]:
        send(client, target)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for target in targets:
        send(client, target)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(45)


def explain(queries: list[str]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the SELECTs of one request (read-only: nothing is written)."""
    with connection.cursor() as cursor:
        for sql in queries:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n" + sql[:400])
            print("\n".join("    " + row[0] for row in cursor.fetchall()))


# --- server and load -----------------------------------------------------------------------------


# A point with 4+ clients that leaves this much of the machine idle (not waiting for the disk) is
# measured again, at most IDLE_RETRIES times (measure_settled).
IDLE_LIMIT = 0.4
IDLE_RETRIES = 2


RUN_SUMMARY = ("rps", "p50_ms", "p95_ms", "p99_ms", "connections_per_worker", "attempts")


def measure_settled(args, wrk: str, port: int, targets_file: Path, meter: CpuMeter, name: str, clients: int) -> dict:
    """One run of a point; again (with new connections) when it left the machine idle."""
    for attempt in range(1, IDLE_RETRIES + 2):
        result = measure_point(args, wrk, port, targets_file, meter, name, clients)
        # gunicorn's workers share one listening socket: now and then one worker takes most of wrk's
        # connections and, with its GIL, cannot use both cores. New connections spread differently.
        idle = result["cpu"]["idle_cores"] - result["cpu"]["iowait_cores"]
        if clients < 4 or idle < IDLE_LIMIT or attempt > IDLE_RETRIES:
            break
        log(f"{name} c={clients}: {idle:.2f} cores idle, connections piled up in few workers; again")
    result["attempts"] = attempt
    return result


def measure_point(args, wrk: str, port: int, targets_file: Path, meter: CpuMeter, name: str, clients: int) -> dict:
    waited = wait_for_quiet(args.quiet_wait)
    result = measure_load(wrk, port, targets_file, meter, clients, args.duration, args.wrk_threads)
    result.update(endpoint=name, waited_for_quiet_s=waited)
    return result


def condense_log(path: Path) -> dict[str, int]:
    """Keep what is not an access-log line (errors, warnings) plus a count per route and status."""
    tally: dict[str, int] = {}
    kept = []
    with path.open() as log_file:
        for line in log_file:
            if '"contactcentre.access"' in line:
                try:
                    entry = json.loads(line)
                    key = f"{entry.get('method')} {entry.get('route')} {entry.get('status')}"
                except ValueError:
                    key = "unparsed"
                tally[key] = tally.get(key, 0) + 1
            elif "No directory at" not in line and "mw_instance = middleware" not in line:
                kept.append(line)
    summary = "".join(f"{count:>8}  {key}\n" for key, count in sorted(tally.items()))
    path.write_text("".join(kept) + "access log, requests per route and status:\n" + summary)
    return tally


def main() -> None:
    args = ARGS
    if args.markdown:
        print(markdown(args.markdown))
        return
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database filled by bench/generate_scale_data.py.")
    endpoints = [e for e in args.endpoints.split(",") if e]
    if not args.queries_only:
        missing = [b for b in BASELINES if b not in endpoints]
        if missing:
            log(f"adding the baselines {', '.join(missing)}: every load run measures them for the ratios")
        endpoints = [*missing, *endpoints]
    clients = args.clients
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + (
        f"-whatif-{args.what_if.replace(',', '+')}" if args.what_if else ""
    )
    wrk = ensure_tool("wrk")

    # Indexes or fields added since the data was generated are built on it now (fast on this size).
    call_command("migrate", interactive=False, verbosity=0)
    database_cache = {"prewarmed": False} if args.no_prewarm else prewarm()
    if "case_open_first_index" in args.what_if:
        with connection.cursor() as cursor:
            cursor.execute(OPEN_FIRST_INDEX)
            cursor.execute("ANALYZE casemanagement_case")
    agents = agent_sessions(args.agents or max(clients))
    targets: dict[str, list[Target]] = {"ceiling": [("GET", "/bench/ceiling", "", {})]}
    if "signed_in" in endpoints:
        targets["signed_in"] = [("GET", "/bench/signed-in", "", headers) for _user, headers in agents]
    if "customer_view" in endpoints:
        targets["customer_view"] = customer_view_targets(agents, args.targets)
    if "case_lookup" in endpoints:
        targets["case_lookup"] = case_lookup_targets(agents, args.targets)
    if "case_list" in endpoints:
        organisation_code, token_headers = api_client_headers()
        targets["case_list"] = case_list_targets(token_headers, args.targets)
        log(f"case_list: API client of {organisation_code} (scope cases:read)")
    log(f"{len(agents)} agents, each with its own session; requests rotate over them")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM registry_party), (SELECT count(*) FROM casemanagement_case),"
            " (SELECT count(*) FROM casemanagement_casestatus), (SELECT count(*) FROM interactions_contactmoment)"
        )
        parties, cases, statuses, contacts = cursor.fetchone()
    log(f"data: {parties:,} parties, {cases:,} cases, {statuses:,} case statuses, {contacts:,} contact moments")

    queries = {}
    for name in endpoints:
        if name != "ceiling":
            queries[name] = query_counts(targets[name], samples=args.query_samples)
            q = queries[name]
            log(
                f"{name}: {q['median']} SQL queries per request ({q['statuses']}); in-process "
                f"{q['total_ms_median']} ms per request (CPU {q['cpu_ms_median']} ms, SQL {q['sql_ms_median']} ms; "
                f"its SELECTs through a bare cursor {q['raw_select_cpu_ms_median']} ms CPU)"
            )
            if args.explain:
                explain(q["example_queries"])
            if args.profile:
                profile(targets[name], args.profile)
    if args.queries_only:
        result = {"what_if": args.what_if or None, "queries_per_request": queries}
        out = RESULTS / f"queries-{stamp}.json"
        out.write_text(json.dumps(result, indent=2))
        log(f"saved {out.relative_to(REPO)}")
        return
    connection.close()  # the server gets its own connections

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    files = {}
    for name in endpoints:
        files[name] = workdir / f"{name}.targets"
        write_targets(files[name], targets[name])

    port = free_port()
    server_log = RESULTS / f"server-{stamp}.log"
    server = start_gunicorn(
        "contactcentre.wsgi:application",
        port,
        workers=args.workers,
        threads=args.threads,
        ready_path="/bench/ceiling",
        log_path=server_log,
    )
    meter = CpuMeter(server.pid, backend_pids)
    points = []
    try:
        for name in endpoints:
            if name != "ceiling":
                check_targets(port, name, targets[name])
            run_wrk(wrk, port, files[name], max(clients), 3, args.wrk_threads)  # warm-up: connections, caches
        server_label = f"gunicorn gthread {args.workers}x{args.threads} on 127.0.0.1:{port}"
        log(f"{server_label}; {args.duration} s per point")
        for n in clients:
            for name in endpoints:
                runs = [measure_settled(args, wrk, port, files[name], meter, name, n) for _ in range(args.repeat)]
                # With new connections each run spreads differently over the workers, and the tail with
                # it: the run with the median p95 stands for the point, the others are kept beside it.
                result = sorted(runs, key=lambda run: run["p95_ms"])[len(runs) // 2]
                result["runs"] = [{k: run[k] for k in RUN_SUMMARY} for run in runs]
                points.append(result)
                log(
                    f"{name:14} c={n:<3} {result['rps']:>8} rps  p50 {result['p50_ms']:.1f}  "
                    f"p95 {result['p95_ms']:.1f}  p99 {result['p99_ms']:.1f} ms  errors {result['errors']}  "
                    f"cpu/request {result['cpu_ms_per_request']['total']} ms  "
                    f"steal {result['cpu']['steal_cores']} cores  connections {spread_label(result)}"
                    + (f"  (p95 of the {len(runs)} runs: {runs_label(result)})" if len(runs) > 1 else "")
                )
    finally:
        stop_gunicorn(server)
        shutil.rmtree(workdir, ignore_errors=True)
        statuses = condense_log(server_log)
        failed = {key: n for key, n in statuses.items() if not key.rsplit(" ", 1)[-1].startswith(("2", "3"))}
        if failed:
            log(f"non-2xx answers during the run: {failed}")
        if "case_open_first_index" in args.what_if:
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX IF EXISTS bench_whatif_case_org_open_first")

    for baseline in BASELINES:
        rps = {p["clients"]: p["rps"] for p in points if p["endpoint"] == baseline}
        for point in points:
            point[f"ratio_to_{baseline}"] = (
                round(point["rps"] / rps[point["clients"]], 3) if rps.get(point["clients"]) else None
            )
    print_table(points, queries)
    result = {
        "started": stamp,
        "server": {
            "command": " ".join(
                gunicorn_command("contactcentre.wsgi:application", 8000, workers=args.workers, threads=args.threads)[1:]
            ),
            "settings": "bench.settings (PRODUCTION=1, DEBUG=0, SECURE_SSL_REDIRECT=0)",
            "what_if": args.what_if or None,
            "cpus": os.cpu_count(),
        },
        "load": f"wrk -t{args.wrk_threads} -c<clients> -d{args.duration}s -s bench/wrk/targets.lua",
        "database_cache": database_cache,
        "data": {"parties": parties, "cases": cases, "case_statuses": statuses, "contact_moments": contacts},
        "queries_per_request": queries,
        "points": points,
    }
    out = RESULTS / f"serve_and_load-{stamp}.json"
    out.write_text(json.dumps(result, indent=2))
    log(f"saved {out.relative_to(REPO)}; server log {server_log.relative_to(REPO)}")


# The columns of the CPU split; runs saved before the steal column show "-" for it.
CPU_PARTS = ("server", "postgres", "redis", "wrk", "other", "steal", "idle")


def cpu_label(cpu: dict) -> str:
    return "/".join(str(cpu.get(f"{k}_cores", "-")) for k in CPU_PARTS)


def runs_label(point: dict) -> str:
    return " / ".join(f"{run['p95_ms']:.1f}" for run in point.get("runs", []))


def p95_label(point: dict) -> str:
    """The point's p95, and with several runs each run's p95 after it."""
    runs = point.get("runs", [])
    return f"{point['p95_ms']:.1f}" + (f" ({runs_label(point)})" if len(runs) > 1 else "")


def ratio_label(point: dict, baseline: str) -> str:
    """The point's throughput as a share of the baseline's at the same clients ("-" in runs saved
    before that baseline's ratio was kept)."""
    ratio = point.get(f"ratio_to_{baseline}")
    return "-" if ratio is None else f"{ratio:.3f}"


def point_order(point: dict) -> tuple:
    """Baselines first, then the endpoints by name; each by clients."""
    name = point["endpoint"]
    return (BASELINES.index(name) if name in BASELINES else len(BASELINES), name, point["clients"])


def spread_label(point: dict) -> str:
    return "/".join(map(str, point.get("connections_per_worker") or [])) or "-"


def markdown(path: Path) -> str:
    """A saved run as a Markdown table (for bench/README.md)."""
    run = json.loads(path.read_text())
    lines = [
        f"Run {run['started']}: {run['server']['command']}; {run['load']}; what-if: {run['server'].get('what_if')}",
        "",
        "| endpoint | clients | rps | p50 ms | p95 ms | p99 ms | ratio to ceiling | ratio to signed_in | errors "
        "| CPU ms/request | connections per worker | cores server/postgres/redis/wrk/other/steal/idle |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for p in sorted(run["points"], key=point_order):
        cpu = cpu_label(p["cpu"])
        lines.append(
            f"| {p['endpoint']} | {p['clients']} | {p['rps']:.0f} | {p['p50_ms']:.1f} | {p95_label(p)} "
            f"| {p['p99_ms']:.1f} | {ratio_label(p, 'ceiling')} | {ratio_label(p, 'signed_in')} | {p['errors']} "
            f"| {p['cpu_ms_per_request']['total']:.1f} | {spread_label(p)} | {cpu} |"
        )
    lines.append("")
    for name, q in run["queries_per_request"].items():
        lines.append(
            f"- {name}: {q['median']:g} SQL queries per request (min {q['min']}, max {q['max']}); "
            f"in-process CPU {q['cpu_ms_median']} ms per request (its SELECTs through a bare cursor: "
            f"{q.get('raw_select_cpu_ms_median', '-')} ms)"
        )
    return "\n".join(lines)


def print_table(points: list[dict], queries: dict) -> None:
    header = (
        f"{'endpoint':14} {'clients':>7} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'/ceiling':>8} {'/signed_in':>10} {'errors':>6} {'cpu ms/req':>10}  {'connections':>11}  "
        "cpu cores: server/postgres/redis/wrk/other/steal/idle"
    )
    print()
    print(header)
    print("-" * len(header))
    for p in sorted(points, key=point_order):
        print(
            f"{p['endpoint']:14} {p['clients']:>7} {p['rps']:>8.1f} {p['p50_ms']:>8.2f} {p['p95_ms']:>8.2f} "
            f"{p['p99_ms']:>8.2f} {ratio_label(p, 'ceiling'):>8} {ratio_label(p, 'signed_in'):>10} {p['errors']:>6} "
            f"{p['cpu_ms_per_request']['total']:>10.2f}  {spread_label(p):>11}  " + cpu_label(p["cpu"])
        )
    print()
    for name, q in queries.items():
        spread = f"min {q['min']}, max {q['max']}, {q['samples']} requests"
        print(
            f"SQL queries per request, {name}: median {q['median']} ({spread}); "
            f"in-process CPU {q['cpu_ms_median']} ms per request, of which its SELECTs through a bare cursor "
            f"would take {q['raw_select_cpu_ms_median']} ms"
        )
    print()


if __name__ == "__main__":
    main()
