"""Issue 16: escalations created per second through the service, and delivery latency from commit to
the receiver with one Celery worker.

    dropdb --if-exists h11_bench && createdb h11_bench && \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h11_bench REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/escalations.py [--per-thread 150] [--latency 200]

It migrates the database named in DATABASE_URL (a new, empty one: the factories start over), starts
its own redis-server as the Celery broker (REDIS_URL stays the cache) and one Celery worker (solo
pool, as in production's settings: late ack, prefetch 1), and a local receiver that checks every
Standard Webhooks signature.

- Throughput: `escalation_create` (routing by a default rule, deadlines on the calendar, the
  escalation, its timeline entry, the outbox row, the processing log, the relay's wake-up after
  commit) in 1, 4 and 16 threads, against a baseline in the same run: recording a bare contact
  moment (`contact_moment_record`) in as many threads. First with no worker running (the deliveries
  wait in the outbox; then the worker delivers that backlog), then with the worker delivering
  meanwhile (on the same 2 cores, and the receiver in this process).
- Latency: escalations created one at a time, 20 ms apart; from the commit (an on_commit hook
  registered before the service's own) to the receiver's reception: median, p95, p99.

The second-line API's POST /api/v1/escalations did not exist when this was written, so creation is
measured through the service, not over HTTP (no HTTP or serialisation cost in these figures).
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import free_port  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def start_broker() -> tuple[subprocess.Popen, str]:
    """A redis-server of our own on a free port as the Celery broker, and its URL."""
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    return redis, f"redis://127.0.0.1:{port}/0"


def start_worker(broker_url: str) -> subprocess.Popen:
    """One Celery worker, solo pool (production's late ack, prefetch 1), on our broker."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "contactcentre", "worker", "--pool=solo",
         "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
         "--loglevel=ERROR"],
        cwd=ROOT, env=os.environ | {"REDIS_URL": broker_url},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(3)  # the worker starts
    return worker


def delivery_latency(create, receiver, count: int) -> list[float]:
    """`create()` an escalation `count` times, 20 ms apart, each in its own transaction; the ms from
    its commit (an on_commit hook registered before the service's own) to the receiver's reception."""
    from django.db import transaction

    committed: dict[str, float] = {}
    for _ in range(count):
        with transaction.atomic():
            stamp: dict[str, float] = {}
            transaction.on_commit(lambda stamp=stamp: stamp.setdefault("at", time.time()))
            escalation = create()
        committed[escalation.reference] = stamp["at"]
        time.sleep(0.02)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        received = {r.reference: r.received_at for r in receiver.receptions if r.reference in committed}
        if len(received) == len(committed):
            break
        time.sleep(0.2)
    latencies = [(received[reference] - at) * 1000 for reference, at in committed.items() if reference in received]
    print(f"\nDelivery latency, commit to receiver ({len(latencies)} of {len(committed)} delivered), ms")
    print(
        f"median {statistics.median(latencies):.1f}  p95 {percentile(latencies, 0.95):.1f}  "
        f"p99 {percentile(latencies, 0.99):.1f}  max {max(latencies):.1f}"
    )
    print(f"receiver: raw receptions {len(receiver.receptions)}, unique {len(receiver.unique_message_ids())}, "
          f"rejected signatures {receiver.rejected}")  # fmt: skip
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-thread", type=int, default=150, help="escalations per thread and run")
    parser.add_argument("--latency", type=int, default=200, help="escalations for the latency run")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a throwaway PostgreSQL database (and REDIS_URL).")

    redis, broker_url = start_broker()
    os.environ["CELERY_BROKER_URL"] = broker_url  # Celery's own override: the broker is ours
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")
    worker = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)

        from casemanagement.escalations import escalation_create
        from casemanagement.models import EscalationDelivery, SecondLineEndpoint
        from casemanagement.webhooks import generate_secret
        from contactcentre.interactions.services import contact_moment_record
        from tests.casemanagement.second_line import Receiver, second_line_setup
        from tests.factories import staff

        receiver = Receiver(secret=generate_secret()).start()
        line = second_line_setup(delivery=SecondLineEndpoint.Delivery.WEBHOOK, url=receiver.url, secret=receiver.secret)
        line.organisation.routing_rules.update(order=0)  # ours comes first in a reused database
        actor = staff(line.agent)
        print(f"CPUs: {os.cpu_count()}, PostgreSQL {connection.pg_version}, one Celery worker (solo)")

        def contact():
            return contact_moment_record(actor=actor, agent=line.agent, channel="phone", party=line.party)[0]

        def run(threads: int, work) -> float:
            """Per second over all threads; each thread does `per-thread` of `work(contact)`."""
            barrier = threading.Barrier(threads + 1)
            errors = []

            def thread_body():
                try:
                    own = contact()
                    barrier.wait()
                    for _ in range(options.per_thread):
                        work(own)
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(error)
                finally:
                    connection.close()

            workers = [threading.Thread(target=thread_body) for _ in range(threads)]
            for thread in workers:
                thread.start()
            barrier.wait()
            started = time.perf_counter()
            for thread in workers:
                thread.join()
            elapsed = time.perf_counter() - started
            if errors:
                raise errors[0]
            return threads * options.per_thread / elapsed

        def escalate(own) -> None:
            escalation_create(contact=own, actor=actor, question="Waar blijft mijn toeslag?")

        def bare_contact(_own) -> None:
            contact()

        def all_delivered() -> bool:
            return not EscalationDelivery.objects.exclude(status=EscalationDelivery.Status.DELIVERED).exists()

        def drain() -> None:
            started = time.perf_counter()
            backlog = EscalationDelivery.objects.exclude(status=EscalationDelivery.Status.DELIVERED).count()
            deadline = time.monotonic() + 300
            while not all_delivered() and time.monotonic() < deadline:
                time.sleep(0.2)
            left = EscalationDelivery.objects.exclude(status=EscalationDelivery.Status.DELIVERED).count()
            print(f"backlog of {backlog} delivered in {time.perf_counter() - started:.1f} s, left {left}")

        run(2, escalate)  # warm-up: connections, prepared statements, caches
        for phase in ("no worker running (deliveries wait in the outbox)", "the worker delivering meanwhile"):
            if worker is None and phase.startswith("the worker"):
                worker = start_worker(broker_url)
                from casemanagement.tasks import relay_escalation_deliveries

                relay_escalation_deliveries.delay()  # the sweep that delivers what waited
                drain()
            print(f"\nThroughput, {phase} ({options.per_thread} per thread; baseline: a bare contact moment)")
            print(f"{'threads':>7} {'escalations/s':>14} {'contacts/s':>11} {'ratio':>6}")
            for threads in (1, 4, 16):
                escalations = run(threads, escalate)
                contacts = run(threads, bare_contact)
                print(f"{threads:>7} {escalations:>14.0f} {contacts:>11.0f} {escalations / contacts:>6.2f}")
        drain()

        own = contact()
        delivery_latency(
            lambda: escalation_create(contact=own, actor=actor, question="Waar blijft mijn toeslag?"),
            receiver,
            options.latency,
        )
        receiver.stop()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
        redis.terminate()
        redis.wait(timeout=10)


if __name__ == "__main__":
    main()
