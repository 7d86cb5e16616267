from django.contrib import admin

from contactcentre.processinglog.models import ProcessingRecord


@admin.register(ProcessingRecord)
class ProcessingRecordAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor_label", "action", "object_type", "purpose", "outcome")
    list_filter = ("action", "outcome", "actor_type")
    search_fields = ("=subject", "=trace_id")  # exact: pseudonyms and trace ids are not searched in part

    # The log is append-only, also for administrators.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
