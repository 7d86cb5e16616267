"""Knowledge search beside the customer view, and "Dit beantwoordde de vraag": the article (and its
life event) linked to the contact at hand."""

import pytest
from django.utils import timezone

from contactcentre.api import roles
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from lifeevents.models import Article
from tests.console.contact_support import HTMX, action_url, contact_of, person_with_phone, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(kb):
    return Article.objects.filter(status="published", life_events__slug="verhuizen").order_by("external_id").first()


def test_the_search_answers_with_articles_to_use(client, kb):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent, person_with_phone())

    response = client.get(action_url("knowledge", contact), {"q": "verhuizen adres doorgeven"}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200 and "artikelen gevonden" in page
    assert page.count("Dit beantwoordde de vraag") >= 3
    assert "<html" not in page  # the results only, for htmx to swap in


def test_a_search_too_long_is_refused_with_a_message(client, kb):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)

    response = client.get(action_url("knowledge", contact), {"q": "verhuizen " * 60}, **HTMX)

    assert "De zoekvraag is te lang" in response.content.decode()


def test_this_answered_it_links_the_article_and_its_life_event(client, article):
    agent = signed_in(client, roles.AGENT)
    person = person_with_phone()
    contact = contact_of(agent, person)

    response = client.post(action_url("knowledge-link", contact), {"article": article.external_id}, **HTMX)

    contact.refresh_from_db()
    assert list(contact.articles.all()) == [article]
    assert contact.life_event.slug == "verhuizen"
    assert contact.ended_at is None  # the outcome is registered next, by the agent
    page = response.content.decode()
    assert "Gekoppeld aan dit contact" in page and 'hx-swap-oob="true"' in page
    assert '<option value="answered" selected>' in page
    log = ProcessingRecord.objects.filter(action="update", object_type="contact_moment").get()
    assert (log.purpose, log.purpose_reference) == ("contact", str(contact.pk))


def test_the_contacts_own_life_event_is_kept(client, article):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)
    other = article.life_events.model.objects.exclude(slug="verhuizen").first()
    ContactMoment.objects.filter(pk=contact.pk).update(life_event=other)

    client.post(action_url("knowledge-link", contact), {"article": article.external_id}, **HTMX)

    contact.refresh_from_db()
    assert contact.life_event == other and list(contact.articles.all()) == [article]


def test_an_unknown_or_unpublished_article_is_a_404(client, article):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)
    Article.objects.filter(pk=article.pk).update(status="draft")

    assert client.post(action_url("knowledge-link", contact), {"article": article.external_id}).status_code == 404
    assert client.post(action_url("knowledge-link", contact), {"article": "kb-bestaat-niet"}).status_code == 404
    assert not contact.articles.exists()


def test_another_agents_contact_is_a_404_and_nothing_is_linked(client, article):
    colleague = signed_in(client, roles.AGENT, username="collega")
    contact = contact_of(colleague)
    signed_in(client, roles.AGENT, username="ik")

    assert client.get(action_url("knowledge", contact), {"q": "verhuizen"}).status_code == 404
    assert client.post(action_url("knowledge-link", contact), {"article": article.external_id}).status_code == 404
    assert not contact.articles.exists()


def test_a_role_without_contacts_is_refused(client, article):
    contact = contact_of(signed_in(client, roles.AGENT, username="agent"))
    signed_in(client, roles.POST_ROOM)

    assert client.post(action_url("knowledge-link", contact), {"article": article.external_id}).status_code == 403
    assert not contact.articles.exists()


def test_a_closed_contact_is_not_changed(client, article):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)
    ContactMoment.objects.filter(pk=contact.pk).update(ended_at=timezone.now(), outcome="answered")

    response = client.post(action_url("knowledge-link", contact), {"article": article.external_id}, follow=True)

    assert "Dit contactmoment is al afgesloten." in response.content.decode()
    assert not contact.articles.exists()
