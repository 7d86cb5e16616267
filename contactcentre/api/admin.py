from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from contactcentre.api.models import ApiClient
from contactcentre.api.scopes import ALL_SCOPES
from contactcentre.api.services import api_client_create


class ApiClientForm(forms.ModelForm):
    """Scopes are ticked from the list of valid ones: an unknown scope, a string or a number is a form
    error, never a 500 when the client is saved."""

    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=[(scope, f"{scope}: {label}") for scope, label in ALL_SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ApiClient
        fields = ["name", "organisation", "scopes", "is_active"]

    def clean_scopes(self) -> list[str]:
        return sorted(set(self.cleaned_data["scopes"]))


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
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
