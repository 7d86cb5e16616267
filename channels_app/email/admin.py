"""What the e-mail door could not read (quarantine), only to look at and mark handled through its
service. E-mail threads are read through the agent's endpoint, which logs the purpose."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from channels_app.email.intake import email_quarantine_resolve
from channels_app.email.models import QuarantinedEmail
from contactcentre.api.admin_readonly import ReadOnlyAdminMixin


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
