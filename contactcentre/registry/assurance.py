"""Identity-assurance levels. Every contact carries one; base-data changes and visibility depend on it.

low: recognised by phone number; substantial: DigiD log-in; high: identity document checked at the counter.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssuranceLevel(models.TextChoices):
    LOW = "low", _("Laag (herkend aan telefoonnummer)")
    SUBSTANTIAL = "substantial", _("Substantieel (DigiD)")
    HIGH = "high", _("Hoog (identiteitsbewijs gecontroleerd)")


_RANK = {AssuranceLevel.LOW: 1, AssuranceLevel.SUBSTANTIAL: 2, AssuranceLevel.HIGH: 3}


def assurance_rank(level: str) -> int:
    """0 for an unknown level, so it never satisfies any minimum."""
    return _RANK.get(level, 0)


def assurance_at_least(level: str, minimum: str) -> bool:
    return assurance_rank(level) >= assurance_rank(minimum) > 0


def assurance_capped(level: str, cap: str) -> str:
    """`level`, but no higher than `cap` (what the door verified); no cap: `level` as it is."""
    if cap and assurance_rank(cap) < assurance_rank(level):
        return cap
    return level
