from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contactcentre.interactions.models import (
    CallbackRequest,
    Channel,
    ContactMoment,
    IdentityDocument,
    WorkItem,
    WorkQueue,
)
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.models import Party
from lifeevents.models import Article, LifeEvent


class KnowledgeFieldsMixin(serializers.Serializer):
    life_event = serializers.SlugRelatedField(
        slug_field="slug", queryset=LifeEvent.objects.all(), required=False, allow_null=True, default=None
    )
    articles = serializers.SlugRelatedField(
        slug_field="external_id", queryset=Article.objects.all(), many=True, required=False, default=list
    )


class ContactMomentSerializer(serializers.ModelSerializer):
    party = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    agent = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # Empty while unknown (anonymous contact, contact still open).
    assurance = serializers.ChoiceField(choices=AssuranceLevel.choices, allow_blank=True, read_only=True)
    outcome = serializers.ChoiceField(choices=ContactMoment.Outcome.choices, allow_blank=True, read_only=True)
    life_event = serializers.SerializerMethodField()
    articles = serializers.SerializerMethodField()

    class Meta:
        model = ContactMoment
        fields = [
            "id",
            "channel",
            "direction",
            "party",
            "identified_by",
            "assurance",
            "topic",
            "question",
            "answer",
            "outcome",
            "agent",
            "desk",
            "organisation",
            "started_at",
            "ended_at",
            "external_id",
            "life_event",
            "articles",
        ]
        read_only_fields = fields

    def get_life_event(self, contact) -> str | None:
        event = getattr(contact, "life_event", None)
        return event.slug if event is not None else None

    def get_articles(self, contact) -> list[str]:
        related = getattr(contact, "articles", None)
        return [article.external_id for article in related.all()] if related is not None else []


class ContactMomentCreateSerializer(KnowledgeFieldsMixin):
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=ContactMoment.Direction.choices, default="inbound")
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), required=False, allow_null=True)
    identified_by = serializers.ChoiceField(
        choices=ContactMoment.IdentifiedBy.choices, required=False, allow_blank=True, default=""
    )
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    question = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    answer = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    started_at = serializers.DateTimeField(required=False)
    external_id = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", help_text=_("bijv. CallSid of Message-ID")
    )
    desk = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ContactMomentCloseSerializer(KnowledgeFieldsMixin):
    outcome = serializers.ChoiceField(choices=ContactMoment.Outcome.choices)
    answer = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    ended_at = serializers.DateTimeField(required=False)


class IdentityDocumentCheckSerializer(serializers.Serializer):
    document = serializers.ChoiceField(choices=IdentityDocument.choices, help_text="Soort document; nooit het nummer.")


class CallbackRequestSerializer(serializers.ModelSerializer):
    queue = serializers.SlugRelatedField(slug_field="code", read_only=True)
    party = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    contact_moment = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CallbackRequest
        fields = [
            "id",
            "queue",
            "party",
            "contact_moment",
            "phone_number",
            "call_after",
            "call_before",
            "question",
            "status",
            "assigned_to",
            "result",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class CallbackRequestCreateSerializer(serializers.Serializer):
    queue = serializers.SlugRelatedField(slug_field="code", queryset=WorkQueue.objects.filter(is_active=True))
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), required=False, allow_null=True)
    contact_moment = serializers.PrimaryKeyRelatedField(
        queryset=ContactMoment.objects.all(), required=False, allow_null=True
    )
    phone_number = serializers.CharField(max_length=32)
    question = serializers.CharField(max_length=5000)
    call_after = serializers.DateTimeField(required=False)
    call_before = serializers.DateTimeField(required=False, allow_null=True)


class CallbackRequestUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CallbackRequest.Status.choices)
    result = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    assigned_to = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Alleen teamleiders: neem het verzoek in behandeling voor deze medewerker."),
    )


class WorkItemSerializer(serializers.ModelSerializer):
    queue = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "queue",
            "kind",
            "title",
            "priority",
            "status",
            "contact_moment",
            "party",
            "claimed_by",
            "claimed_until",
            "due_at",
            "outcome",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class WorkItemClaimNextSerializer(serializers.Serializer):
    queue = serializers.SlugField(required=False, max_length=64)


class WorkItemCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class WorkItemReassignSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class WorkQueueOverviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    oldest = serializers.DateTimeField(allow_null=True)
    longest_wait_seconds = serializers.IntegerField()
