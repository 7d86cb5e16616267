"""Public knowledge-base endpoints: no log-in, throttled per IP (scope "public_search"), no personal data."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api.throttles import FailClosedScopedRateThrottle
from lifeevents import selectors, services
from lifeevents.api.serializers import (
    ArticleSerializer,
    FeedbackSerializer,
    LifeEventSerializer,
    SearchQuerySerializer,
    SearchResultSerializer,
)
from lifeevents.models import Article, ArticleFeedback
from lifeevents.search.analysis import MAX_QUERY_LENGTH


class PublicEndpoint:
    """On the public allowlist: anyone may call; throttled per IP (no authentication, so DRF keys on IP)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [FailClosedScopedRateThrottle]
    throttle_scope = "public_search"


class LifeEventListView(PublicEndpoint, generics.ListAPIView):
    """Life events with the organisations involved and their published articles."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    serializer_class = LifeEventSerializer

    def get_queryset(self):
        return selectors.life_event_list()


class ArticleSearchView(PublicEndpoint, APIView):
    """Search published articles in the citizen's own words (Dutch, typos, abbreviations welcome)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": MAX_QUERY_LENGTH},
                required=True,
                description=f"Vraag in eigen woorden (hoogstens {MAX_QUERY_LENGTH} tekens)",
            ),
            OpenApiParameter("life_event", str, description="slug van een levensgebeurtenis"),
            OpenApiParameter("organisation", str, description="code van de organisatie die eigenaar is"),
            OpenApiParameter("channel", str, enum=ArticleFeedback.Channel.values, description="de deur van de vraag"),
            OpenApiParameter("limit", int, description="1-50, standaard 10"),
        ],
        responses=SearchResultSerializer,
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        hits = selectors.search_articles(
            data["q"],
            life_event=data.get("life_event"),
            organisation=data.get("organisation"),
            channel=data.get("channel"),
            limit=data["limit"],
        )
        payload = {
            "query": data["q"],
            "count": len(hits),
            "results": [
                {"article": hit.article, "score": hit.score, "answer_text": hit.answer_text, "matched": hit.matched}
                for hit in hits
            ],
        }
        return Response(SearchResultSerializer(payload).data)


class ArticleDetailView(PublicEndpoint, APIView):
    @extend_schema(responses=ArticleSerializer)
    def get(self, request, external_id: str):
        article = selectors.article_get_published(external_id=external_id)
        return Response(ArticleSerializer(article).data)

    permission_classes = [AllowAny]
    authentication_classes: list = []


class ArticleFeedbackView(PublicEndpoint, APIView):
    """Was this answer helpful? E-mail addresses, phone numbers and BSN-like numbers are removed from comments."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=FeedbackSerializer, responses={201: FeedbackSerializer})
    def post(self, request, external_id: str):
        article = get_object_or_404(Article.objects.filter(status=Article.Status.PUBLISHED), external_id=external_id)
        serializer = FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.article_feedback_create(article=article, **serializer.validated_data)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
