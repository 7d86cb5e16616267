"""The public knowledge-base API: anonymous by design, throttled per IP, no personal data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import ScopedRateThrottle

from lifeevents.api import views
from lifeevents.models import Article, ArticleFeedback
from lifeevents.search import analysis, engine
from lifeevents.search.index import get_vocabulary
from lifeevents.services import article_save
from tests.lifeevents.counting import Lookups, counted_vocabulary, counting_stems

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kb")]

PUBLIC_VIEWS = [
    views.LifeEventListView,
    views.ArticleSearchView,
    views.ArticleDetailView,
    views.ArticleFeedbackView,
]


@pytest.mark.parametrize("view", PUBLIC_VIEWS)
def test_public_views_declare_no_authentication_and_allow_any(view):
    from rest_framework.permissions import AllowAny

    assert view.permission_classes == [AllowAny]
    assert view.authentication_classes == []
    assert view.throttle_scope == "public_search"


def test_life_events_with_their_published_articles(api):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/life-events/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 14
    first = body["results"][0]
    assert first["slug"] == "verhuizen"
    assert first["base_data_attributes"] == ["correspondence_address", "phone", "email", "preferred_channel"]
    assert first["articles"][0] == {
        "id": "kb-0001",
        "question": "Hoe geef ik mijn verhuizing door aan de gemeente?",
        "short_answer": (
            "Geef uw verhuizing gratis door via Mijn Voorbeeldstad met DigiD, of maak een afspraak aan de balie."
        ),
        "organisation": "gem-voorbeeldstad",
    }
    # count + page + organisations + articles (with their organisation): constant in the number of rows.
    assert len(queries) == 4


def test_search_endpoint_returns_ranked_hits_with_reasons(api):
    response = api.get("/api/v1/kennisbank/search/", {"q": "huurtoeslag stopzetten", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "huurtoeslag stopzetten"
    assert body["count"] == 3
    top = body["results"][0]
    assert top["article"]["id"] == "kb-0005"
    assert top["score"] > body["results"][1]["score"]
    assert {m["word"] for m in top["matched"]} >= {"huurtoeslag"}


def test_search_endpoint_filters_by_life_event(api):
    response = api.get("/api/v1/kennisbank/search/", {"q": "aanvragen", "life_event": "overlijden"})
    ids = [hit["article"]["id"] for hit in response.json()["results"]]
    overlijden = set(Article.objects.filter(life_events__slug="overlijden").values_list("external_id", flat=True))
    assert ids and set(ids) <= overlijden


def test_search_requires_a_query_and_a_sane_limit(api):
    assert api.get("/api/v1/kennisbank/search/").status_code == 400
    assert api.get("/api/v1/kennisbank/search/", {"q": "aow", "limit": 500}).status_code == 400


def test_search_refuses_an_over_long_question_with_a_clear_400(api):
    url = "/api/v1/kennisbank/search/"
    question = "Ik wil huurtoeslag aanvragen voor mijn nieuwe woning. " * 10  # 550 characters
    response = api.get(url, {"q": question})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["errors"] == [
        {"field": "q", "message": "Zorg ervoor dat dit veld niet meer dan 500 karakters bevat.", "code": "max_length"}
    ]
    # Up to the limit (MAX_QUERY_LENGTH) the question is answered.
    assert api.get(url, {"q": question[:500]}).status_code == 200


def test_a_long_word_with_a_life_event_filter_does_bounded_work(api, monkeypatch):
    """A 300-letter word with a life-event filter took 14 s; the work is counted here, not timed."""
    counter = Lookups()
    vocabulary = counted_vocabulary(get_vocabulary(), counter)
    monkeypatch.setattr(engine, "get_vocabulary", lambda: vocabulary)
    # Corpus words glued together: every position is a possible split point.
    glued = "huurtoeslagverhuizingadreswijzigingaangiftegemeentebalie" * 6
    with counting_stems(counter):
        for question in (glued[:300], glued[:48], " ".join(glued[n : n + 48] for n in range(0, 450, 49))):
            response = api.get("/api/v1/kennisbank/search/", {"q": question, "life_event": "verhuizen"})
            assert response.status_code == 200
    assert counter.count <= 3 * (20 * analysis.MAX_QUERY_WORDS + 3 * analysis.MAX_QUERY_LOOKUPS)


def test_article_detail_and_drafts_are_not_found(api):
    response = api.get("/api/v1/kennisbank/articles/kb-0134/")
    assert response.status_code == 200
    assert response.json()["organisation"] == {"code": "svb", "name": "Sociale Verzekeringsbank (SVB)"}
    article = Article.objects.get(external_id="kb-0134")
    article_save(
        external_id=article.external_id,
        question=article.question,
        answer=article.answer,
        short_answer=article.short_answer,
        organisation=article.organisation,
        status=Article.Status.DRAFT,
    )
    assert api.get("/api/v1/kennisbank/articles/kb-0134/").status_code == 404
    assert api.post("/api/v1/kennisbank/articles/kb-0134/feedback/", {"helpful": True}).status_code == 404
    assert api.get("/api/v1/kennisbank/articles/kb-9999/").status_code == 404


def test_feedback_is_stored_without_personal_data(api):
    response = api.post(
        "/api/v1/kennisbank/articles/kb-0001/feedback/",
        {
            "helpful": False,
            "comment": "Bel me op 06-12345678 of mail jan@example.nl, mijn bsn is 111222333.",
            "channel": "sms",
            "article": "kb-0002",  # mass assignment: ignored
            "created_at": "2000-01-01T00:00:00Z",
        },
    )
    assert response.status_code == 201
    feedback = ArticleFeedback.objects.get()
    assert feedback.article.external_id == "kb-0001"
    assert feedback.helpful is False
    assert feedback.channel == "sms"
    assert feedback.comment == "Bel me op [verwijderd] of mail [verwijderd], mijn bsn is [verwijderd]."
    assert feedback.created_at.year != 2000
    assert response.json()["comment"] == feedback.comment


def test_feedback_validation(api):
    url = "/api/v1/kennisbank/articles/kb-0001/feedback/"
    assert api.post(url, {"comment": "mist helpful"}).status_code == 400
    assert api.post(url, {"helpful": True, "channel": "duif"}).status_code == 400
    assert ArticleFeedback.objects.count() == 0


def test_public_search_is_rate_limited_per_ip(api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_search": "3/min"})
    url = "/api/v1/kennisbank/search/"
    codes = [api.get(url, {"q": "aow"}, REMOTE_ADDR="10.0.0.1").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    # Another caller is not affected.
    assert api.get(url, {"q": "aow"}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_feedback_burst_is_limited_and_nothing_extra_is_stored(api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_search": "3/min"})
    url = "/api/v1/kennisbank/articles/kb-0001/feedback/"
    codes = [api.post(url, {"helpful": True}, REMOTE_ADDR="10.0.0.3").status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    assert ArticleFeedback.objects.count() == 3


def test_a_logged_in_agent_gets_the_same_public_answers(user_with_role):
    http, _user = user_with_role("agent")
    assert http.get("/api/v1/kennisbank/search/", {"q": "aow aanvragen"}).status_code == 200


@pytest.mark.parametrize(
    ("comment", "stored"),
    [
        ("Mijn IBAN is NL91ABNA0417164300, klopt het bedrag?", "Mijn IBAN is [verwijderd], klopt het bedrag?"),
        ("Bel +31 6 1234 5678 terug", "Bel [verwijderd] terug"),
        ("Antwoord klopt niet voor 2024, wel voor 2025", "Antwoord klopt niet voor 2024, wel voor 2025"),
        ("binnen 14 dagen, bel 14 099", "binnen 14 dagen, bel 14 099"),
    ],
)
def test_feedback_redaction_keeps_ordinary_numbers(comment, stored):
    from lifeevents.services import redact_personal_data

    assert redact_personal_data(comment) == stored
