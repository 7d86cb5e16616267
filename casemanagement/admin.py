from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from casemanagement.delivery import deliveries_resend
from casemanagement.endpoints import endpoint_secret_rotate, secret_masked
from casemanagement.models import (
    Case,
    CaseStatus,
    CaseType,
    CaseWorker,
    Escalation,
    EscalationAttachment,
    EscalationDelivery,
    EscalationEvent,
    RoutingRule,
    SecondLineEndpoint,
    StatusType,
)
from contactcentre.api.admin_readonly import ReadOnlyAdminMixin


class StatusTypeInline(admin.TabularInline):
    model = StatusType
    extra = 0
    fields = ("order", "code", "name", "citizen_text", "notify_citizen", "is_final")
    ordering = ("order",)


@admin.register(CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "organisation", "legal_term_days", "extension_days", "first_line_capable")
    list_filter = ("organisation", "first_line_capable", "is_active")
    search_fields = ("name", "code")
    list_select_related = ("organisation",)
    filter_horizontal = ("life_events", "articles")
    inlines = [StatusTypeInline]


class CaseStatusInline(admin.TabularInline):
    model = CaseStatus
    extra = 0
    fields = ("set_at", "status_type", "explanation", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: cases change through the services (API), which keep history and deadlines right."""

    list_display = ("reference", "organisation", "case_type", "status", "opened_at", "deadline", "closed_at")
    list_filter = ("organisation", "confidentiality")
    search_fields = ("=reference",)  # exact, index-backed; never search on personal data here
    list_select_related = ("organisation", "case_type", "status")
    raw_id_fields = ("party",)
    readonly_fields = ("status", "status_set_at", "deadline", "closed_at", "suspended_since", "suspended_days")
    show_full_result_count = False  # no COUNT(*) over millions of rows
    inlines = [CaseStatusInline]


# --- the second line: routing rules, endpoints, escalations and their deliveries ------------------------


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """The first active rule in this order whose conditions all hold decides; a default rule last."""

    list_display = ("order", "name", "is_active", "is_default", "organisation", "queue", "priority")
    list_display_links = ("name",)
    list_editable = ("order", "is_active")
    list_filter = ("is_active", "is_default", "organisation", "priority", "channel")
    search_fields = ("name", "topic", "queue")
    list_select_related = ("organisation",)
    ordering = ("order", "id")
    raw_id_fields = ("life_event", "case_type", "article")


@admin.register(SecondLineEndpoint)
class SecondLineEndpointAdmin(admin.ModelAdmin):
    """Secrets are never shown whole: a new one is generated (and shown once) by the action, which
    keeps the previous one valid while the organisation switches."""

    list_display = ("organisation", "delivery", "url", "secrets_masked")
    list_filter = ("delivery",)
    list_select_related = ("organisation",)
    fields = ("organisation", "delivery", "url", "secrets_masked", "working_hours", "closing_days")
    readonly_fields = ("secrets_masked",)
    actions = ["rotate_secret"]

    @admin.display(description=_("geheimen"))
    def secrets_masked(self, endpoint) -> str:
        return ", ".join(secret_masked(secret) for secret in endpoint.secrets or []) or "-"

    @admin.action(description=_("Nieuw geheim maken (het vorige blijft geldig)"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset.select_related("organisation"):
            secret = endpoint_secret_rotate(endpoint=endpoint)
            self.message_user(
                request,
                _("Nieuw geheim voor %(organisation)s (wordt één keer getoond): %(secret)s")
                % {"organisation": endpoint.organisation, "secret": secret},
                messages.SUCCESS,
            )


class EscalationEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EscalationEvent
    extra = 0
    fields = ("at", "state", "actor_label", "note")
    readonly_fields = fields
    can_delete = False


class EscalationAttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """What was attached, never the file itself: the bytes go only to the organisation's system."""

    model = EscalationAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by", "created_at")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class EscalationDeliveryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EscalationDelivery
    extra = 0
    fields = ("organisation", "status", "attempts", "next_attempt_at", "last_error", "delivered_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: escalations move through the services (API), which keep the timeline."""

    list_display = ("reference", "organisation", "state", "priority", "created_at", "resolution_due")
    list_filter = ("state", "priority", "organisation")
    search_fields = ("=reference",)  # exact; never search on personal data here
    list_select_related = ("organisation",)
    show_full_result_count = False
    inlines = [EscalationEventInline, EscalationAttachmentInline, EscalationDeliveryInline]
    exclude = ("articles_tried",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(EscalationDelivery)
class EscalationDeliveryAdmin(admin.ModelAdmin):
    """Delivery state per destination; failed or dead deliveries can be sent again."""

    list_display = ("escalation", "organisation", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "organisation")
    search_fields = ("=escalation__reference",)
    list_select_related = ("escalation", "organisation")
    readonly_fields = (
        "escalation",
        "organisation",
        "message_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "delivered_at",
    )
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Opnieuw bezorgen"), permissions=["change"])
    def resend(self, request, queryset):
        count = deliveries_resend(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)d bezorging(en) opnieuw in de wachtrij.") % {"count": count})


@admin.register(CaseWorker)
class CaseWorkerAdmin(admin.ModelAdmin):
    """Who works which organisation's escalations in the built-in worklist (with the role Behandelaar)."""

    list_display = ("user", "organisation")
    list_filter = ("organisation",)
    search_fields = ("user__username",)
    list_select_related = ("user", "organisation")
    raw_id_fields = ("user",)
