from django.contrib import admin

from casemanagement.models import Case, CaseStatus, CaseType, StatusType


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
