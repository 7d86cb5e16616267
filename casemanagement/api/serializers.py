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


# --- escalations to the second line -------------------------------------------------------------------


class EscalationEventSerializer(serializers.Serializer):
    state = serializers.CharField()
    note = serializers.CharField()
    actor_label = serializers.CharField()
    at = serializers.DateTimeField()


class EscalationDeliverySerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    message_id = serializers.UUIDField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    delivered_at = serializers.DateTimeField(allow_null=True)


class EscalationAttachmentSerializer(serializers.Serializer):
    """An attachment as listed (casemanagement.attachments.attachment_summary): never its bytes."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    download_url = serializers.URLField(help_text=_("Alleen voor het systeem van de behandelende organisatie"))


class SharedContactSerializer(serializers.Serializer):
    """A contact of the person, shown to the second line only with the citizen's consent."""

    id = serializers.IntegerField()
    channel = serializers.CharField()
    direction = serializers.CharField()
    identified_by = serializers.CharField()
    assurance = serializers.CharField()
    topic = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()
    outcome = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    life_event_name = serializers.CharField(allow_null=True)


class EscalationSummarySerializer(serializers.Serializer):
    reference = serializers.CharField()
    state = serializers.CharField()
    organisation = OrganisationRefSerializer()
    queue = serializers.CharField()
    priority = serializers.CharField()
    question = serializers.CharField()
    routing_explanation = serializers.CharField()
    share_history = serializers.BooleanField()
    party = serializers.IntegerField(source="party_id", allow_null=True)
    contact_moment = serializers.IntegerField(source="contact_moment_id")
    first_response_due = serializers.DateTimeField()
    resolution_due = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EscalationDetailSerializer(EscalationSummarySerializer):
    context = serializers.CharField()
    requested_attribute = serializers.CharField()
    requested_value = serializers.JSONField(allow_null=True)
    resolution_text = serializers.CharField()
    forwarded_to = OrganisationRefSerializer(allow_null=True)
    articles_tried = serializers.SerializerMethodField()
    # Set by selectors.escalation_detail: what this principal may see of them.
    events = EscalationEventSerializer(source="shown_events", many=True)
    attachments = EscalationAttachmentSerializer(source="shown_attachments", many=True)
    deliveries = EscalationDeliverySerializer(source="shown_deliveries", many=True)
    contact_history = SharedContactSerializer(
        source="shown_contact_history",
        many=True,
        allow_null=True,
        help_text=_("Alleen als de burger instemt met delen van de contacthistorie"),
    )

    def get_articles_tried(self, escalation) -> list[str]:
        return [article.external_id for article in escalation.articles_tried.all()]


class EscalationTransitionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EscalationResolveSerializer(serializers.Serializer):
    resolution_text = serializers.CharField(max_length=4000, help_text=_("De uitkomst, in woorden voor de burger"))


class EscalationReturnSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text=_("Waarom de vraag terug gaat naar de eerste lijn"))


class EscalationForwardSerializer(serializers.Serializer):
    organisation = serializers.SlugField(max_length=64, help_text=_("Code van de bevoegde organisatie"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EscalationPreviewSerializer(serializers.Serializer):
    contact_moment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    question = serializers.CharField(max_length=4000)
    case_type = serializers.SlugField(max_length=80, required=False, help_text=_("Code van een zaaktype"))
    articles = serializers.ListField(
        child=serializers.SlugField(max_length=200), required=False, default=list, max_length=50
    )
    attribute = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class EscalationCreateSerializer(serializers.Serializer):
    contact_moment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    question = serializers.CharField(max_length=4000)
    context = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    articles = serializers.ListField(
        child=serializers.SlugField(max_length=200), required=False, default=list, max_length=50
    )
    share_history = serializers.BooleanField(default=False)
    case_type = serializers.SlugField(max_length=80, required=False, help_text=_("Code van een zaaktype"))
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        default=list,
        help_text=_("Bijlagen, alleen bij multipart/form-data"),
    )


class EscalationAttachmentsAddSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True))


class RoutePreviewSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    queue = serializers.CharField()
    priority = serializers.CharField()
    rule = serializers.CharField(allow_null=True)
    explanation = serializers.CharField()
    first_response_due = serializers.DateTimeField()
    resolution_due = serializers.DateTimeField()


class BaseDataRequestSerializer(serializers.Serializer):
    contact_moment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    attribute = serializers.CharField(max_length=32)
    value = serializers.JSONField(help_text=_("De gevraagde nieuwe waarde"))
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FirstLineCompletionSerializer(serializers.Serializer):
    contact_moment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    case_type = serializers.SlugField(max_length=80)
    explanation = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class EscalationForwardedSerializer(serializers.Serializer):
    """After a forward the escalation is the other organisation's: only what was done."""

    reference = serializers.CharField()
    state = serializers.CharField()
    forwarded_to = OrganisationRefSerializer()
