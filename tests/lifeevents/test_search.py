"""search_articles on the shipped kennisbank: Dutch as citizens write and speak it, filters, drafts."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre import kennisbank
from lifeevents.models import Article
from lifeevents.search import search_articles
from lifeevents.search.evaluation import evaluate
from lifeevents.services import article_save
from tests.lifeevents.conftest import ids

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kb")]

# Floors a little below what the search reaches (dev set: SQLite 0.97/0.88, PostgreSQL 0.97/0.91;
# held-out set: SQLite 1.00/0.91, PostgreSQL 0.98/0.93), so a regression fails without flaking.
FLOOR_RECALL_AT_3 = 0.90
FLOOR_MRR_AT_10 = 0.83


def test_quality_floor_on_the_development_queries():
    result = evaluate(kennisbank.load("dev_queries"))
    assert result["queries"] == 60
    assert result["recall@3"] >= FLOOR_RECALL_AT_3, result["failures"]
    assert result["mrr@10"] >= FLOOR_MRR_AT_10, result["failures"]


def test_quality_floor_on_held_out_queries():
    queries = json.loads((Path(__file__).parent / "holdout_queries.json").read_text(encoding="utf-8"))
    result = evaluate(queries)
    assert result["recall@3"] >= FLOOR_RECALL_AT_3, result["failures"]
    assert result["mrr@10"] >= FLOOR_MRR_AT_10, result["failures"]


@pytest.mark.parametrize("query", ["verhuizen doorgeven", "verhuisd, adres doorgeven", "verhuizing doorgeven"])
def test_stemming_inflections_find_the_same_article(query):
    assert "kb-0001" in ids(search_articles(query, limit=3))


@pytest.mark.parametrize("query", ["huurtoeslag aanvragen", "huur toeslag aanvragen"])
def test_compound_written_as_one_or_two_words(query):
    assert ids(search_articles(query, limit=3))[0] == "kb-0208"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stufi aanvragen", "kb-0203"),  # abbreviation -> studiefinanciering
        ("ouderdomspensioen aanvragen", "kb-0134"),  # -> AOW
        ("werkloosheidsuitkering aanvragen", "kb-0083"),  # -> WW
        ("death certificate", "kb-0037"),  # English -> overlijden, akte
    ],
)
def test_synonyms_and_abbreviations(query, expected):
    assert expected in ids(search_articles(query, limit=3))


def test_typos_are_tolerated():
    assert ids(search_articles("kinderbijslg aanvragn baby", limit=3))[0] == "kb-0024"
    assert "kb-0208" in ids(search_articles("huurtoesalg aanvragen", limit=3))


def test_rambling_phone_transcript_finds_the_answer():
    query = (
        "ja hallo goedemorgen, ehm, ik bel eigenlijk omdat ik gisteren mijn baan ben kwijtgeraakt, "
        "ik ben dus werkloos en nou vroeg ik me af hoe ik die WW moet aanvragen"
    )
    assert ids(search_articles(query, limit=3))[0] == "kb-0083"


def test_hits_explain_what_matched():
    hit = search_articles("huurtoeslag stopzetten", limit=1)[0]
    assert hit.article.external_id == "kb-0005"
    assert hit.score > 0
    by_word = {m["word"]: m for m in hit.matched}
    assert by_word["huurtoeslag"]["fields"] == ["question", "short_answer", "answer"]
    assert by_word["huurtoeslag"]["via"] == "exact"
    assert by_word["stopzetten"]["via"] in {"exact", "synonym"}


def test_question_and_keywords_weigh_more_than_the_body():
    body_only = Article.objects.get(external_id="kb-0003")  # mentions PostNL only in its answer
    assert "postnl" in body_only.answer.lower() and "postnl" not in body_only.question.lower()
    article_save(
        external_id="kb-9002",
        question="Hoe stuurt PostNL mijn post door?",
        answer="Sluit een verhuisservice af.",
        short_answer="Via een verhuisservice.",
        organisation=body_only.organisation,
        status=Article.Status.PUBLISHED,
    )
    assert ids(search_articles("postnl", limit=2)) == ["kb-9002", "kb-0003"]


def test_life_event_filter_returns_only_that_life_event():
    hits = search_articles("aanvragen", life_event="geboorte", limit=10)
    assert len(hits) >= 5
    assert all("geboorte" in {le.slug for le in hit.article.life_events.all()} for hit in hits)
    assert search_articles("aanvragen", life_event="bestaat-niet") == []


def test_organisation_filter():
    hits = search_articles("aanvragen", organisation="svb", limit=10)
    assert hits and {hit.article.organisation.code for hit in hits} == {"svb"}


def test_drafts_are_never_returned():
    article = Article.objects.get(external_id="kb-0208")
    article_save(
        external_id=article.external_id,
        question=article.question,
        answer=article.answer,
        short_answer=article.short_answer,
        organisation=article.organisation,
        keywords=article.keywords,
        status=Article.Status.DRAFT,
    )
    assert "kb-0208" not in ids(search_articles("huurtoeslag aanvragen", limit=50))
    assert "kb-0208" not in ids(search_articles(article.question, limit=50))


def test_new_published_article_is_found_after_save():
    article_save(
        external_id="kb-9001",
        question="Hoe vraag ik een hondenpenning aan?",
        answer="De hondenpenning vraagt u aan bij de gemeente.",
        short_answer="Vraag de hondenpenning aan via Mijn Voorbeeldstad.",
        organisation=Article.objects.get(external_id="kb-0001").organisation,
        keywords=["hondenbelasting"],
        status=Article.Status.PUBLISHED,
    )
    assert ids(search_articles("hondenpenning", limit=1)) == ["kb-9001"]


def test_empty_and_stopword_only_queries_return_nothing():
    assert search_articles("") == []
    assert search_articles("ja hallo ik bel omdat") == []


def test_search_runs_in_a_constant_number_of_queries():
    search_articles("huurtoeslag")  # warm the vocabulary
    with CaptureQueriesContext(connection) as short:
        search_articles("huurtoeslag", limit=10)
    with CaptureQueriesContext(connection) as long:
        search_articles("ik ben verhuisd en wil mijn huurtoeslag en parkeervergunning en afvalpas regelen", limit=10)
    # PostgreSQL: the ranking query, then the articles with their organisation; SQLite ranks in process.
    expected = 2 if connection.vendor == "postgresql" else 1
    assert len(short) == len(long) == expected


def test_channel_chooses_the_short_answer_for_sms_and_phone():
    sms = search_articles("huurtoeslag stopzetten", channel="sms", limit=1)[0]
    web = search_articles("huurtoeslag stopzetten", channel="web", limit=1)[0]
    assert sms.article == web.article
    assert sms.answer_text == sms.article.short_answer and len(sms.answer_text) <= 160
    assert web.answer_text == web.article.answer


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm exists on PostgreSQL only")
def test_trigram_similarity_ranks_questions_that_look_alike():
    from lifeevents.search.engine import _rank_trigram

    ranked = _rank_trigram("hoe vraag ik een parkeervergunnig voor bewonrs aan", None, None, 3)
    top = Article.objects.get(pk=ranked[0][0])
    assert top.external_id == "kb-0007"


@pytest.mark.parametrize(
    ("query", "life_event"),
    [
        ("mijn vader is overleden, wat moet ik regelen", "overlijden"),
        ("ik ben mijn baan kwijt en wil ww", "werkloos"),
        ("we gaan verhuizen naar een andere wijk", "verhuizen"),
    ],
)
def test_life_events_for_query_classifies_the_question(query, life_event):
    from lifeevents.selectors import life_events_for_query

    ranked = life_events_for_query(query)
    assert ranked[0][0].slug == life_event
    assert len(ranked) <= 3 and ranked[0][1] >= ranked[-1][1]


def test_vocabulary_is_rebuilt_only_when_the_data_changed(monkeypatch):
    from lifeevents.search import index

    first = index.get_vocabulary()
    assert index.get_vocabulary() is first
    # After the local TTL an unchanged fingerprint keeps the vocabulary ...
    monkeypatch.setattr(index, "LOCAL_TTL_SECONDS", 0)
    assert index.get_vocabulary() is first
    # ... and a change made where this process's cache did not hear of it is picked up.
    Article.objects.filter(external_id="kb-0001").update(status=Article.Status.DRAFT)
    assert index.get_vocabulary() is not first
    assert "kb-0001" not in ids(search_articles("verhuizing doorgeven", limit=10))
