"""Reads of scanned letters. Their status holds no personal data (no text, nothing found in it)."""

from django.db.models import QuerySet

from channels_app.models import ScannedLetter
from contactcentre.principal import Principal

VIEW_LETTER = "channels_app.view_scannedletter"


def scanned_letters_visible(*, principal: Principal) -> QuerySet[ScannedLetter]:
    """The post room (staff with the permission) sees every letter; an organisation's system only the
    letters it delivered; nobody else any."""
    letters = ScannedLetter.objects.defer("text", "found")
    if principal.is_organisation:
        return letters.filter(organisation_id=principal.organisation_id)
    if principal.has_perm(VIEW_LETTER):
        return letters
    return letters.none()
