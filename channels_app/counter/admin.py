from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.counter.models import Appointment, CounterService, Office
from channels_app.counter.selectors import office_display_token
from channels_app.counter.services import office_display_link_renew


class CounterServiceInline(admin.TabularInline):
    model = CounterService
    extra = 0
    fields = ("code", "name", "ticket_prefix", "is_active")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "organisation", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    filter_horizontal = ("clerks",)
    readonly_fields = ("display_link",)
    inlines = [CounterServiceInline]
    actions = ["renew_display_link"]

    @admin.display(description=gettext_lazy("link voor het wachtkamerscherm"))
    def display_link(self, office):
        if office.pk is None:
            return "-"
        url = reverse("counter-waiting-room", args=[office.code]) + f"?token={office_display_token(office=office)}"
        return format_html('<a href="{}">{}</a>', url, _("Open het scherm (kopieer de link naar het scherm)"))

    @admin.action(description=gettext_lazy("Nieuwe schermlink (de oude werkt niet meer)"), permissions=["change"])
    def renew_display_link(self, request, queryset):
        for office in queryset:
            office_display_link_renew(office=office)
        self.message_user(request, _("De schermlinks zijn vernieuwd."))


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "office", "service", "check_in_code", "checked_in_at")
    list_filter = ("office",)
    raw_id_fields = ("party",)
    readonly_fields = ("check_in_code", "checked_in_at")
    list_select_related = ("office", "service")
    date_hierarchy = "starts_at"
