"""Request and response shapes of the registry API. Requests reject unknown fields (no mass assignment)."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.models import Attribute, BaseDataChange, Channel, Consent, Party


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, so a client cannot slip in fields that are read-only or not meant for it."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Onbekend veld.")] for name in unknown})
        return super().to_internal_value(data)


class PurposeFields(StrictSerializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices, required=False, allow_blank=True, default="")
    purpose_reference = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class PurposeQuerySerializer(PurposeFields):
    assurance = serializers.ChoiceField(choices=AssuranceLevel.choices, default=AssuranceLevel.LOW)


class PartySearchSerializer(PurposeFields):
    bsn = serializers.CharField(required=False, allow_blank=True, max_length=20)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    kvk_number = serializers.CharField(required=False, allow_blank=True, max_length=16)
    surname = serializers.CharField(required=False, allow_blank=True, max_length=200)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class PartySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    name = serializers.CharField(source="display_name")
    date_of_birth = serializers.DateField(allow_null=True)


class PartySearchResultSerializer(serializers.Serializer):
    results = PartySummarySerializer(many=True)


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField(required=False)
    house_number = serializers.IntegerField(required=False)
    house_number_addition = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False)
    city = serializers.CharField()
    country = serializers.CharField(required=False)


class DigitalAddressSerializer(serializers.Serializer):
    value = serializers.CharField()
    is_default = serializers.BooleanField()
    verified = serializers.BooleanField()


class BankAccountSerializer(serializers.Serializer):
    iban = serializers.CharField()
    is_default = serializers.BooleanField()
    verified = serializers.BooleanField()


class PartyBaseDataSerializer(serializers.Serializer):
    """What the viewer may see; attributes not visible are absent and named in `restrictions`."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    secret_address = serializers.BooleanField()
    kvk_number = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    residential_address = AddressSerializer(required=False, allow_null=True)
    correspondence_address = AddressSerializer(required=False, allow_null=True)
    emails = DigitalAddressSerializer(many=True, required=False)
    phones = DigitalAddressSerializer(many=True, required=False)
    bank_accounts = BankAccountSerializer(many=True, required=False)
    preferred_channel = serializers.CharField(required=False, allow_blank=True)
    preferred_language = serializers.CharField(required=False, allow_blank=True)
    restrictions = serializers.DictField(child=serializers.ChoiceField(choices=["masked", "hidden"]))


class BaseDataChangeRequestSerializer(PurposeFields):
    attribute = serializers.ChoiceField(choices=Attribute.choices)
    value = serializers.JSONField(help_text="Tekst, of voor een adres: {street, house_number, postcode, city}.")
    assurance = serializers.ChoiceField(choices=AssuranceLevel.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    contact_reference = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class VerificationStartSerializer(PurposeFields):
    attribute = serializers.ChoiceField(choices=Attribute.choices, help_text="email of phone")
    value = serializers.CharField(max_length=254)
    assurance = serializers.ChoiceField(choices=AssuranceLevel.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    contact_reference = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class VerificationConfirmSerializer(PurposeFields):
    code = serializers.CharField(max_length=12)


class BaseDataChangeSerializer(serializers.ModelSerializer):
    attribute = serializers.ChoiceField(choices=Attribute.choices, read_only=True)
    verification_id = serializers.SerializerMethodField()
    verification_expires_at = serializers.SerializerMethodField()

    class Meta:
        model = BaseDataChange
        fields = [
            "id",
            "attribute",
            "status",
            "old_value",
            "new_value",
            "channel",
            "assurance",
            "reason",
            "contact_reference",
            "actor_label",
            "created_at",
            "applied_at",
            "verification_id",
            "verification_expires_at",
        ]
        read_only_fields = fields

    def _verification(self, change):
        return getattr(change, "verification", None) if change.status != BaseDataChange.Status.APPLIED else None

    def get_verification_id(self, change) -> int | None:
        verification = self._verification(change)
        return verification.pk if verification else None

    def get_verification_expires_at(self, change) -> datetime | None:
        verification = self._verification(change)
        return verification.expires_at if verification else None  # the renderer writes it (UTC, "Z")


class BaseDataChangePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BaseDataChangeSerializer(many=True)


class VerificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    expires_at = serializers.DateTimeField()
    change_id = serializers.IntegerField()


class PartyConsentSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    consent_purpose = serializers.ChoiceField(choices=Consent.Purpose.choices, source="purpose", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "consent_purpose",
            "organisation",
            "granted",
            "channel",
            "changed_at",
            "granted_at",
            "withdrawn_at",
        ]
        read_only_fields = fields


class ConsentListSerializer(serializers.Serializer):
    results = PartyConsentSerializer(many=True)


class ConsentRecordSerializer(PurposeFields):
    consent_purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    granted = serializers.BooleanField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    organisation = serializers.SlugField(required=False, allow_blank=True, max_length=64, default="")
