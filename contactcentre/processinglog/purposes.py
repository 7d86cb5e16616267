"""Processing activities (purposes) and the purpose-binding rule: no purpose, no data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    CONTACT = "contact", _("Afhandelen van het klantcontact")
    CASE = "case", _("Behandelen van een zaak")
    SECOND_LINE = "second_line", _("Behandelen van een doorverwijzing (tweede lijn)")
    SUPERVISION = "supervision", _("Toezicht en kwaliteitscontrole")
    SELF_SERVICE = "self_service", _("Burger bekijkt of wijzigt eigen gegevens")
    VERIFICATION = "verification", _("Verifiëren van een nieuw contactgegeven")
    SYSTEM = "system", _("Systeemtaak")


# Purposes a person or system acting on someone else's data may state; each needs a reference
# (the contact moment id, the case or escalation reference, the audit ticket).
STAFF_PURPOSES = frozenset({Purpose.CONTACT, Purpose.CASE, Purpose.SECOND_LINE, Purpose.SUPERVISION})
# The purposes that open a person's data at the first line: the contact at hand, a case, or a
# supervisor's stated reason.
FIRST_LINE_PURPOSES = (Purpose.CONTACT, Purpose.CASE, Purpose.SUPERVISION)
SUPERVISE = "processinglog.supervise"
SUPERVISION_REASON_MIN_LENGTH = 10


def supervision_reason_check(*, principal, reference: str, party_ids) -> str | None:
    """Supervision opens a person's data for supervisors only, with a reason that says something
    (logged as the reference); the lowest assurance applies, as it identifies nobody."""
    if principal.has_perm(SUPERVISE) and len(reference.strip()) >= SUPERVISION_REASON_MIN_LENGTH:
        return "low"
    return None
