from rest_framework import serializers

from casemanagement.api.serializers import CaseSummarySerializer
from contactcentre.firstline.services import ClaimKind
from contactcentre.interactions.api.serializers import ContactMomentSerializer
from contactcentre.interactions.models import CallbackRequest, Channel, ContactMoment
from contactcentre.registry.assurance import AssuranceLevel


class IdentityClaimSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(kind, kind) for kind in ClaimKind.ALL])
    value = serializers.CharField(max_length=254)


class ContactOpenSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=ContactMoment.Direction.choices, default="inbound")
    identity_claim = IdentityClaimSerializer(required=False, allow_null=True)
    text = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    external_id = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    desk = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class LifeEventRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ArticleRefSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    question = serializers.CharField()
    short_answer = serializers.CharField()


class PartyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FirstLineOfferSerializer(serializers.Serializer):
    contact = ContactMomentSerializer()
    created = serializers.BooleanField()
    party = PartyRefSerializer(allow_null=True)
    ambiguous = serializers.BooleanField(help_text="Meer dan één persoon past bij de identificatie.")
    cases = CaseSummarySerializer(many=True)
    status_needs_second_factor = serializers.BooleanField()
    life_events = LifeEventRefSerializer(many=True)
    articles = ArticleRefSerializer(many=True)


class ConsentSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    granted = serializers.BooleanField()
    channel = serializers.CharField()
    changed_at = serializers.DateTimeField()


class ContactSummarySerializer(serializers.Serializer):
    """One contact in the history (the articles used are on /contact-moments/{id})."""

    id = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=ContactMoment.Direction.choices)
    identified_by = serializers.ChoiceField(choices=ContactMoment.IdentifiedBy.choices, allow_blank=True)
    assurance = serializers.ChoiceField(choices=AssuranceLevel.choices, allow_blank=True)
    topic = serializers.CharField(allow_blank=True)
    question = serializers.CharField(allow_blank=True)
    answer = serializers.CharField(allow_blank=True)
    outcome = serializers.ChoiceField(choices=ContactMoment.Outcome.choices, allow_blank=True)
    desk = serializers.CharField(allow_blank=True)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    agent_username = serializers.CharField(allow_null=True)
    organisation_code = serializers.CharField(allow_null=True)
    life_event_slug = serializers.CharField(allow_null=True)
    life_event_name = serializers.CharField(allow_null=True)


class CallbackSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone_number = serializers.CharField()
    call_after = serializers.DateTimeField()
    call_before = serializers.DateTimeField(allow_null=True)
    question = serializers.CharField()
    status = serializers.ChoiceField(choices=CallbackRequest.Status.choices)
    created_at = serializers.DateTimeField()
    contact_moment = serializers.IntegerField(allow_null=True)
    queue_code = serializers.CharField()
    assigned_to_username = serializers.CharField(allow_null=True)


class CustomerViewSerializer(serializers.Serializer):
    """The shape of the customer view (documentation: the selector's plain rows are served as is)."""

    party = serializers.DictField(help_text="Basisgegevens zoals deze medewerker ze mag zien (zie registry).")
    cases = CaseSummarySerializer(many=True)
    contacts = ContactSummarySerializer(many=True)
    consents = ConsentSerializer(many=True)
    callbacks = CallbackSummarySerializer(many=True)
    life_events = LifeEventRefSerializer(many=True)
    purpose = serializers.CharField()
    purpose_reference = serializers.CharField()
    assurance = serializers.CharField()
