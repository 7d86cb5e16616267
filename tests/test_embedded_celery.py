"""The embedded default runs its Celery tasks in a real worker: kombu's file-system transport as broker, no
Redis. A worker and a sender, two processes configured like `make run`'s (environment only: no REDIS_URL,
CELERY_TASK_ALWAYS_EAGER=0, the broker folder and a SQLite database in a temporary directory), so the test
is the same on both CI passes and leaves the test database alone."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
TASK = "contactcentre.api.tasks.purge_idempotency_records"


def wait_until(condition, timeout: float = 15.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def embedded_env(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRODUCTION": "0",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=60)  # fmt: skip
    return env, database


@pytest.fixture
def worker(embedded_env, tmp_path):
    env, _ = embedded_env
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "contactcentre", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    yield process, log
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_a_task_sent_through_the_filesystem_broker_runs_in_the_worker(embedded_env, worker, tmp_path):
    env, database = embedded_env
    process, log = worker
    with sqlite3.connect(database) as db:  # an Idempotency-Key past its time to live, and a fresh one
        db.executemany(
            "INSERT INTO api_idempotencyrecord (principal, key, request_hash, status_code, content_type, body,"
            " created_at) VALUES ('user:1', ?, 'x', 201, '', x'', ?)",
            [("old", "2000-01-01 00:00:00"), ("fresh", "2999-01-01 00:00:00")],
        )
    assert wait_until(lambda: "ready." in log.read_text(errors="replace"), timeout=20), log.read_text()

    sent = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "contactcentre", "call", TASK],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    task_id = sent.stdout.strip()

    def remaining():
        with sqlite3.connect(database) as db:
            return [key for (key,) in db.execute("SELECT key FROM api_idempotencyrecord ORDER BY key")]

    assert wait_until(lambda: remaining() == ["fresh"]), log.read_text()
    assert wait_until(lambda: f"{TASK}[{task_id}] succeeded" in log.read_text()), log.read_text()
    assert process.poll() is None
    assert list((tmp_path / "celery" / "queue").iterdir()) == []  # taken and acknowledged
