from rest_framework import serializers

from casemanagement.api.serializers import CaseSummarySerializer
from contactcentre.firstline.services import ClaimKind
from contactcentre.interactions.api.serializers import CallbackRequestSerializer, ContactMomentSerializer
from contactcentre.interactions.models import Channel, ContactMoment
from contactcentre.registry.assurance import AssuranceLevel


class IdentityClaimSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(kind, kind) for kind in ClaimKind.ALL])
    value = serializers.CharField(max_length=254)


class ContactOpenSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=ContactMoment.Direction.choices, default="inbound")
    identity_claim = IdentityClaimSerializer(required=False, allow_null=True)
    assurance = serializers.ChoiceField(choices=AssuranceLevel.choices, default=AssuranceLevel.LOW)
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
    organisation = serializers.CharField(allow_null=True, source="organisation.code", default=None)
    granted = serializers.BooleanField()
    channel = serializers.CharField()
    changed_at = serializers.DateTimeField()


class CustomerViewSerializer(serializers.Serializer):
    party = serializers.DictField(help_text="Basisgegevens zoals deze medewerker ze mag zien (zie registry).")
    cases = CaseSummarySerializer(many=True)
    contacts = ContactMomentSerializer(many=True)
    consents = ConsentSerializer(many=True)
    callbacks = CallbackRequestSerializer(many=True)
    life_events = LifeEventRefSerializer(many=True)
    purpose = serializers.CharField()
    purpose_reference = serializers.CharField()
    assurance = serializers.CharField()
