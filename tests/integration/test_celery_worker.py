"""A task enqueued after commit is picked up by a real worker over the Redis broker."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from contactcentre.api.models import IdempotencyRecord
from contactcentre.api.tasks import purge_idempotency_records
from tests.integration.conftest import needs_services, wait_until

pytestmark = [pytest.mark.integration, needs_services()]


def test_real_worker_runs_the_purge_task(celery_worker_process, settings):
    old = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS + 60)
    IdempotencyRecord.objects.create(principal="user:1", key="old", request_hash="x", status_code=201)
    IdempotencyRecord.objects.filter(key="old").update(created_at=old)
    IdempotencyRecord.objects.create(principal="user:1", key="fresh", request_hash="y", status_code=201)

    with transaction.atomic():
        purge_idempotency_records.delay_on_commit()

    assert wait_until(lambda: not IdempotencyRecord.objects.filter(key="old").exists()), "worker did not run the task"
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
