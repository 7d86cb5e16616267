"""Fault tests of escalation delivery (issue 16): a Redis broker and a Celery worker this test starts
itself, PostgreSQL, and a local receiver that checks every signature. Whatever fails, every escalation
reaches the receiver, and none arrives twice as a business effect: the receiver de-duplicates re-sends
of one message by its id (at-least-once delivery), and no escalation arrives under two message ids.

Each prints "N escalations, K faults: delivered N, lost 0, duplicates at the receiver 0".
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile

import pytest
from django.db import connection

from casemanagement.models import EscalationDelivery, SecondLineEndpoint
from casemanagement.webhooks import generate_secret
from tests.casemanagement.second_line import Receiver, second_line_setup
from tests.integration.conftest import ROOT, needs_services, wait_until

pytestmark = [pytest.mark.integration, needs_services()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of our own (no persistence: a restart loses every queued message)."""

    def __init__(self):
        self.port = _free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_until(self._answers, timeout=10, interval=0.05), "redis-server did not start"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Processes:
    """The worker, the sweep and the escalation maker, all on our own Redis and the test database."""

    def __init__(self, broker_url: str):
        db = connection.settings_dict
        database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        self.env = os.environ | {
            "DATABASE_URL": database_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
            "CELERY_BROKER_URL": broker_url,  # Celery's own override: only the broker is ours
        }
        self.worker_env = self.env | {"REDIS_URL": broker_url}
        self.started: list[subprocess.Popen] = []
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in stop_all; the processes' output, shown when a test fails

    def output(self, tail: int = 4000) -> str:
        self.log.seek(0)
        return self.log.read()[-tail:]

    def _start(self, args, env, **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(args, cwd=ROOT, env=env, **kwargs)
        self.started.append(process)
        return process

    def worker(self) -> subprocess.Popen:
        return self._start(
            [sys.executable, "-m", "celery", "-A", "contactcentre", "worker", "--pool=solo", "--concurrency=1",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            self.worker_env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def sweep(self, interval: float = 0.5) -> subprocess.Popen:
        return self._start(
            [sys.executable, "-m", "tests.integration.escalation_fault_tools", "sweep", str(interval)],
            self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def create(self, count: int, line) -> subprocess.Popen:
        ids = [line.organisation.pk, line.agent.pk, line.party.pk]
        return self._start(
            [sys.executable, "-m", "tests.integration.escalation_fault_tools", "create", str(count), *map(str, ids)],
            self.env, stdout=subprocess.PIPE, stderr=self.log, text=True,
        )  # fmt: skip

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def processes(transactional_db, redis_server):
    started = Processes(redis_server.url)
    yield started
    started.stop_all()


@pytest.fixture
def receiver():
    started = Receiver(secret=generate_secret()).start()
    yield started
    started.stop()


def _line(receiver):
    return second_line_setup(delivery=SecondLineEndpoint.Delivery.WEBHOOK, url=receiver.url, secret=receiver.secret)


def _wait_for_created(maker: subprocess.Popen, count: int) -> None:
    for line in maker.stdout:
        if int(line.split()[1]) >= count:
            return
    raise AssertionError("the escalation maker stopped early")


def _report(receiver: Receiver, count: int, faults: int, what: str) -> None:
    delivered_rows = EscalationDelivery.objects.filter(status=EscalationDelivery.Status.DELIVERED).count()
    unique = len(receiver.unique_message_ids())
    references = {reception.reference for reception in receiver.receptions}
    duplicates = receiver.duplicates_by_business_key()
    lost = count - len(references)
    print(
        f"\n{what}: {count} escalations, {faults} faults: delivered {unique}, lost {lost}, "
        f"duplicates at the receiver {duplicates} "
        f"(raw receptions {len(receiver.receptions)}, unique message ids {unique}, rejected signatures "
        f"{receiver.rejected})"
    )
    assert (unique, lost, duplicates, receiver.rejected) == (count, 0, 0, 0)
    assert delivered_rows == count


def _all_delivered(count: int, receiver: Receiver):
    def done() -> bool:
        return (
            len(receiver.unique_message_ids()) >= count
            and not EscalationDelivery.objects.exclude(status=EscalationDelivery.Status.DELIVERED).exists()
        )

    return done


def test_redis_stopped_while_escalations_are_created(processes, redis_server, receiver):
    count = 1000
    line = _line(receiver)
    processes.worker()
    processes.sweep()
    maker = processes.create(count, line)

    _wait_for_created(maker, 100)
    redis_server.stop()  # the broker goes away: wake-ups fail, escalations go on being created
    _wait_for_created(maker, 800)
    redis_server.start()  # empty: every wake-up queued before the stop is lost too
    assert maker.wait(timeout=120) == 0, processes.output()
    assert EscalationDelivery.objects.count() == count  # every escalation committed with its outbox row
    relay_wake_up_lost = "Wake-up of casemanagement.tasks.relay_escalation_deliveries not sent"
    failed_wake_ups = processes.output(tail=10**8).count(relay_wake_up_lost)
    assert failed_wake_ups > 0, "the outage did not hit a wake-up"

    assert wait_until(_all_delivered(count, receiver), timeout=60), processes.output()
    print(f"\n{failed_wake_ups} wake-ups failed while Redis was down; the sweep delivered what they left")
    _report(receiver, count, 1, "Redis stopped and started")


def test_worker_killed_mid_batch_and_restarted(processes, receiver):
    count, kills = 300, 2
    receiver.delay = 0.02  # a batch of 50 takes about a second: time to kill in the middle of one
    line = _line(receiver)
    maker = processes.create(count, line)
    assert maker.wait(timeout=120) == 0, processes.output()
    worker = processes.worker()
    processes.sweep()

    for kill_at in (75, 175):  # not a multiple of the batch size: a batch is being sent
        assert wait_until(lambda at=kill_at: len(receiver.receptions) >= at, timeout=60, interval=0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        worker = processes.worker()

    assert wait_until(_all_delivered(count, receiver), timeout=60), processes.output()
    _report(receiver, count, kills, "Worker killed with SIGKILL")


def test_receiver_failing_and_timing_out_for_a_while(processes, receiver):
    count = 200

    def behaviour(number: int) -> int:
        if number <= 40:
            return 500
        if number <= 42:
            return -11.0  # silent past the sender's 10 s read timeout
        return 200

    receiver.behaviour = behaviour
    line = _line(receiver)
    maker = processes.create(count, line)
    assert maker.wait(timeout=120) == 0, processes.output()
    processes.worker()
    processes.sweep()

    assert wait_until(_all_delivered(count, receiver), timeout=90), processes.output()
    failed_once = EscalationDelivery.objects.filter(attempts__gte=1).count()
    assert failed_once == 42  # 40 answered 500, 2 timed out; each delivered on a later attempt
    _report(receiver, count, 42, "Receiver 500 and timeouts")
