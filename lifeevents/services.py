"""Writes for life events and the knowledge base: articles with version history, the kennisbank
import, feedback, and keeping the search index current."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from contactcentre.errors import NotFound, ValidationFailed
from contactcentre.registry.models import Organisation
from lifeevents.models import SHORT_ANSWER_MAX, Article, ArticleFeedback, ArticleVersion, LifeEvent, PageFeedback
from lifeevents.search import index

CONTENT_FIELDS = ("question", "answer", "short_answer", "keywords", "synonyms", "status")


# -------------------------------------------------------------------------------------------- articles


def _validate_article(*, question: str, answer: str, short_answer: str, label: str) -> None:
    errors: dict[str, list[str]] = {}
    if not (question or "").strip():
        errors["question"] = [_("Vraag is verplicht.")]
    if not (answer or "").strip():
        errors["answer"] = [_("Antwoord is verplicht.")]
    if not (short_answer or "").strip():
        errors["short_answer"] = [_("Kort antwoord is verplicht.")]
    elif len(short_answer) > SHORT_ANSWER_MAX:
        errors["short_answer"] = [
            _("Kort antwoord is %(n)d tekens; hoogstens %(max)d.") % {"n": len(short_answer), "max": SHORT_ANSWER_MAX}
        ]
    if errors:
        raise ValidationFailed(_("Artikel %(label)s is ongeldig.") % {"label": label}, field_errors=errors)


def _snapshot(article: Article, changed_by) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article,
        version=article.version,
        question=article.question,
        answer=article.answer,
        short_answer=article.short_answer,
        keywords=list(article.keywords),
        synonyms=list(article.synonyms),
        status=article.status,
        changed_by=changed_by,
    )


@transaction.atomic
def article_save(
    *,
    external_id: str,
    question: str,
    answer: str,
    short_answer: str,
    organisation: Organisation,
    life_events: list[LifeEvent] | None = None,
    keywords: list[str] | None = None,
    synonyms: list[str] | None = None,
    status: str = Article.Status.DRAFT,
    review_by: datetime.date | None = None,
    changed_by=None,
    reindex: bool = True,
) -> tuple[Article, bool]:
    """Create or update an article by external id. Returns (article, content_changed); a version is
    added to the history only when the content changed."""
    _validate_article(question=question, answer=answer, short_answer=short_answer, label=external_id)
    if status not in Article.Status.values:
        raise ValidationFailed(field_errors={"status": [_("Onbekende status.")]})
    values = {
        "question": question.strip(),
        "answer": answer.strip(),
        "short_answer": short_answer.strip(),
        "keywords": [k.strip() for k in (keywords or []) if k.strip()],
        "synonyms": [s.strip() for s in (synonyms or []) if s.strip()],
        "status": status,
    }
    article = Article.objects.select_for_update().filter(external_id=external_id).first()
    created = article is None
    if created:
        article = Article(external_id=external_id, organisation=organisation, review_by=review_by, **values)
        changed = True
    else:
        changed = any(getattr(article, name) != value for name, value in values.items())
        meta_changed = article.organisation_id != organisation.pk or article.review_by != review_by
        for name, value in values.items():
            setattr(article, name, value)
        article.organisation = organisation
        article.review_by = review_by
        if changed:
            article.version += 1
        if not (changed or meta_changed):
            if life_events is not None:
                _set_life_events(article, life_events)
            return article, False
    article.save()
    if life_events is not None:
        _set_life_events(article, life_events)
    if changed:
        _snapshot(article, changed_by)
        if reindex:
            article_reindex(article=article)
    return article, changed


def _set_life_events(article: Article, life_events: list[LifeEvent]) -> None:
    wanted = {le.pk for le in life_events}
    if set(article.life_events.values_list("pk", flat=True)) != wanted:
        article.life_events.set(wanted)
        index.index_invalidate()


def article_reindex(*, article: Article, lexicon: frozenset[str] | None = None) -> None:
    """Recompute the article's analysed search terms (the lexicon of the current index by default)."""
    if lexicon is None:
        lexicon = index.get_vocabulary().lexicon | index.lexicon_for([article])
    article.search_a, article.search_b, article.search_c = index.article_terms(article, lexicon)
    Article.objects.filter(pk=article.pk).update(
        search_a=article.search_a, search_b=article.search_b, search_c=article.search_c
    )
    transaction.on_commit(index.index_invalidate)
    index.index_invalidate()


