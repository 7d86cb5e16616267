from django.contrib import admin, messages

from contactcentre.api.models import ApiClient
from contactcentre.api.services import api_client_create


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "token_prefix", "is_active", "last_used_at")
    list_filter = ("is_active", "organisation")
    readonly_fields = ("token_prefix", "created_at", "last_used_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, token = api_client_create(name=obj.name, organisation=obj.organisation, scopes=obj.scopes)
        obj.pk = client.pk
        messages.warning(request, f"Token (wordt maar één keer getoond): {token}")
