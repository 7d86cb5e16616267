from celery import shared_task

from contactcentre.api.services import idempotency_records_purge


@shared_task(name="contactcentre.api.tasks.purge_idempotency_records")
def purge_idempotency_records() -> int:
    """Hourly: forget Idempotency-Keys older than their time to live."""
    return idempotency_records_purge()
