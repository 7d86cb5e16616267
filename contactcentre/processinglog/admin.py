from django.contrib import admin

from contactcentre.api.admin_readonly import ReadOnlyAdminMixin
from contactcentre.processinglog.models import ProcessingRecord


@admin.register(ProcessingRecord)
class ProcessingRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log is append-only, also for administrators."""

    list_display = ("occurred_at", "actor_label", "action", "object_type", "purpose", "outcome")
    list_filter = ("action", "outcome", "actor_type")
    search_fields = ("=subject", "=trace_id")  # exact: pseudonyms and trace ids are not searched in part