@transaction.atomic
def search_reindex_all() -> int:
    """Re-analyse every article against the lexicon of the whole corpus (after an import)."""
    articles = list(Article.objects.all())
    lexicon = index.lexicon_for(articles)
    for article in articles:
        article.search_a, article.search_b, article.search_c = index.article_terms(article, lexicon)
    Article.objects.bulk_update(articles, ["search_a", "search_b", "search_c"], batch_size=500)
    transaction.on_commit(index.index_invalidate)
    index.index_invalidate()
    return len(articles)


# ------------------------------------------------------------------------------------------- import

LIFE_EVENT_FIELDS = ("slug", "name", "description", "organisations")
ARTICLE_FIELDS = ("id", "question", "answer", "short_answer", "life_events", "organisation", "keywords")


def _load_json(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValidationFailed(_("Bestand %(path)s ontbreekt.") % {"path": path.name}) from exc
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            _("Bestand %(path)s is geen geldige JSON: %(err)s") % {"path": path.name, "err": exc}
        ) from exc
    if not isinstance(data, list):
        raise ValidationFailed(_("Bestand %(path)s moet een lijst bevatten.") % {"path": path.name})
    return data


def _check_import(life_events: list[dict], articles: list[dict]) -> None:
    """Refuse the whole file on the first problem, naming the life event or article."""
    org_codes = set(Organisation.objects.values_list("code", flat=True))
    slugs = set(LifeEvent.objects.values_list("slug", flat=True))
    for row in life_events:
        label = row.get("slug") or "?"
        missing = [name for name in LIFE_EVENT_FIELDS if name not in row]
        if missing:
            raise ValidationFailed(
                _("Levensgebeurtenis %(label)s mist veld(en): %(fields)s")
                % {"label": label, "fields": ", ".join(missing)}
            )
        unknown = sorted(set(row["organisations"]) - org_codes)
        if unknown:
            raise ValidationFailed(
                _("Levensgebeurtenis %(label)s noemt onbekende organisatie(s): %(codes)s")
                % {"label": label, "codes": ", ".join(unknown)}
            )
        slugs.add(row["slug"])
    seen: set[str] = set()
    for row in articles:
        label = row.get("id") or "?"
        missing = [name for name in ARTICLE_FIELDS if name not in row or row[name] in (None, "")]
        if missing:
            raise ValidationFailed(
                _("Artikel %(label)s mist veld(en): %(fields)s") % {"label": label, "fields": ", ".join(missing)}
            )
        if label in seen:
            raise ValidationFailed(_("Artikel %(label)s komt twee keer voor.") % {"label": label})
        seen.add(label)
        if row["organisation"] not in org_codes:
            raise ValidationFailed(
                _("Artikel %(label)s noemt onbekende organisatie %(code)s")
                % {"label": label, "code": row["organisation"]}
            )
        unknown = sorted(set(row["life_events"]) - slugs)
        if unknown:
            raise ValidationFailed(
                _("Artikel %(label)s noemt onbekende levensgebeurtenis(sen): %(slugs)s")
                % {"label": label, "slugs": ", ".join(unknown)}
            )
        _validate_article(question=row["question"], answer=row["answer"], short_answer=row["short_answer"], label=label)


