"""A callback request from the phone menu: the caller's own number confirmed, or another one keyed;
it lands in the callback queue as a work item and closes the contact as "callback requested"."""

import pytest

from channels_app.models import VoiceCall
from contactcentre.interactions.models import CallbackRequest, ContactMoment, WorkItem
from lifeevents.models import LifeEvent
from tests.channels_app.test_voice_menu import CALL, gather, redirect, say
from tests.channels_app.twilio_signing import said, twiml

pytestmark = pytest.mark.django_db

DONE = (
    "Response",
    {},
    None,
    [
        say("Dank u wel. Uw terugbelverzoek is genoteerd; wij bellen u zo snel mogelijk terug. Tot ziens."),
        ("Hangup", {}, None, []),
    ],
)
NUMBER_PROMPT = ["Toets het telefoonnummer waarop wij u kunnen terugbellen en sluit af met een hekje."]


def test_key_3_offers_the_callers_own_number_read_by_its_last_four_digits(signed_twilio, caller):
    signed_twilio.post("/twilio/voice/", CALL)
    tree = twiml(signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "3"}))
    assert tree == (
        "Response",
        {},
        None,
        [
            gather(
                "/twilio/voice/callback?tries=0",
                [
                    "Wij bellen u terug op het nummer waarmee u nu belt, dat eindigt op 5 6 7 8.",
                    "Toets 1 als dat goed is. Toets 2 om een ander nummer in te toetsen.",
                ],
                numDigits="1",
            ),
            redirect("/twilio/voice/callback?tries=0"),
        ],
    )


def test_confirming_the_own_number_makes_a_callback_request_in_the_callback_queue(signed_twilio, caller):
    signed_twilio.post("/twilio/voice/", CALL)
    call = VoiceCall.objects.get()
    call.life_event = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    call.save()
    assert twiml(signed_twilio.post("/twilio/voice/callback?tries=0", CALL | {"Digits": "1"})) == DONE
    callback = CallbackRequest.objects.get()
    assert (callback.queue.code, callback.phone_number, callback.party, callback.status) == (
        "kcc-terugbellen",
        "+31612345678",
        caller,
        "open",
    )
    assert callback.question == "Terugbelverzoek via het telefoonmenu over: Verhuizen"
    contact = ContactMoment.objects.get()
    assert callback.contact_moment == contact
    assert (contact.outcome, contact.ended_at is not None) == ("callback_requested", True)
    item = WorkItem.objects.get()
    assert (item.kind, item.queue.code, item.source_key) == ("callback", "kcc-terugbellen", f"callback:{callback.pk}")
    call.refresh_from_db()
    assert call.outcome == "callback_requested"


def test_another_number_keyed_nationally_is_stored_in_e164(signed_twilio, caller):
    signed_twilio.post("/twilio/voice/", CALL)
    assert said(twiml(signed_twilio.post("/twilio/voice/callback?tries=0", CALL | {"Digits": "2"}))) == NUMBER_PROMPT
    tree = twiml(signed_twilio.post("/twilio/voice/callback/number?tries=0", CALL | {"Digits": "0201234567"}))
    assert tree == DONE
    assert CallbackRequest.objects.get().phone_number == "+31201234567"


def test_a_withheld_number_is_asked_for_a_number_at_once(signed_twilio):
    withheld = CALL | {"From": "anonymous"}
    signed_twilio.post("/twilio/voice/", withheld)
    tree = twiml(signed_twilio.post("/twilio/voice/menu/choice?tries=0", withheld | {"Digits": "3"}))
    assert tree == (
        "Response",
        {},
        None,
        [
            gather("/twilio/voice/callback/number?tries=0", NUMBER_PROMPT, finishOnKey="#", timeout="10"),
            redirect("/twilio/voice/callback/number?tries=0"),
        ],
    )
    # Key 1 ("this number") means nothing without a number: not understood.
    assert said(twiml(signed_twilio.post("/twilio/voice/callback?tries=0", withheld | {"Digits": "1"}))) == [
        "Sorry, dat heb ik niet goed begrepen.",
        *NUMBER_PROMPT,
    ]
    assert not CallbackRequest.objects.exists()


def test_an_invalid_number_repeats_once_then_the_caller_waits_for_an_agent(signed_twilio, caller):
    signed_twilio.post("/twilio/voice/", CALL)
    again = twiml(signed_twilio.post("/twilio/voice/callback/number?tries=0", CALL | {"Digits": "12"}))
    assert said(again) == ["Sorry, dat heb ik niet goed begrepen.", *NUMBER_PROMPT]
    assert again[3][1][1]["action"] == "/twilio/voice/callback/number?tries=1"
    through = twiml(signed_twilio.post("/twilio/voice/callback/number?tries=1", CALL | {"Digits": "12"}))
    assert through[3][1][:3] == ("Enqueue", {"waitUrl": "/twilio/voice/wait", "waitUrlMethod": "POST"}, "telefoon")
    assert not CallbackRequest.objects.exists()
    assert ContactMoment.objects.get().ended_at is None


def test_a_second_confirmation_of_the_same_call_makes_no_second_request(signed_twilio, caller):
    signed_twilio.post("/twilio/voice/", CALL)
    signed_twilio.post("/twilio/voice/callback?tries=0", CALL | {"Digits": "1"})
    second = signed_twilio.post("/twilio/voice/callback?tries=0", CALL | {"Digits": "1"})
    assert twiml(second) == DONE
    assert CallbackRequest.objects.count() == 1
