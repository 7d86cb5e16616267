from celery import shared_task

from casemanagement.delivery import escalation_deliveries_relay


@shared_task(name="casemanagement.tasks.relay_escalation_deliveries")
def relay_escalation_deliveries() -> dict:
    """Send due webhook deliveries of escalations (woken on commit, and swept by beat)."""
    return escalation_deliveries_relay()
