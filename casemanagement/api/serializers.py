from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casemanagement.models import CaseType, Confidentiality, StatusType


class OrganisationRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class StatusRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    is_final = serializers.BooleanField(required=False)


class CaseSummarySerializer(serializers.Serializer):
    """A case as the caller may see it. `detail` says how much: existence < citizen < full; fields
    beyond the caller's level are null."""

    id = serializers.IntegerField()
    organisation = OrganisationRefSerializer()
    is_open = serializers.BooleanField()
    detail = serializers.ChoiceField(choices=["existence", "citizen", "full"])
    reference = serializers.CharField(allow_null=True)
    case_type = serializers.CharField(allow_null=True)
    status_text = serializers.CharField(allow_null=True, help_text=_("Tekst voor de burger"))
    opened_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField(allow_null=True)
    is_suspended = serializers.BooleanField(allow_null=True)
    is_extended = serializers.BooleanField(allow_null=True)
    case_type_code = serializers.CharField(allow_null=True)
    status = StatusRefSerializer(allow_null=True)
    status_set_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, allow_null=True)
    extension_reason = serializers.CharField(allow_null=True)
    suspension_reason = serializers.CharField(allow_null=True)
    first_line_capable = serializers.BooleanField(allow_null=True)


class CaseStatusHistorySerializer(serializers.Serializer):
    set_at = serializers.DateTimeField()
    status_text = serializers.CharField()
    status = StatusRefSerializer(allow_null=True)
    explanation = serializers.CharField(allow_null=True)


class CaseStatusRecordSerializer(serializers.Serializer):
    status = serializers.SlugField(max_length=80, help_text=_("Code van het statustype van dit zaaktype"))
    set_at = serializers.DateTimeField(required=False)
    explanation = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CaseLookupSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=40)
    postcode_digits = serializers.RegexField(r"^\d{4}$", required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if not attrs.get("postcode_digits") and attrs.get("date_of_birth") is None:
            raise serializers.ValidationError(
                {"postcode_digits": [_("Geef de vier cijfers van de postcode of de geboortedatum op.")]}
            )
        return attrs


class CitizenCaseLookupSerializer(CaseLookupSerializer):
    caller = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Wie er vraagt, zoals het nummer van de beller; pogingen worden per beller geteld."),
    )


class StatusTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusType
        fields = ["order", "code", "name", "citizen_text", "notify_citizen", "is_final"]


class CaseTypeSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    statuses = StatusTypeSerializer(source="status_types", many=True, read_only=True)

    class Meta:
        model = CaseType
        fields = [
            "code",
            "name",
            "organisation",
            "legal_term_days",
            "extension_days",
            "first_line_capable",
            "statuses",
        ]


class CaseOpenSerializer(serializers.Serializer):
    case_type = serializers.SlugField(max_length=80, help_text=_("Code van een zaaktype van de eigen organisatie"))
    party = serializers.IntegerField(required=False, help_text=_("Partij (id) of, in plaats daarvan, het BSN"))
    bsn = serializers.CharField(max_length=9, required=False, write_only=True)
    reference = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    opened_at = serializers.DateTimeField(required=False)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.NORMAL)

    def validate(self, attrs):
        if ("party" in attrs) == ("bsn" in attrs):
            raise serializers.ValidationError({"party": [_("Geef precies één van partij of BSN op.")]})
        return attrs


class CaseSuspendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CaseExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500)
