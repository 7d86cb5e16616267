"""Case status on the phone: the reference's digits and the four postcode digits, through the existing
lookup and its lock-out; the caller (recognised at "low" at most) hears the status, never personal
details; the read is in the processing log with its purpose."""

import pytest
from django.utils.formats import date_format
from django.utils.translation import override

from casemanagement import selectors as case_selectors
from channels_app.models import VoiceCall
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import Address
from tests.casemanagement.factories import PersonFactory, make_case
from tests.channels_app.test_voice_menu import CALL, gather, redirect, say
from tests.channels_app.twilio_signing import said, twiml

pytestmark = pytest.mark.django_db

REFERENCE = "Z2612345678"


@pytest.fixture
def case():
    person = PersonFactory(given_names="Geheime", surname="Naam")
    Address.objects.create(
        party=person,
        kind=Address.Kind.RESIDENTIAL,
        street="Verborgenlaan",
        house_number=7,
        postcode="1234 AB",
        city="X",
    )
    return make_case(party=person, reference=REFERENCE)


@pytest.fixture
def call(signed_twilio):
    signed_twilio.post("/twilio/voice/", CALL)
    return VoiceCall.objects.get()


def ask(signed_twilio, reference_digits: str, postcode_digits: str, **params):
    factor = signed_twilio.post("/twilio/voice/case/reference?tries=0", CALL | params | {"Digits": reference_digits})
    assert twiml(factor) == (
        "Response",
        {},
        None,
        [
            gather(
                "/twilio/voice/case/factor?tries=0",
                ["Toets nu de vier cijfers van de postcode van uw woonadres."],
                numDigits="4",
                timeout="10",
            ),
            redirect("/twilio/voice/case/factor?tries=0"),
        ],
    )
    return signed_twilio.post("/twilio/voice/case/factor?tries=0", CALL | params | {"Digits": postcode_digits})


def test_the_reference_and_postcode_give_the_citizen_status_and_nothing_personal(signed_twilio, call, case):
    tree = twiml(ask(signed_twilio, REFERENCE[1:], "1234"))
    with override("nl"):
        deadline = date_format(case.deadline, "j F Y")
    assert tree == (
        "Response",
        {},
        None,
        [
            say(f"Uw zaak {case.case_type.name} bij {case.organisation.name}."),
            say("Wij hebben uw aanvraag ontvangen."),
            say(f"U hoort uiterlijk {deadline} van ons."),
            ("Pause", {"length": "1"}, None, []),
            redirect("/twilio/voice/menu"),
        ],
    )
    text = " ".join(said(tree))
    for personal in ("Geheime", "Naam", "Verborgenlaan", "1234", REFERENCE):
        assert personal not in text
    call.refresh_from_db()
    assert call.outcome == "status_given"
    record = ProcessingRecord.objects.get(object_type="case", action="read", outcome="success")
    assert (record.action, record.object_id, record.purpose, record.purpose_reference) == (
        "read",
        str(case.pk),
        "contact",
        "reference_lookup",
    )


def test_a_spoken_reference_counts_its_digits(signed_twilio, call, case):
    reference = signed_twilio.post(
        "/twilio/voice/case/reference?tries=0", CALL | {"SpeechResult": "2 6 1 2 3 4 5 6 7 8."}
    )
    assert said(twiml(reference)) == ["Toets nu de vier cijfers van de postcode van uw woonadres."]
    tree = twiml(signed_twilio.post("/twilio/voice/case/factor?tries=0", CALL | {"Digits": "1234"}))
    assert said(tree)[1] == "Wij hebben uw aanvraag ontvangen."


def test_a_wrong_postcode_and_an_unknown_reference_sound_the_same_and_go_back_to_the_menu(signed_twilio, call, case):
    wrong = twiml(ask(signed_twilio, REFERENCE[1:], "9999"))
    unknown = twiml(ask(signed_twilio, "2600000000", "1234"))
    expected = (
        "Response",
        {},
        None,
        [say("Ik vind geen zaak bij dit zaaknummer en deze postcode."), redirect("/twilio/voice/menu")],
    )
    assert wrong == unknown == expected
    call.refresh_from_db()
    assert call.outcome == ""
    assert ProcessingRecord.objects.filter(object_type="case", outcome="denied").count() == 1  # the real case


