from django.contrib import admin

from contactcentre.interactions.models import CallbackRequest, ContactMoment, WorkQueue


@admin.register(WorkQueue)
class WorkQueueAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "organisation", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")


@admin.register(ContactMoment)
class ContactMomentAdmin(admin.ModelAdmin):
    list_display = ("started_at", "channel", "direction", "outcome", "agent", "assurance")
    list_filter = ("channel", "outcome", "direction")
    raw_id_fields = ("party", "agent", "articles")
    readonly_fields = ("external_id", "created_at")
    list_select_related = ("agent",)
    show_full_result_count = False
    date_hierarchy = "started_at"


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    list_display = ("id", "queue", "status", "call_after", "assigned_to")
    list_filter = ("queue", "status")
    raw_id_fields = ("party", "contact_moment", "assigned_to", "requested_by")
    list_select_related = ("queue", "assigned_to")
