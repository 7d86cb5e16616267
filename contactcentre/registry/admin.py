from django.contrib import admin

from contactcentre.api.admin_readonly import ReadOnlyAdminMixin
from contactcentre.registry.models import (
    Address,
    BankAccount,
    BaseDataChange,
    Consent,
    DataSourceRule,
    DigitalAddress,
    Organisation,
    Party,
    VerificationChallenge,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "tier")
    list_filter = ("tier", "kind")
    search_fields = ("code", "name")


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


class DigitalAddressInline(admin.TabularInline):
    model = DigitalAddress
    extra = 0


class BankAccountInline(admin.TabularInline):
    model = BankAccount
    extra = 0


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "surname", "business_name", "date_of_birth", "secret_address")
    list_filter = ("kind", "secret_address")
    # No search on BSN here: identification goes through the purpose-bound first-line search.
    search_fields = ("surname", "business_name")
    # The BSN is shown nowhere in the admin lists; detail pages are for registry maintenance only.
    exclude = ("bsn",)
    inlines = [AddressInline, DigitalAddressInline, BankAccountInline]


@admin.register(DataSourceRule)
class DataSourceRuleAdmin(admin.ModelAdmin):
    list_display = (
        "attribute",
        "source_organisation",
        "source_register",
        "first_line_may_change",
        "minimum_assurance",
        "verification_required",
    )
    list_editable = ("first_line_may_change", "minimum_assurance", "verification_required")
    list_filter = ("first_line_may_change", "minimum_assurance", "source_organisation")


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("party_id", "purpose", "organisation", "granted", "channel", "changed_at")
    list_filter = ("purpose", "granted", "channel")
    readonly_fields = (
        "party",
        "purpose",
        "organisation",
        "granted",
        "channel",
        "changed_at",
        "granted_at",
        "withdrawn_at",
        "recorded_by",
    )

    # Consents are recorded through the service (purpose-bound and logged), not edited here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BaseDataChange)
class BaseDataChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail of changes is read-only."""

    list_display = ("created_at", "party_id", "attribute", "status", "channel", "assurance", "actor_label")
    list_filter = ("attribute", "status", "channel", "assurance")
    search_fields = ("contact_reference",)


@admin.register(VerificationChallenge)
class VerificationChallengeAdmin(admin.ModelAdmin):
    list_display = ("id", "party_id", "kind", "status", "attempts", "expires_at")
    list_filter = ("kind", "status")
    exclude = ("code_hash", "pending_value")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