def test_too_many_wrong_postcodes_lock_the_reference_also_for_the_right_one(signed_twilio, call, case, monkeypatch):
    monkeypatch.setattr(case_selectors, "LOOKUP_MAX_ATTEMPTS", 3)
    for _attempt in range(3):
        assert said(twiml(ask(signed_twilio, REFERENCE[1:], "0000"))) == [
            "Ik vind geen zaak bij dit zaaknummer en deze postcode."
        ]
    locked = twiml(ask(signed_twilio, REFERENCE[1:], "1234"))
    assert locked == (
        "Response",
        {},
        None,
        [
            say(
                "Er is te vaak een verkeerd zaaknummer of een verkeerde postcode ingetoetst. Probeer het later opnieuw."
            ),
            redirect("/twilio/voice/menu"),
        ],
    )
    # Another number calling about it is locked too: the lock is on the reference.
    assert said(twiml(ask(signed_twilio, REFERENCE[1:], "1234", From="+31600000001")))[0].startswith("Er is te vaak")
    call.refresh_from_db()
    assert call.outcome == ""
    assert not ProcessingRecord.objects.filter(object_type="case", action="read", outcome="success").exists()


def test_a_caller_guessing_many_references_is_locked_out_by_number(signed_twilio, call, case, monkeypatch):
    monkeypatch.setattr(case_selectors, "LOOKUP_CALLER_MAX_WRONG", 2)
    for guess in ("2600000001", "2600000002"):
        ask(signed_twilio, guess, "1234")
    assert said(twiml(ask(signed_twilio, REFERENCE[1:], "1234")))[0].startswith("Er is te vaak")
    # A bystander calling from another number gets the answer.
    bystander = twiml(ask(signed_twilio, REFERENCE[1:], "1234", From="+31600000002"))
    assert said(bystander)[1] == "Wij hebben uw aanvraag ontvangen."


def test_bad_digits_repeat_once_then_the_caller_waits_for_an_agent(signed_twilio, call):
    again = twiml(signed_twilio.post("/twilio/voice/case/factor?tries=0", CALL | {"Digits": "12"}))
    assert said(again) == [
        "Sorry, dat heb ik niet goed begrepen.",
        "Toets nu de vier cijfers van de postcode van uw woonadres.",
    ]
    assert again[3][1][1]["action"] == "/twilio/voice/case/factor?tries=1"
    through = twiml(signed_twilio.post("/twilio/voice/case/factor?tries=1", CALL))
    assert through[3][1][0] == "Enqueue"
    no_reference = twiml(signed_twilio.post("/twilio/voice/case/reference?tries=0", CALL | {"Digits": ""}))
    assert said(no_reference)[0] == "Sorry, dat heb ik niet goed begrepen."


def test_a_postcode_without_a_reference_asks_the_reference_again(signed_twilio, call, case):
    tree = twiml(signed_twilio.post("/twilio/voice/case/factor?tries=0", CALL | {"Digits": "1234"}))
    assert said(tree) == [
        "Toets de cijfers van uw zaaknummer en sluit af met een hekje. Het zaaknummer staat in onze brief."
    ]
    assert not ProcessingRecord.objects.filter(object_type="case", action="read").exists()


def test_a_secret_case_is_not_found_on_the_phone(signed_twilio, call):
    person = PersonFactory()
    Address.objects.create(
        party=person, kind=Address.Kind.RESIDENTIAL, street="Dorpsstraat", house_number=1, postcode="1234 AB", city="X"
    )
    make_case(party=person, reference=REFERENCE, confidentiality="secret")
    assert said(twiml(ask(signed_twilio, REFERENCE[1:], "1234"))) == [
        "Ik vind geen zaak bij dit zaaknummer en deze postcode."
    ]
