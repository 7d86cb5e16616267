"""Opening a contact by hand and finding its person: by POST only, the search logged with the new
contact as its purpose; one match identifies, several give a choice, none leaves it anonymous."""

import datetime

import pytest

from contactcentre.api import roles
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import PersonFactory, make_case
from tests.console.contact_support import PHONE, action_url, contact_of, person_with_phone, signed_in

pytestmark = pytest.mark.django_db
NEW = "/medewerker/contacten/nieuw/"


def test_a_phone_number_opens_the_contact_with_its_one_person(client):
    agent = signed_in(client, roles.AGENT)
    person = person_with_phone()

    response = client.post(NEW, {"channel": "phone", "question": "Waar blijft mijn toeslag?", "phone": "06 12345678"})

    contact = ContactMoment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/medewerker/contacten/{contact.pk}/"
    assert (contact.party_id, contact.agent_id, contact.channel) == (person.pk, agent.pk, "phone")
    assert (contact.identified_by, contact.assurance, contact.question) == ("phone", "low", "Waar blijft mijn toeslag?")
    search = ProcessingRecord.objects.get(action="search", object_type="party")
    assert (search.purpose, search.purpose_reference) == ("contact", str(contact.pk))


def test_a_bsn_never_goes_into_a_url(client):
    signed_in(client, roles.COUNTER_CLERK)
    person = PersonFactory()

    response = client.post(NEW, {"channel": "counter", "bsn": person.bsn})

    assert person.bsn not in response["Location"]
    assert ContactMoment.objects.get().party_id == person.pk
    assert client.get(NEW + f"?bsn={person.bsn}").status_code == 200  # a GET only shows the form
    assert ContactMoment.objects.count() == 1


def test_searches_by_bsn_stop_at_the_apis_rate_with_a_429_page(client):
    from contactcentre.console.contacts import _BsnSearchRate

    signed_in(client, roles.AGENT)
    limit = _BsnSearchRate().num_requests
    for _ in range(limit):
        assert client.post(NEW, {"channel": "phone", "bsn": "111222333"}).status_code == 302
    assert client.post(NEW, {"channel": "phone", "phone": PHONE}).status_code == 302  # not by BSN: not counted

    refused = client.post(NEW, {"channel": "phone", "bsn": "111222333"})

    assert refused.status_code == 429 and "Te veel zoekopdrachten op BSN" in refused.content.decode()
    assert ContactMoment.objects.count() == limit + 1  # the refused search opened nothing


def test_several_matches_give_a_choice_and_the_choice_identifies(client):
    signed_in(client, roles.AGENT)
    first, second = person_with_phone(surname="Bakker"), person_with_phone(surname="Visser")

    response = client.post(NEW, {"channel": "phone", "phone": PHONE})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kies de persoon" in page and first.display_name in page and second.display_name in page
    contact = ContactMoment.objects.get()
    assert contact.party_id is None
    searches = ProcessingRecord.objects.filter(action="search", object_type="party", purpose_reference=str(contact.pk))
    assert searches.count() == 2  # one record per person the search showed

    chosen = client.post(action_url("identify", contact), {"phone": PHONE, "party": second.pk})

    assert chosen.status_code == 302
    contact.refresh_from_db()
    assert (contact.party_id, contact.identified_by) == (second.pk, "phone")


def test_a_party_that_the_search_did_not_find_cannot_be_chosen(client):
    agent = signed_in(client, roles.AGENT)
    person_with_phone(), person_with_phone()
    stranger = PersonFactory()
    contact = contact_of(agent)

    client.post(action_url("identify", contact), {"phone": PHONE, "party": stranger.pk})

    contact.refresh_from_db()
    assert contact.party_id is None


def test_name_and_date_of_birth_find_the_person(client):
    signed_in(client, roles.AGENT)
    person = PersonFactory(surname="Yilmaz", date_of_birth=datetime.date(1980, 5, 17))

    client.post(NEW, {"channel": "phone", "surname": "yilmaz", "date_of_birth": "1980-05-17"})

    contact = ContactMoment.objects.get()
    assert (contact.party_id, contact.identified_by) == (person.pk, "agent")


def test_a_case_reference_finds_its_person(client):
    signed_in(client, roles.AGENT)
    case = make_case(reference="ZAAK-2026-0777")

    client.post(NEW, {"channel": "phone", "case_reference": "ZAAK-2026-0777"})

    assert ContactMoment.objects.get().party_id == case.party_id


def test_nobody_found_says_so_and_the_contact_stays_anonymous(client):
    signed_in(client, roles.AGENT)

    response = client.post(NEW, {"channel": "phone", "phone": "0687654321"}, follow=True)

    assert "Niemand gevonden met dit gegeven" in response.content.decode()
    assert ContactMoment.objects.get().party_id is None


def test_bad_input_is_shown_on_the_form_and_opens_nothing(client):
    signed_in(client, roles.AGENT)

    malformed = client.post(NEW, {"channel": "phone", "bsn": "123456789"})
    two = client.post(NEW, {"channel": "phone", "phone": PHONE, "email": "a@voorbeeld.nl"})
    channel = client.post(NEW, {"channel": "telepathie"})

    assert malformed.status_code == two.status_code == channel.status_code == 400
    assert "Dit nummer of adres is niet geldig." in malformed.content.decode()
    assert "Vul één zoekgegeven in" in two.content.decode()
    assert not ContactMoment.objects.exists()


def test_identifying_is_only_for_who_handles_the_contact(client):
    other = signed_in(client, roles.AGENT, username="collega")
    contact = contact_of(other)
    person_with_phone()
    signed_in(client, roles.AGENT, username="ik")

    response = client.post(action_url("identify", contact), {"phone": PHONE})

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.party_id is None
    assert not ProcessingRecord.objects.filter(action="search").exists()


@pytest.mark.parametrize("role", [roles.POST_ROOM, roles.FUNCTIONAL_ADMIN])
def test_roles_without_contacts_are_refused(client, role):
    signed_in(client, role)

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"channel": "phone"}).status_code == 403
    assert not ContactMoment.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(NEW)["Location"].startswith("/aanmelden/")


@pytest.mark.parametrize("role", [roles.AGENT, roles.COUNTER_CLERK, roles.SUPERVISOR])
def test_the_menu_offers_a_new_contact_to_who_handles_contacts(client, role):
    signed_in(client, role)

    assert 'href="/medewerker/contacten/nieuw/"' in client.get("/medewerker/").content.decode()


def test_a_malformed_search_in_the_workspace_is_said_plainly(client):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)

    response = client.post(action_url("identify", contact), {"phone": "12"}, follow=True)

    page = response.content.decode()
    assert 'class="message-error"' in page and "Kies een van de gevonden personen" not in page
    contact.refresh_from_db()
    assert contact.party_id is None
