"""The citizen's own pages: a simulated DigiD in the demo only, my cases (never another's), a new
phone number by code, consents withdrawn and granted, and who looked at my data, each read logged
as self service."""

import pytest

from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry import verification
from contactcentre.registry.models import Consent, DigitalAddress, VerificationMessage
from contactcentre.registry.services import data_source_rules_seed
from tests.casemanagement.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db

PAGES = [
    "/mijn/",
    "/mijn/gegevens/",
    "/mijn/gegevens/controle/",
    "/mijn/toestemmingen/",
    "/mijn/inzage/",
    "/mijn/vraag/",
]


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True


def _sign_in(client, person):
    response = client.post("/mijn/inloggen/", {"person": person.pk})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("path", PAGES)
def test_every_own_page_sends_an_anonymous_visitor_to_sign_in(client, path):
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, f"/mijn/inloggen/?next={path}")


def test_staff_are_no_citizens(client, user_with_role):
    _http, user = user_with_role("agent")
    client.force_login(user)
    assert client.get("/mijn/")["Location"].startswith("/mijn/inloggen/")


def test_the_simulated_digid_exists_only_in_the_demo(client, settings):
    settings.DEMO_MODE = False
    person = PersonFactory()
    assert client.get("/mijn/inloggen/").status_code == 503
    assert client.post("/mijn/inloggen/", {"person": person.pk}).status_code == 503
    assert client.get("/mijn/").status_code == 302


def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(client, demo):
    person = PersonFactory()
    assert client.post("/mijn/inloggen/", {"person": person.pk, "next": "/mijn/inzage/"})["Location"] == "/mijn/inzage/"
    client.post("/mijn/uitloggen/")
    assert _sign_in_to(client, person, "https://evil.example/") == "/mijn/"


def _sign_in_to(client, person, target):
    return client.post("/mijn/inloggen/", {"person": person.pk, "next": target})["Location"]


def test_my_cases_show_mine_only_and_the_read_is_logged_as_self_service(client, demo):
    me, other = PersonFactory(), PersonFactory()
    mine = make_case(party=me, reference="ZAAK-MIJN-1")
    make_case(party=other, reference="ZAAK-ANDER-1")
    _sign_in(client, me)
    html = client.get("/mijn/").content.decode()
    assert "ZAAK-MIJN-1" in html and "ZAAK-ANDER-1" not in html
    assert mine.case_type.name in html
    record = ProcessingRecord.objects.filter(object_type="case", actor_type="citizen").get()
    assert (record.purpose, record.actor_type, record.subject) == ("self_service", "citizen", subject_pseudonym(me.pk))


def test_a_new_phone_number_is_changed_only_with_the_right_code(client, demo):
    data_source_rules_seed()
    me = PersonFactory()
    _sign_in(client, me)
    response = client.post("/mijn/gegevens/", {"attribute": "phone", "value": "06 12345678"})
    assert response["Location"] == "/mijn/gegevens/controle/"
    message = VerificationMessage.objects.get()
    code = verification.code_from_seed(message.code_seed)

    wrong = client.post("/mijn/gegevens/controle/", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not DigitalAddress.objects.filter(party=me, value="+31612345678").exists()

    assert client.post("/mijn/gegevens/controle/", {"code": code})["Location"] == "/mijn/gegevens/"
    assert DigitalAddress.objects.get(party=me, value="+31612345678").verified_at is not None
    assert "Gelukt: uw gegevens zijn gewijzigd." in client.get("/mijn/gegevens/").content.decode()


def test_a_bad_phone_number_is_explained_and_nothing_is_sent(client, demo):
    data_source_rules_seed()
    _sign_in(client, PersonFactory())
    response = client.post("/mijn/gegevens/", {"attribute": "phone", "value": "bel me maar"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert VerificationMessage.objects.count() == 0


def test_only_phone_and_email_are_changed_here(client, demo):
    _sign_in(client, PersonFactory())
    assert client.post("/mijn/gegevens/", {"attribute": "iban", "value": "NL91ABNA0417164300"}).status_code == 405


def test_withdraw_and_grant_a_consent(client, demo):
    me = PersonFactory()
    _sign_in(client, me)
    client.post("/mijn/toestemmingen/", {"purpose": "sms_notifications", "granted": "no"})
    assert Consent.objects.get(party=me, purpose="sms_notifications").granted is False
    client.post("/mijn/toestemmingen/", {"purpose": "sms_notifications", "granted": "yes"})
    assert Consent.objects.filter(party=me, purpose="sms_notifications").latest("id").granted is True
    client.post("/mijn/toestemmingen/", {"purpose": "made_up", "granted": "yes"})
    assert not Consent.objects.filter(purpose="made_up").exists()


def test_who_looked_at_my_data_in_plain_dutch_and_only_mine(client, demo, user_with_role):
    me, other = PersonFactory(), PersonFactory()
    make_case(party=other, reference="ZAAK-ANDER-2")
    _sign_in(client, other)
    client.get("/mijn/")  # a self-service read of the other person's cases
    client.post("/mijn/uitloggen/")
    _sign_in(client, me)
    client.get("/mijn/gegevens/")
    html = client.get("/mijn/inzage/").content.decode()
    assert "Burger zelf" in html and "Inzien: uw persoonsgegevens" in html
    assert "Burger bekijkt of wijzigt eigen gegevens" in html
    assert "uw zaken" not in html  # the other person's case read is theirs, not mine


@pytest.mark.parametrize("chosen", ["١٢", "9" * 40, "", "abc", "-1"])
def test_an_odd_person_id_signs_nobody_in(client, demo, chosen):
    PersonFactory.create_batch(2)
    response = client.post("/mijn/inloggen/", {"person": chosen})
    assert response.status_code == 200  # the form again, with the error
    assert client.get("/mijn/").status_code == 302


def test_a_question_the_search_did_not_answer_goes_to_an_agent_as_a_web_question(client, demo):
    from contactcentre.interactions.models import ContactMoment, WorkItem

    me = PersonFactory()
    _sign_in(client, me)
    searched = client.get("/mijn/vraag/", {"q": "Mag ik mijn schuur als werkplaats gebruiken?"})
    assert searched.status_code == 200
    assert "Niet gevonden wat u zocht?" in searched.content.decode()

    response = client.post("/mijn/vraag/", {"question": "  Mag ik mijn schuur als werkplaats gebruiken?  "})
    assert response["Location"] == "/mijn/"
    contact = ContactMoment.objects.get(party=me)
    assert (contact.channel, contact.assurance, contact.identified_by, contact.question) == (
        "web",
        "substantial",
        "digid",
        "Mag ik mijn schuur als werkplaats gebruiken?",
    )
    item = WorkItem.objects.get()
    assert (item.queue.code, item.kind, item.party_id, item.contact_moment_id) == ("web", "web", me.pk, contact.pk)
    assert f"V{contact.pk}" in client.get("/mijn/").content.decode()


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001])
def test_an_empty_or_overlong_question_is_refused_and_nothing_recorded(client, demo, question):
    from contactcentre.interactions.models import ContactMoment, WorkItem

    _sign_in(client, PersonFactory())
    response = client.post("/mijn/vraag/", {"question": question})
    assert response.status_code == 400
    assert ContactMoment.objects.count() == WorkItem.objects.count() == 0
