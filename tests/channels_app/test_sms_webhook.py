"""POST /twilio/sms/: signed requests for each path, with the TwiML asserted; refusals; one effect per MessageSid."""

from datetime import date

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from casemanagement.models import Confidentiality
from contactcentre.interactions.models import ContactMoment, WorkItem
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.models import Address, Consent, DigitalAddress
from tests.casemanagement.factories import PersonFactory, make_case
from tests.channels_app.conftest import PHONE
from tests.channels_app.sms_helpers import BASE, PATH, TOKEN, messages, sms_params, sms_post

pytestmark = pytest.mark.django_db

STOPPED = "U krijgt geen sms-berichten meer van ons. Stuur START om ze weer te krijgen."
STARTED = (
    "Aanmelding ontvangen. Is dit nummer bij ons bekend, dan krijgt u weer berichten per sms. Stuur STOP om te stoppen."
)
QUEUED = "Bedankt voor uw vraag. Een medewerker stuurt u zo snel mogelijk een antwoord."
HOW = "Stuur STATUS, uw zaaknummer en de 4 cijfers van uw postcode of uw geboortedatum (dd-mm-jjjj)."
NOT_FOUND = "Geen zaak gevonden met deze gegevens. Controleer het zaaknummer en uw postcode of geboortedatum."
LOCKED = "Te veel pogingen. Probeer het later opnieuw."


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN, settings.TWILIO_WEBHOOK_BASE_URL = TOKEN, BASE
    settings.PUBLIC_SITE_URL = ""


def _sid(n: int) -> str:
    return f"SM{n:032d}"


def _sms_consent(person) -> Consent:
    return Consent.objects.get(party=person, purpose=Consent.Purpose.SMS_NOTIFICATIONS)


# --- the signature ---------------------------------------------------------------------------------


def _signature(params):
    return RequestValidator(TOKEN).compute_signature(BASE + PATH, params)


@pytest.mark.parametrize(
    "send",
    [
        lambda c, p: sms_post(c, p, signature=""),  # missing
        lambda c, p: sms_post(c, p, signed_url=BASE + "/twilio/voice/"),  # signed for another URL
        lambda c, p: sms_post(c, p, signed_url="https://evil.example" + PATH),
        lambda c, p: sms_post(c, p, token="another-token"),
        lambda c, p: sms_post(c, {**p, "Body": "START"}, signature=_signature(p)),
    ],
    ids=["missing", "wrong-path", "wrong-host", "wrong-token", "tampered-body"],
)
def test_an_unsigned_or_tampered_request_is_refused_and_does_nothing(client, person, send):
    response = send(client, sms_params("STOP", sender=PHONE))
    assert response.status_code == 403
    assert ContactMoment.objects.count() == 0
    assert _sms_consent(person).granted is True


def test_get_is_not_allowed(client):
    assert client.get(PATH).status_code == 405


def test_a_signed_request_without_message_sid_is_a_bad_request(client):
    params = sms_params("hallo")
    del params["MessageSid"]
    assert sms_post(client, params).status_code == 400
    assert ContactMoment.objects.count() == 0


# --- STOP and START -----------------------------------------------------------------------------


def test_stop_then_start_withdraw_and_grant_the_sms_consent_of_the_sender(client, person):
    assert messages(sms_post(client, sms_params("Stop.", sid=_sid(1), sender="06 12345678"))) == [STOPPED]
    consent = _sms_consent(person)
    assert (consent.granted, consent.channel) == (False, "sms")
    assert consent.withdrawn_at is not None
    assert Consent.objects.get(party=person, purpose=Consent.Purpose.EMAIL_NOTIFICATIONS).granted is True

    assert messages(sms_post(client, sms_params("START", sid=_sid(2), sender=PHONE))) == [STARTED]
    consent = _sms_consent(person)
    assert (consent.granted, consent.channel, consent.withdrawn_at) == (True, "sms", None)

    contacts = list(ContactMoment.objects.order_by("pk"))
    assert [(c.channel, c.party_id, c.identified_by, c.assurance) for c in contacts] == [
        ("sms", person.pk, "phone", "low"),
        ("sms", person.pk, "phone", "low"),
    ]
    assert [(c.outcome, c.answer, c.ended_at is not None) for c in contacts] == [
        ("data_changed", STOPPED, True),
        ("data_changed", STARTED, True),
    ]
    changes = ProcessingRecord.objects.filter(object_type="consent", action="update").order_by("pk")
    assert [(r.actor_type, r.purpose, r.subject, r.purpose_reference) for r in changes] == [
        ("citizen", "self_service", subject_pseudonym(person.pk), f"contact:{contacts[0].pk}"),
        ("citizen", "self_service", subject_pseudonym(person.pk), f"contact:{contacts[1].pk}"),
    ]


def test_the_same_message_sid_again_answers_the_same_reply_and_changes_nothing(client, person):
    sms_post(client, sms_params("STOP", sid=_sid(1), sender=PHONE))
    sms_post(client, sms_params("START", sid=_sid(2), sender=PHONE))
    records = ProcessingRecord.objects.count()

    again = sms_post(client, sms_params("STOP", sid=_sid(1), sender=PHONE))  # Twilio retries the first one

    assert messages(again) == [STOPPED]
    assert _sms_consent(person).granted is True  # the START stands
    assert ContactMoment.objects.count() == 2
    assert ProcessingRecord.objects.count() == records


