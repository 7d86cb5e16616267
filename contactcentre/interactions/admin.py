from django.contrib import admin
from django.utils.translation import gettext as _

from contactcentre.interactions.models import CallbackRequest, ContactMoment, Notification, WorkQueue
from contactcentre.interactions.services import notifications_resend


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox: read-only but for sending a message again after a failure."""

    list_display = ("created_at", "channel", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "channel")
    raw_id_fields = ("party",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    show_full_result_count = False
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Opnieuw verzenden"), permissions=["change"])
    def resend(self, request, queryset):
        count = notifications_resend(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)s bericht(en) staan weer klaar.") % {"count": count})
