"""Questions by SMS against the shipped knowledge base: a confident search answers with the article's short
answer (and its public page when configured); otherwise an agent gets the question in the "sms" queue."""

import pytest

from channels_app.sms.text import sms_text
from contactcentre.interactions.models import ContactMoment, WorkItem
from lifeevents.models import Article
from lifeevents.search import search_articles
from lifeevents.search.confidence import confident_hit
from tests.channels_app.sms_helpers import BASE, TOKEN, messages, sms_params, sms_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kb")]

QUEUED = "Bedankt voor uw vraag. Een medewerker stuurt u zo snel mogelijk een antwoord."


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN, settings.TWILIO_WEBHOOK_BASE_URL = TOKEN, BASE
    settings.PUBLIC_SITE_URL = ""


def test_a_confident_question_is_answered_with_the_short_answer_and_the_contact_closed(client):
    article = Article.objects.get(external_id="kb-0152")
    response = sms_post(client, sms_params("btw terugvragen kleine ondernemer", sender="+31687654321"))

    assert messages(response) == [sms_text(article.short_answer)]
    contact = ContactMoment.objects.get()
    assert (contact.outcome, contact.answer, contact.party_id) == ("answered", sms_text(article.short_answer), None)
    assert list(contact.articles.values_list("external_id", flat=True)) == ["kb-0152"]
    assert WorkItem.objects.count() == 0


def test_the_answer_links_the_public_article_page_when_configured(client, settings):
    settings.PUBLIC_SITE_URL = "https://www.voorbeeldstad.nl/"
    article = Article.objects.get(external_id="kb-0152")
    reply = messages(sms_post(client, sms_params("btw terugvragen kleine ondernemer")))
    assert reply == [f"{sms_text(article.short_answer)} Meer: https://www.voorbeeldstad.nl/antwoorden/kb-0152/"]


@pytest.mark.parametrize("body", ["hallo", "wat is het weer morgen", "kvk inschrijving kosten"])
def test_an_unconfident_question_goes_to_an_agent(client, body):
    assert messages(sms_post(client, sms_params(body))) == [QUEUED]
    item = WorkItem.objects.get()
    assert (item.queue.code, item.contact_moment.question) == ("sms", body)


def test_confidence_needs_two_concepts_and_a_clear_lead():
    assert confident_hit("digid", search_articles("digid", channel="sms", limit=3)) is None  # one concept
    assert confident_hit("x", []) is None
    best = confident_hit("digid inlog vergeten", search_articles("digid inlog vergeten", channel="sms", limit=3))
    assert best is not None and best.article.external_id in {"kb-0231", "kb-0232"}