def test_stop_from_a_shared_number_withdraws_everyones_consent_and_start_grants_nobodys(client, make_person):
    first, second = make_person(), make_person()  # the same phone number
    assert messages(sms_post(client, sms_params("STOP", sid=_sid(1), sender=PHONE))) == [STOPPED]
    assert [_sms_consent(first).granted, _sms_consent(second).granted] == [False, False]

    assert messages(sms_post(client, sms_params("start", sid=_sid(2), sender=PHONE))) == [STARTED]
    assert [_sms_consent(first).granted, _sms_consent(second).granted] == [False, False]
    assert ContactMoment.objects.get(external_id=_sid(2)).party_id is None


def test_stop_and_start_from_an_unknown_number_answer_the_same_and_record_no_consent(client):
    assert messages(sms_post(client, sms_params("STOP", sid=_sid(1), sender="+31687654321"))) == [STOPPED]
    assert messages(sms_post(client, sms_params("START", sid=_sid(2), sender="+31687654321"))) == [STARTED]
    assert Consent.objects.count() == 0
    assert list(ContactMoment.objects.values_list("party_id", "outcome")) == [(None, "answered"), (None, "answered")]


def test_a_start_grants_a_consent_that_was_never_given(client, db):
    person = PersonFactory()
    DigitalAddress.objects.create(party=person, kind="phone", value=PHONE, is_default=True, verified_at=timezone.now())
    sms_post(client, sms_params("AANMELDEN", sid=_sid(1), sender=PHONE))
    assert _sms_consent(person).granted is True


# --- case status ----------------------------------------------------------------------------------


@pytest.fixture
def case(db):
    person = PersonFactory(date_of_birth=date(1980, 5, 17))
    Address.objects.create(
        party=person, kind=Address.Kind.RESIDENTIAL, street="Dorpsstraat", house_number=1, postcode="1234 AB", city="X"
    )
    return make_case(party=person, reference="Z-2026-000123")


def _status_reply(case) -> str:
    return (
        f"Zaak Z-2026-000123 ({case.case_type.name}): Wij hebben uw aanvraag ontvangen. "
        f"Besluit uiterlijk {case.deadline:%d-%m-%Y}."
    )


@pytest.mark.parametrize(
    "body", ["STATUS Z-2026-000123 1234", "zaak z-2026-000123 1234AB", "Status Z-2026-000123 17-05-1980"]
)
def test_status_by_reference_and_second_factor(client, case, body):
    response = sms_post(client, sms_params(body, sid=_sid(1), sender="+31687654321"))
    assert messages(response) == [_status_reply(case)]
    contact = ContactMoment.objects.get()
    assert (contact.party_id, contact.outcome, contact.answer) == (None, "status_given", _status_reply(case))
    read = ProcessingRecord.objects.get(object_type="case", action="read")
    assert (read.actor_type, read.purpose, read.subject, read.outcome) == (
        "system",
        "contact",
        subject_pseudonym(case.party_id),
        "success",
    )


def test_status_of_a_secret_case_is_not_given(client, case):
    case.confidentiality = Confidentiality.SECRET
    case.save(update_fields=["confidentiality"])
    assert messages(sms_post(client, sms_params("STATUS Z-2026-000123 1234", sid=_sid(1)))) == [NOT_FOUND]


@pytest.mark.parametrize(
    "body", ["STATUS", "STATUS Z-2026-000123", "STATUS Z-2026-000123 12", "ZAAK Z-2026-000123 31-02-1980"]
)
def test_an_incomplete_status_request_is_answered_with_how_to_ask_and_counts_no_attempt(client, case, settings, body):
    for n in range(settings.CASE_LOOKUP_MAX_ATTEMPTS + 1):
        assert messages(sms_post(client, sms_params(body, sid=_sid(n)))) == [HOW]
    assert messages(sms_post(client, sms_params("STATUS Z-2026-000123 1234", sid=_sid(99)))) == [_status_reply(case)]


def test_wrong_second_factors_lock_the_reference_also_for_the_right_one(client, case, settings):
    for n in range(settings.CASE_LOOKUP_MAX_ATTEMPTS):
        assert messages(sms_post(client, sms_params("STATUS Z-2026-000123 9999", sid=_sid(n)))) == [NOT_FOUND]
    right = sms_post(client, sms_params("STATUS Z-2026-000123 1234", sid=_sid(50), sender="+31611111111"))
    assert messages(right) == [LOCKED]
    denied = ProcessingRecord.objects.filter(object_type="case", outcome="denied")
    assert denied.count() == settings.CASE_LOOKUP_MAX_ATTEMPTS
    assert not ProcessingRecord.objects.filter(object_type="case", action="read", outcome="success").exists()


def test_a_recognised_sender_gets_no_status_without_the_second_factor(client, person):
    make_case(party=person, reference="Z-2026-000999")
    assert messages(sms_post(client, sms_params("STATUS", sid=_sid(1), sender=PHONE))) == [HOW]
    contact = ContactMoment.objects.get()
    assert (contact.party_id, contact.assurance) == (person.pk, "low")
    assert not ProcessingRecord.objects.filter(object_type="case", action="read").exists()


# --- questions (no confident article here: see test_sms_questions.py for answers) -----------------


def test_an_unconfident_question_makes_one_work_item_once(client, person):
    params = sms_params("Hoi, mijn vraag gaat over iets heel anders", sid=_sid(1), sender=PHONE)
    assert messages(sms_post(client, params)) == [QUEUED]
    assert messages(sms_post(client, params)) == [QUEUED]  # delivered twice

    item = WorkItem.objects.get()
    contact = ContactMoment.objects.get()
    assert (item.queue.code, item.kind, item.title, item.status) == ("sms", "sms", "Vraag per sms", "open")
    assert (item.contact_moment_id, item.party_id, item.source_key) == (contact.pk, person.pk, f"sms:{_sid(1)}")
    assert (contact.question, contact.ended_at, contact.outcome) == (params["Body"], None, "")