@transaction.atomic
def kennisbank_import(*, directory: Path | str, changed_by=None) -> dict[str, int]:
    """Import life_events.json and articles.json from `directory` as published content.

    Idempotent: unchanged articles are left alone, changed ones get a new version. A file with any
    error is refused as a whole (ValidationFailed naming the article) and nothing is written.
    """
    directory = Path(directory)
    life_event_rows = _load_json(directory / "life_events.json")
    article_rows = _load_json(directory / "articles.json")
    _check_import(life_event_rows, article_rows)

    orgs = {org.code: org for org in Organisation.objects.all()}
    counts = {"life_events": 0, "articles_created": 0, "articles_updated": 0, "articles_unchanged": 0}
    for position, row in enumerate(life_event_rows):
        life_event, _created = LifeEvent.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "ordering": position,
                "base_data_attributes": list(row.get("base_data", [])),
            },
        )
        life_event.organisations.set([orgs[code] for code in row["organisations"]])
        counts["life_events"] += 1

    life_events = {le.slug: le for le in LifeEvent.objects.all()}
    existing = set(Article.objects.values_list("external_id", flat=True))
    any_changed = False
    for row in article_rows:
        _article, changed = article_save(
            external_id=row["id"],
            question=row["question"],
            answer=row["answer"],
            short_answer=row["short_answer"],
            organisation=orgs[row["organisation"]],
            life_events=[life_events[slug] for slug in row["life_events"]],
            keywords=list(row.get("keywords", [])),
            synonyms=list(row.get("synonyms", [])),
            status=row.get("status", Article.Status.PUBLISHED),
            review_by=datetime.date.fromisoformat(row["review_by"]) if row.get("review_by") else None,
            changed_by=changed_by,
            reindex=False,
        )
        if row["id"] not in existing:
            counts["articles_created"] += 1
        elif changed:
            counts["articles_updated"] += 1
        else:
            counts["articles_unchanged"] += 1
        any_changed = any_changed or changed
    if any_changed:
        search_reindex_all()
    return counts


# ------------------------------------------------------------------------------------------ feedback

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers (06-12345678, +31 6 1234 5678, 020 123 4567) and BSN-like runs of 8-9 digits.
_PHONE = re.compile(r"(?:\+|00)?\d[\d\s().-]{7,}\d")
_LONG_NUMBER = re.compile(r"\b\d{8,}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?(?:[A-Z0-9]{4}\s?){2,7}[A-Z0-9]{1,4}\b", re.IGNORECASE)
REDACTED = "[verwijderd]"


def redact_personal_data(text: str) -> str:
    """Strip e-mail addresses, IBANs, phone numbers and BSN-like numbers from free text."""
    text = _EMAIL.sub(REDACTED, text)
    text = _IBAN.sub(REDACTED, text)
    text = _PHONE.sub(lambda m: REDACTED if sum(c.isdigit() for c in m.group()) >= 8 else m.group(), text)
    return _LONG_NUMBER.sub(REDACTED, text)


@transaction.atomic
def article_feedback_create(
    *, article: Article, helpful: bool, comment: str = "", channel: str = ArticleFeedback.Channel.WEB
) -> ArticleFeedback:
    """Record whether an answer helped. Comments are stored without personal data."""
    if article.status != Article.Status.PUBLISHED:
        raise NotFound(_("Artikel niet gevonden."))
    if channel not in ArticleFeedback.Channel.values:
        raise ValidationFailed(field_errors={"channel": [_("Onbekend kanaal.")]})
    comment = redact_personal_data((comment or "").strip())[:1000]
    return ArticleFeedback.objects.create(article=article, helpful=helpful, comment=comment, channel=channel)


def page_feedback_create(*, path: str, helpful: bool, comment: str = "") -> PageFeedback:
    """Record whether a page helped. The comment belongs to a "no" (what was missing) and is stored
    without personal data; one over the limit is refused rather than cut short."""
    if not path.startswith("/") or len(path) > PageFeedback.PATH_MAX:
        raise ValidationFailed(field_errors={"next": [_("Onbekende pagina.")]})
    comment = (comment or "").strip() if not helpful else ""
    if len(comment) > PageFeedback.COMMENT_MAX:
        raise ValidationFailed(
            field_errors={
                "comment": [
                    _("Uw toelichting is %(n)d tekens; gebruik er hoogstens %(max)d.")
                    % {"n": len(comment), "max": PageFeedback.COMMENT_MAX}
                ]
            }
        )
    return PageFeedback.objects.create(path=path, helpful=helpful, comment=redact_personal_data(comment))
