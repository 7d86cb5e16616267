from celery import shared_task

from casemanagement.deadlines import escalations_flag_breaches
from casemanagement.delivery import escalation_deliveries_relay


@shared_task(name="casemanagement.tasks.relay_escalation_deliveries")
def relay_escalation_deliveries() -> dict:
    """Send due webhook deliveries of escalations (woken on commit, and swept by beat)."""
    return escalation_deliveries_relay()


@shared_task(name="casemanagement.tasks.flag_escalation_breaches")
def flag_escalation_breaches() -> dict:
    """Put escalations near or past their resolution deadline on the supervisors' board (beat)."""
    near, breached = escalations_flag_breaches()
    return {"near": len(near), "breached": len(breached)}
