"""Admin pages of the doors, only to look at: scanned letters (where each is, never what it says) and
what the e-mail door could not read (quarantine; marked handled through its service). E-mail threads
are read through the agent's endpoint, which logs the purpose."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from channels_app.email.intake import email_quarantine_resolve
from channels_app.email.models import QuarantinedEmail
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


@admin.register(QuarantinedEmail)
class QuarantinedEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["received_at", "reason", "detail", "source", "size", "resolved_at"]
    list_filter = ["reason", "source", ("resolved_at", admin.EmptyFieldListFilter)]
    fields = ["sha256", "reason", "detail", "source", "size", "raw", "received_at", "resolved_at"]
    actions = ["mark_resolved"]

    @admin.action(description=_("Markeren als afgehandeld"), permissions=["resolve"])
    def mark_resolved(self, request, queryset):
        count = email_quarantine_resolve(quarantine_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)d bericht(en) afgehandeld.") % {"count": count}, messages.SUCCESS)

    def has_resolve_permission(self, request):
        return request.user.has_perm("channels_app.change_quarantinedemail")
