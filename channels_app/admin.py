from django.contrib import admin

from channels_app.models import ScannedLetter
from contactcentre.api.admin_readonly import ReadOnlyAdminMixin


@admin.register(ScannedLetter)
class ScannedLetterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Where each letter is and why it failed or went to triage; never what it says (the text, what was
    found in it and the original are personal data, read with a purpose where the letter is worked)."""

    list_display = ("id", "received_at", "source", "media_type", "status", "failure_reason", "queue", "ocr_confidence")
    list_filter = ("status", "source", "queue", "media_type")
    fields = (
        "id",
        "sha256",
        "media_type",
        "size",
        "source",
        "received_by",
        "organisation",
        "received_at",
        "status",
        "failure_reason",
        "processed_at",
        "method",
        "pages",
        "ocr_confidence",
        "queue",
        "triage_reasons",
        "contact_moment",
        "work_item",
    )
    readonly_fields = fields
