"""Subjects appear in the log only as a keyed pseudonym of their party id, never by BSN."""

import hashlib
import hmac

from django.conf import settings


def subject_pseudonym(party_id: int) -> str:
    return hmac.new(settings.PSEUDONYM_KEY.encode(), f"party:{party_id}".encode(), hashlib.sha256).hexdigest()[:40]
