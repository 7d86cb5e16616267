"""The kennisbank import: idempotent, versions only on change, all-or-nothing refusals naming the article."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from contactcentre import kennisbank
from contactcentre.errors import ValidationFailed
from contactcentre.registry.services import organisations_import
from lifeevents.models import Article, ArticleVersion, LifeEvent
from lifeevents.services import kennisbank_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_kb(tmp_path):
    """A copy of the kennisbank with the first 12 articles, to edit per test."""
    organisations_import(rows=kennisbank.load("organisations"))
    shutil.copy(kennisbank.KENNISBANK_DIR / "life_events.json", tmp_path / "life_events.json")
    articles = kennisbank.load("articles")[:12]
    (tmp_path / "articles.json").write_text(json.dumps(articles), encoding="utf-8")
    return tmp_path


def _write_articles(directory, articles):
    (directory / "articles.json").write_text(json.dumps(articles), encoding="utf-8")


def _articles(directory):
    return json.loads((directory / "articles.json").read_text(encoding="utf-8"))


def test_import_creates_life_events_and_published_articles(small_kb):
    counts = kennisbank_import(directory=small_kb)
    assert counts == {"life_events": 14, "articles_created": 12, "articles_updated": 0, "articles_unchanged": 0}
    article = Article.objects.get(external_id="kb-0001")
    assert article.status == Article.Status.PUBLISHED
    assert article.organisation.code == "gem-voorbeeldstad"
    assert [le.slug for le in article.life_events.all()] == ["verhuizen"]
    assert article.version == 1 and article.versions.count() == 1
    assert article.search_a  # indexed
    verhuizen = LifeEvent.objects.get(slug="verhuizen")
    assert verhuizen.base_data_attributes == ["correspondence_address", "phone", "email", "preferred_channel"]
    assert set(verhuizen.organisations.values_list("code", flat=True)) == {
        "gem-voorbeeldstad",
        "toeslagen",
        "woonstede",
        "belastingdienst",
        "svb",
    }


def test_reimport_is_idempotent(small_kb):
    kennisbank_import(directory=small_kb)
    before = list(Article.objects.values_list("external_id", "version", "updated_at", "search_a"))
    counts = kennisbank_import(directory=small_kb)
    assert counts == {"life_events": 14, "articles_created": 0, "articles_updated": 0, "articles_unchanged": 12}
    assert list(Article.objects.values_list("external_id", "version", "updated_at", "search_a")) == before
    assert ArticleVersion.objects.count() == 12


def test_reimport_of_a_changed_article_adds_a_version(small_kb):
    kennisbank_import(directory=small_kb)
    articles = _articles(small_kb)
    articles[0]["short_answer"] = "Geef uw verhuizing door via Mijn Voorbeeldstad."
    _write_articles(small_kb, articles)
    counts = kennisbank_import(directory=small_kb)
    assert counts["articles_updated"] == 1 and counts["articles_unchanged"] == 11
    article = Article.objects.get(external_id="kb-0001")
    assert article.version == 2
    assert [v.version for v in article.versions.all()] == [2, 1]
    assert article.versions.get(version=1).short_answer.startswith("Geef uw verhuizing gratis door")
    assert Article.objects.get(external_id="kb-0002").version == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.update(life_events=["verhuizen", "ruimtereis"]), "kb-0005 noemt onbekende levensgebeurtenis"),
        (lambda a: a.update(organisation="ministerie-van-magie"), "kb-0005 noemt onbekende organisatie"),
        (lambda a: a.pop("question"), "kb-0005 mist veld(en): question"),
        (lambda a: a.update(short_answer="x" * 161), "kb-0005 is ongeldig"),
    ],
)
def test_a_bad_file_is_refused_naming_the_article_and_nothing_is_written(small_kb, change, message):
    articles = _articles(small_kb)
    change(articles[4])
    _write_articles(small_kb, articles)
    with pytest.raises(ValidationFailed) as refused:
        kennisbank_import(directory=small_kb)
    assert message in refused.value.message
    assert Article.objects.count() == 0
    assert LifeEvent.objects.count() == 0


def test_a_refused_reimport_leaves_the_previous_import_untouched(small_kb):
    kennisbank_import(directory=small_kb)
    articles = _articles(small_kb)
    articles[0]["question"] = "Gewijzigde vraag?"
    articles[11]["short_answer"] = "y" * 200
    _write_articles(small_kb, articles)
    with pytest.raises(ValidationFailed, match="kb-0012"):
        kennisbank_import(directory=small_kb)
    article = Article.objects.get(external_id="kb-0001")
    assert article.question == "Hoe geef ik mijn verhuizing door aan de gemeente?"
    assert article.version == 1


def test_short_answer_error_names_the_field(small_kb):
    articles = _articles(small_kb)
    articles[2]["short_answer"] = "z" * 170
    _write_articles(small_kb, articles)
    with pytest.raises(ValidationFailed) as refused:
        kennisbank_import(directory=small_kb)
    assert refused.value.field_errors == {"short_answer": ["Kort antwoord is 170 tekens; hoogstens 160."]}


def test_management_command_imports_and_reports_errors(small_kb, capsys):
    call_command("import_kennisbank", str(small_kb))
    assert "articles_created=12" in capsys.readouterr().out
    articles = _articles(small_kb)
    articles[1]["organisation"] = "onbekend"
    _write_articles(small_kb, articles)
    with pytest.raises(CommandError, match="kb-0002"):
        call_command("import_kennisbank", str(small_kb))


def test_demo_seed_imports_the_shipped_kennisbank():
    from lifeevents import demo

    organisations_import(rows=kennisbank.load("organisations"))
    lines = demo.seed()
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 251
    assert LifeEvent.objects.count() == 14
    assert lines == ["Kennisbank: 14 levensgebeurtenissen, 251 nieuwe en 0 gewijzigde artikelen."]
    assert demo.seed() == ["Kennisbank: 14 levensgebeurtenissen, 0 nieuwe en 0 gewijzigde artikelen."]
