from celery import shared_task

from contactcentre.interactions.services import contact_moments_purge
from contactcentre.interactions.work_items import supervision_lockouts_collect, work_items_release_expired


@shared_task(name="contactcentre.interactions.tasks.purge_contact_moments")
def purge_contact_moments() -> int:
    """Daily: delete contact moments past their retention period (idempotent)."""
    return contact_moments_purge()


@shared_task(name="contactcentre.interactions.tasks.release_expired_work_items")
def release_expired_work_items() -> int:
    """Every minute: claims whose reservation ran out go back to their queue (idempotent)."""
    return work_items_release_expired()


@shared_task(name="contactcentre.interactions.tasks.collect_lockouts")
def collect_lockouts() -> int:
    """Every minute: purpose lock-outs onto the supervisors' queue (idempotent)."""
    return supervision_lockouts_collect()
