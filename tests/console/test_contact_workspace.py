"""The contact workspace: who may open it, the customer view it shows and the processing-log entry the
read leaves; its query count does not grow with the person's cases and contacts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre.api import roles
from contactcentre.interactions.models import Channel
from contactcentre.interactions.services import contact_moment_record
from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def _contact(agent, party):
    contact, _ = contact_moment_record(channel=Channel.PHONE, actor=staff(agent), party=party, agent=agent)
    return contact


def _signed_in(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    return user


def test_an_agent_sees_the_customer_view_of_the_contact_at_hand(client):
    agent = _signed_in(client, roles.AGENT)
    person = PersonFactory(given_names="Sanne", surname="de Vries")
    make_case(party=person, reference="ZAAK-2026-0100")
    contact = _contact(agent, person)

    response = client.get(f"/medewerker/contacten/{contact.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sanne de Vries" in page and "ZAAK-2026-0100" in page
    record = ProcessingRecord.objects.filter(object_type="customer_view").get()
    assert (record.purpose, record.purpose_reference) == ("contact", str(contact.pk))


def test_its_query_count_does_not_grow_with_cases_and_contacts(client):
    agent = _signed_in(client, roles.AGENT)
    person = PersonFactory()
    make_case(party=person)
    contact = _contact(agent, person)
    client.get(f"/medewerker/contacten/{contact.pk}/")  # the session's and permissions' caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(f"/medewerker/contacten/{contact.pk}/")
    for number in range(5):
        make_case(party=person, reference=f"ZAAK-2026-02{number:02d}")
        _contact(agent, person)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/medewerker/contacten/{contact.pk}/").status_code == 200
    assert len(many) == len(few)


def test_anonymous_is_sent_to_sign_in_and_a_role_without_it_is_refused(client):
    agent = UserFactory(role=roles.AGENT)
    contact = _contact(agent, PersonFactory())
    url = f"/medewerker/contacten/{contact.pk}/"

    assert client.get(url)["Location"].startswith("/aanmelden/?next=")
    _signed_in(client, roles.POST_ROOM)
    assert client.get(url).status_code == 403
    assert not ProcessingRecord.objects.filter(object_type="customer_view").exists()


def test_an_unknown_contact_is_a_plain_404(client):
    _signed_in(client, roles.AGENT)
    assert client.get("/medewerker/contacten/999999/").status_code == 404


def test_a_panel_refreshing_after_the_session_ended_sends_the_whole_page_to_sign_in(client):
    response = client.get(
        "/medewerker/contacten/1/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/balie/stadhuis/"},
    )
    assert (response.status_code, response["HX-Redirect"]) == (200, "/aanmelden/?next=/balie/stadhuis/")


def test_an_anonymous_contact_at_hand_offers_the_search_and_the_shortcuts(client):
    clerk = _signed_in(client, roles.COUNTER_CLERK)
    contact, _ = contact_moment_record(channel=Channel.COUNTER, actor=staff(clerk), agent=clerk)

    page = client.get(f"/medewerker/contacten/{contact.pk}/").content.decode()

    assert "Wie is het?" in page and f'action="/medewerker/contacten/{contact.pk}/persoon/"' in page
    assert "<kbd>Alt</kbd>+<kbd>Z</kbd>" in page and 'data-shortcut="z"' in page
    assert 'src="/static/console/keyboard.js"' in page and "<script>" not in page
    assert "Gegevens wijzigen" not in page  # nobody to change data of yet


def test_another_agents_contact_shows_no_actions(client):
    colleague = UserFactory(role=roles.AGENT)
    contact, _ = contact_moment_record(channel=Channel.PHONE, actor=staff(colleague), agent=colleague)
    _signed_in(client, roles.AGENT)

    page = client.get(f"/medewerker/contacten/{contact.pk}/").content.decode()

    assert "Kennisbank" not in page and "Contact afsluiten" not in page
