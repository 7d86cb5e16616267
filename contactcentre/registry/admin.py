from django.contrib import admin

from contactcentre.registry.models import Organisation, Party


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "tier")
    list_filter = ("tier", "kind")
    search_fields = ("code", "name")


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "surname", "business_name", "date_of_birth")
    list_filter = ("kind",)
    # No search on BSN here: identification goes through the purpose-bound first-line search.
    search_fields = ("surname", "business_name")
