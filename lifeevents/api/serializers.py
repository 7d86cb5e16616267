from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeevents.models import Article, ArticleFeedback, LifeEvent
from lifeevents.search.analysis import MAX_QUERY_LENGTH


@extend_schema_field({"type": "string", "enum": ArticleFeedback.Channel.values})
class ChannelField(serializers.ChoiceField):
    """Inline enum in the schema (other apps have their own "channel" choices)."""

    def __init__(self, **kwargs):
        super().__init__(choices=ArticleFeedback.Channel.choices, **kwargs)


class KennisbankOrganisationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ArticleSummarySerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="external_id")
    organisation = serializers.CharField(source="organisation.code")

    class Meta:
        model = Article
        fields = ["id", "question", "short_answer", "organisation"]


class ArticleSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="external_id")
    organisation = KennisbankOrganisationSerializer()
    life_events = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Article
        fields = ["id", "question", "answer", "short_answer", "organisation", "life_events", "keywords", "version"]


class LifeEventSerializer(serializers.ModelSerializer):
    organisations = KennisbankOrganisationSerializer(many=True)
    articles = ArticleSummarySerializer(source="published_articles", many=True)
    base_data_attributes = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = LifeEvent
        fields = ["slug", "name", "description", "organisations", "base_data_attributes", "articles"]


class SearchQuerySerializer(serializers.Serializer):
    # The search's work is bounded whatever it gets; a question longer than this is no question (400).
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, help_text="Vraag in eigen woorden")
    life_event = serializers.SlugField(required=False, help_text="slug van een levensgebeurtenis")
    organisation = serializers.SlugField(required=False, help_text="code van de eigenaar")
    channel = ChannelField(required=False)
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class MatchSerializer(serializers.Serializer):
    word = serializers.CharField(help_text="wat de vrager zei")
    term = serializers.CharField(help_text="de geanalyseerde term die het artikel bevat")
    fields = serializers.ListField(child=serializers.ChoiceField(choices=["question", "short_answer", "answer"]))
    via = serializers.ChoiceField(
        choices=["exact", "joined", "variant", "synonym", "compound", "prefix", "typo"],
        help_text="hoe de term gevonden is",
    )


class SearchHitSerializer(serializers.Serializer):
    article = ArticleSummarySerializer()
    score = serializers.FloatField()
    answer_text = serializers.CharField(help_text="kort antwoord voor sms en telefoon, anders het volledige antwoord")
    matched = MatchSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField()
    results = SearchHitSerializer(many=True)


class FeedbackSerializer(serializers.ModelSerializer):
    article = serializers.CharField(source="article.external_id", read_only=True)
    channel = ChannelField(required=False)

    class Meta:
        model = ArticleFeedback
        fields = ["article", "helpful", "comment", "channel", "created_at"]
        read_only_fields = ["article", "created_at"]
        extra_kwargs = {"comment": {"required": False, "allow_blank": True, "max_length": 1000}}
