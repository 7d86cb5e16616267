from celery import shared_task

from contactcentre.interactions.services import contact_moments_purge


@shared_task(name="contactcentre.interactions.tasks.purge_contact_moments")
def purge_contact_moments() -> int:
    """Daily: delete contact moments past their retention period (idempotent)."""
    return contact_moments_purge()
