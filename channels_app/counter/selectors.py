"""Reads of the counter door: the waiting-room display and who may open it."""

from django.core import signing
from django.utils import timezone

from channels_app.counter.models import Office, Ticket

DISPLAY_ROWS = 8
_DISPLAY_SALT = "channels_app.counter.display"


def office_display_token(*, office: Office) -> str:
    """The secret of an office's waiting-room display link. Signed with SECRET_KEY over the office and
    its link version, so nothing is stored, and renewing the link (the version) revokes the old one."""
    return signing.Signer(salt=_DISPLAY_SALT).sign(f"{office.code}:{office.display_generation}")


def office_for_display(*, code: str, token: str) -> Office | None:
    """The active office whose display link this is, or None."""
    try:
        value = signing.Signer(salt=_DISPLAY_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    signed_code, _, generation = value.rpartition(":")
    if signed_code != code:
        return None
    return Office.objects.filter(code=code, is_active=True, display_generation=generation).first()


def office_display_calls(*, office: Office, limit: int = DISPLAY_ROWS) -> list[dict]:
    """The tickets called most recently today at the office, newest first: number and desk only."""
    return list(
        Ticket.objects.filter(office=office, day=timezone.localdate(), called_at__isnull=False)
        .order_by("-called_at", "-id")
        .values("number", "desk")[:limit]
    )


def tickets_waiting_count(*, office: Office) -> int:
    return Ticket.objects.filter(office=office, day=timezone.localdate(), status=Ticket.Status.WAITING).count()
