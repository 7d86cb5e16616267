"""The public pages: everyone may read life events, answers and search without signing in; drafts
stay hidden; feedback is stored without personal data; each page costs a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifeevents.models import Article, ArticleFeedback, LifeEvent

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    html = response.content.decode()
    return html[html.index("<title>") + 7 : html.index("</title>")]


def test_home_lists_every_life_event_in_constant_queries(client, kb):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert _title(response) == "Wat gebeurt er in uw leven? – Klantcontactcentrum"
    for event in LifeEvent.objects.all():
        assert f'href="/levensgebeurtenissen/{event.slug}/"' in response.content.decode()
    assert len(queries) <= 4  # life events, organisations, articles with their owners; not one per event


def test_a_life_event_page_shows_its_published_answers(client, kb):
    event = LifeEvent.objects.get(slug="verhuizen")
    response = client.get("/levensgebeurtenissen/verhuizen/")
    html = response.content.decode()
    assert _title(response) == f"{event.name} – Klantcontactcentrum"
    published = Article.objects.filter(life_events=event, status="published")
    assert published.exists()
    for article in published:
        assert f'href="/antwoorden/{article.external_id}/"' in html
    assert client.get("/levensgebeurtenissen/bestaat-niet/").status_code == 404


def test_an_answer_page_and_a_draft_is_not_found(client, kb):
    article = Article.objects.get(external_id="kb-0001")
    response = client.get("/antwoorden/kb-0001/")
    assert _title(response) == f"{article.question} – Klantcontactcentrum"
    assert article.short_answer in response.content.decode()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get("/antwoorden/kb-0001/").status_code == 404


def test_search_finds_answers_in_the_citizens_words(client, kb):
    response = client.get("/zoeken/", {"q": "ik ga verhuizen, hoe geef ik mijn nieuwe adres door"})
    assert response.status_code == 200
    assert 'href="/antwoorden/kb-0001/"' in response.content.decode()
    assert client.get("/zoeken/").status_code == 200  # the empty form


def test_an_overlong_search_is_explained_not_run(client, kb):
    response = client.get("/zoeken/", {"q": "verhuizen " * 100})
    assert response.status_code == 200
    assert "Uw vraag is te lang" in response.content.decode()


def test_feedback_is_stored_without_personal_data_and_thanks_the_reader(client, kb):
    response = client.post(
        "/antwoorden/kb-0001/reactie/", {"helpful": "no", "comment": "Bel me op 0612345678 of jan@example.nl"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/antwoorden/kb-0001/?bedankt=1#feedback-titel"
    feedback = ArticleFeedback.objects.get()
    assert (feedback.helpful, feedback.channel) == (False, "web")
    assert "0612345678" not in feedback.comment and "jan@example.nl" not in feedback.comment
    assert "Dank u wel" in client.get(response["Location"]).content.decode()


def test_feedback_without_a_choice_stores_nothing_and_a_get_is_refused(client, kb):
    assert client.post("/antwoorden/kb-0001/reactie/", {"comment": "x"}).status_code == 302
    assert ArticleFeedback.objects.count() == 0
    assert client.get("/antwoorden/kb-0001/reactie/").status_code == 405


def test_pages_carry_a_content_security_policy_without_inline_script(client, kb):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
