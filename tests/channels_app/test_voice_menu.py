"""The phone menu's entry, main menu, life events and their answers, with requests signed as Twilio signs
them, and the signature refused on every endpoint when missing, tampered or for another URL."""

import pytest

from channels_app.models import VoiceCall
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from lifeevents.models import LifeEvent
from tests.channels_app.twilio_signing import CALLER_NUMBER, PUBLIC_BASE, said, twiml

pytestmark = pytest.mark.django_db

CALL = {"CallSid": "CA" + "1" * 32, "From": CALLER_NUMBER, "To": "+3197010000001", "CallStatus": "ringing"}
VOICE = {"language": "nl-NL", "voice": "Polly.Lotte"}


def say(text: str) -> tuple:
    return ("Say", VOICE, text, [])


def gather(action: str, prompts: list[str], **attributes) -> tuple:
    base = {
        "action": action,
        "actionOnEmptyResult": "false",
        "input": "dtmf speech",
        "language": "nl-NL",
        "method": "POST",
        "speechTimeout": "auto",
        "timeout": "6",
    }
    return ("Gather", base | attributes, None, [say(text) for text in prompts])


def redirect(path: str) -> tuple:
    return ("Redirect", {"method": "POST"}, path, [])


MAIN_MENU = [
    "Voor informatie over een gebeurtenis in uw leven, zoals verhuizen of de geboorte van een kind, toets 1.",
    "Voor de stand van zaken van uw aanvraag, toets 2.",
    "Om teruggebeld te worden, toets 3.",
    "Om een medewerker te spreken, toets 4 of 0.",
    "U mag ook zeggen waar uw vraag over gaat.",
]
ENQUEUE_TELEFOON = (
    "Response",
    {},
    None,
    [
        say("Een ogenblik, u wordt doorverbonden met een medewerker."),
        ("Enqueue", {"waitUrl": "/twilio/voice/wait", "waitUrlMethod": "POST"}, "telefoon", []),
    ],
)


def start(signed_twilio, **params):
    return signed_twilio.post("/twilio/voice/", CALL | params)


def test_an_incoming_call_opens_a_phone_contact_recognised_by_number_at_low_and_hears_the_menu(signed_twilio, caller):
    tree = twiml(start(signed_twilio))
    assert tree == (
        "Response",
        {},
        None,
        [
            say("Welkom bij het klantcontactcentrum van de overheid."),
            gather("/twilio/voice/menu/choice?tries=0", MAIN_MENU, numDigits="1"),
            redirect("/twilio/voice/menu/choice?tries=0"),
        ],
    )
    contact = ContactMoment.objects.get()
    assert (contact.channel, contact.external_id, contact.party, contact.identified_by, contact.assurance) == (
        "phone",
        CALL["CallSid"],
        caller,
        "phone",
        "low",
    )
    assert contact.ended_at is None
    assert VoiceCall.objects.get().contact == contact
    record = ProcessingRecord.objects.get(action="search")
    assert (record.object_type, record.purpose, record.purpose_reference) == ("party", "contact", str(contact.pk))


def test_the_same_call_sid_twice_makes_one_contact_and_one_log(signed_twilio, caller):
    first, second = start(signed_twilio), start(signed_twilio)
    assert twiml(first) == twiml(second)
    assert ContactMoment.objects.count() == 1
    assert VoiceCall.objects.count() == 1
    assert ProcessingRecord.objects.filter(action="search").count() == 1
    assert ProcessingRecord.objects.filter(action="create", object_type="contact_moment").count() == 1


@pytest.mark.parametrize("number", ["+31687654321", "anonymous", "client:agent-1", ""])
def test_an_unknown_or_withheld_number_is_an_anonymous_contact(signed_twilio, caller, number):
    twiml(start(signed_twilio, From=number))
    contact = ContactMoment.objects.get()
    assert (contact.party, contact.identified_by, contact.assurance) == (None, "", "")
    assert not ProcessingRecord.objects.exists()


def test_a_call_without_or_with_an_overlong_call_sid_is_refused(signed_twilio):
    assert signed_twilio.post("/twilio/voice/", {"From": CALL["From"]}).status_code == 400
    assert signed_twilio.post("/twilio/voice/", CALL | {"CallSid": "CA" + "1" * 63}).status_code == 400
    assert not ContactMoment.objects.exists()


def test_an_endless_transcript_or_key_string_is_cut_and_not_understood(signed_twilio, caller, kb):
    start(signed_twilio)
    params = CALL | {"SpeechResult": "blablabla " * 5000, "Digits": ""}
    assert said(twiml(signed_twilio.post("/twilio/voice/menu/choice?tries=0", params)))[0] == (
        "Sorry, dat heb ik niet goed begrepen."
    )
    params = CALL | {"Digits": "1" * 5000}
    assert said(twiml(signed_twilio.post("/twilio/voice/case/reference?tries=0", params))) == [
        "Toets nu de vier cijfers van de postcode van uw woonadres."
    ]


def test_the_menu_prompt_on_its_own(signed_twilio):
    assert twiml(signed_twilio.post("/twilio/voice/menu", CALL)) == (
        "Response",
        {},
        None,
        [
            gather("/twilio/voice/menu/choice?tries=0", MAIN_MENU, numDigits="1"),
            redirect("/twilio/voice/menu/choice?tries=0"),
        ],
    )


def test_not_understood_repeats_once_then_puts_the_caller_through_to_an_agent(signed_twilio, caller):
    start(signed_twilio)
    again = twiml(signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "7"}))
    assert again == (
        "Response",
        {},
        None,
        [
            say("Sorry, dat heb ik niet goed begrepen."),
            gather("/twilio/voice/menu/choice?tries=1", MAIN_MENU, numDigits="1"),
            redirect("/twilio/voice/menu/choice?tries=1"),
        ],
    )
    assert VoiceCall.objects.get().enqueued_at is None
    # Silence the second time (the <Redirect> after the <Gather>, no Digits): through to an agent.
    assert twiml(signed_twilio.post("/twilio/voice/menu/choice?tries=1", CALL)) == ENQUEUE_TELEFOON
    call = VoiceCall.objects.get()
    assert call.queue_code == "telefoon"
    assert call.enqueued_at is not None


@pytest.mark.parametrize(("digits", "speech"), [("4", ""), ("0", ""), ("", "Ik wil graag een medewerker spreken")])
def test_keys_4_and_0_or_asking_for_a_person_wait_for_an_agent(signed_twilio, caller, digits, speech):
    start(signed_twilio)
    response = signed_twilio.post(
        "/twilio/voice/menu/choice?tries=0", CALL | {"Digits": digits, "SpeechResult": speech}
    )
    assert twiml(response) == ENQUEUE_TELEFOON


@pytest.mark.parametrize(("digits", "speech"), [("2", ""), ("", "Wat is de status van mijn aanvraag?")])
def test_key_2_or_saying_status_asks_the_case_reference(signed_twilio, digits, speech):
    response = signed_twilio.post(
        "/twilio/voice/menu/choice?tries=0", CALL | {"Digits": digits, "SpeechResult": speech}
    )
    assert twiml(response) == (
        "Response",
        {},
        None,
        [
            gather(
                "/twilio/voice/case/reference?tries=0",
                ["Toets de cijfers van uw zaaknummer en sluit af met een hekje. Het zaaknummer staat in onze brief."],
                finishOnKey="#",
                timeout="10",
            ),
            redirect("/twilio/voice/case/reference?tries=0"),
        ],
    )


def _life_event_menu(page: int, names: list[str], retry: bool = False) -> tuple:
    tries = int(retry)
    prompts = ["Kies de gebeurtenis waar uw vraag over gaat, of zeg het."]
    prompts += [f"Voor {name}, toets {key}." for key, name in enumerate(names, 1)]
    prompts += ["Voor meer keuzes, toets 9.", "Voor het hoofdmenu, toets sterretje."]
    action = f"/twilio/voice/life-event?page={page}&tries={tries}"
    children = [say("Sorry, dat heb ik niet goed begrepen.")] if retry else []
    return ("Response", {}, None, [*children, gather(action, prompts, numDigits="1"), redirect(action)])


def test_key_1_lists_the_life_events_eight_a_page_and_9_turns_the_page(signed_twilio, kb):
    names = list(LifeEvent.objects.order_by("ordering", "name").values_list("name", flat=True))
    assert len(names) == 14
    first = signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "1"})
    assert twiml(first) == _life_event_menu(1, names[:8])
    second = signed_twilio.post("/twilio/voice/life-event?page=1&tries=0", CALL | {"Digits": "9"})
    assert twiml(second) == _life_event_menu(2, names[8:])
    back_to_first = signed_twilio.post("/twilio/voice/life-event?page=2&tries=0", CALL | {"Digits": "9"})
    assert twiml(back_to_first) == _life_event_menu(1, names[:8])
    wrong = signed_twilio.post("/twilio/voice/life-event?page=2&tries=0", CALL | {"Digits": "8"})  # 6 on page 2
    assert twiml(wrong) == _life_event_menu(2, names[8:], retry=True)
    star = signed_twilio.post("/twilio/voice/life-event?page=1&tries=0", CALL | {"Digits": "*"})
    assert said(twiml(star)) == MAIN_MENU


def _answers(life_event: LifeEvent, articles) -> tuple:
    children = [say(f"Over {life_event.name}.")]
    for article in articles:
        children += [say(article.question), say(article.short_answer), ("Pause", {"length": "1"}, None, [])]
    children += [
        say("Meer informatie vindt u op onze website. U hoort nu weer het hoofdmenu."),
        redirect("/twilio/voice/menu"),
    ]
    return ("Response", {}, None, children)


def test_a_life_events_key_reads_the_short_answers_of_its_top_articles_and_links_them_after_commit(
    signed_twilio, caller, kb, django_capture_on_commit_callbacks, monkeypatch
):
    from channels_app.tasks import voice_contact_knowledge_link
    from lifeevents.selectors import search_articles

    sent_to_celery = []
    monkeypatch.setattr(voice_contact_knowledge_link, "delay", lambda **kwargs: sent_to_celery.append(kwargs))
    start(signed_twilio)
    events = list(LifeEvent.objects.order_by("ordering", "name"))
    moving = events[0]
    expected = [hit.article for hit in search_articles(moving.name, life_event=moving.pk, limit=3)]
    assert len(expected) == 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signed_twilio.post("/twilio/voice/life-event?page=1&tries=0", CALL | {"Digits": "1"})
    assert twiml(response) == _answers(moving, expected)
    assert all(len(article.short_answer) <= 160 for article in expected)
    call = VoiceCall.objects.get()
    assert (call.life_event, call.outcome) == (moving, "answered")
    contact = ContactMoment.objects.get()
    assert sent_to_celery == []  # the links are the slow part: a task, sent after commit with ids
    for callback in callbacks:
        callback()
    assert sent_to_celery == [
        {"contact_id": contact.pk, "life_event_id": moving.pk, "article_ids": [a.pk for a in expected]}
    ]
    assert list(contact.articles.all()) == []
    for _run in range(2):  # the worker (retried: the same result)
        assert voice_contact_knowledge_link.apply(kwargs=sent_to_celery[0]).get() is True
    contact.refresh_from_db()
    assert contact.life_event == moving
    assert set(contact.articles.all()) == set(expected)


def test_speech_is_matched_to_a_life_event_by_the_knowledge_search(signed_twilio, caller, kb):
    start(signed_twilio)
    question = "Ik ga verhuizen, hoe geef ik mijn nieuwe adres door?"
    response = signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"SpeechResult": question})
    tree = twiml(response)
    moving = LifeEvent.objects.get(slug="verhuizen")
    lines = said(tree)
    assert lines[0] == "Over Verhuizen."
    assert VoiceCall.objects.get().life_event == moving
    # The caller's own words choose the articles read out within the life event.
    from lifeevents.selectors import search_articles

    hits = search_articles(question, life_event=moving.pk, channel="phone", limit=3)
    assert lines[1:-1] == [text for hit in hits for text in (hit.article.question, hit.article.short_answer)]


def test_a_caller_who_chose_a_life_event_waits_in_its_skill_queue(signed_twilio, caller, kb, settings):
    from contactcentre.interactions.services import work_queue_ensure

    work_queue_ensure(code="specialisten-inkomen", name="Specialisten werk en inkomen")
    settings.VOICE_SKILL_QUEUES = {"werkloos": "specialisten-inkomen", "verhuizen": "bestaat-niet"}
    start(signed_twilio)
    call = VoiceCall.objects.get()
    call.life_event = LifeEvent.objects.get(slug="werkloos")
    call.save()
    response = signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "0"})
    assert twiml(response)[3][1] == (
        "Enqueue",
        {"waitUrl": "/twilio/voice/wait", "waitUrlMethod": "POST"},
        "specialisten-inkomen",
        [],
    )
    call.life_event = LifeEvent.objects.get(slug="verhuizen")  # its queue does not exist: the general one
    call.save()
    assert twiml(signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "0"})) == ENQUEUE_TELEFOON


def test_a_step_of_a_call_never_started_is_sent_to_the_entry(signed_twilio):
    response = signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "4"})
    assert twiml(response) == ("Response", {}, None, [redirect("/twilio/voice/")])
    assert not VoiceCall.objects.exists()


# --- The signature, on every endpoint --------------------------------------------------------------

ENDPOINTS = [
    "/twilio/voice/",
    "/twilio/voice/status",
    "/twilio/voice/menu",
    "/twilio/voice/menu/choice?tries=0",
    "/twilio/voice/life-event?page=1&tries=0",
    "/twilio/voice/case/reference?tries=0",
    "/twilio/voice/case/factor?tries=0",
    "/twilio/voice/callback?tries=0",
    "/twilio/voice/callback/number?tries=0",
    "/twilio/voice/wait",
    "/twilio/voice/agent",
    "/twilio/voice/connected?agent=1",
]


def test_every_endpoint_is_listed():
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str) and name.startswith("twilio-voice-")}
    assert len(names) == len(ENDPOINTS)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_missing_signature_is_refused(signed_twilio, path):
    assert signed_twilio.post(path, CALL, signature="").status_code == 403
    assert not ContactMoment.objects.exists()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_tampered_parameter_is_refused(signed_twilio, path, client):
    signature = signed_twilio.signature(path, CALL | {"Digits": "1"})
    forged = client.post(path, CALL | {"Digits": "2"}, HTTP_X_TWILIO_SIGNATURE=signature)
    assert forged.status_code == 403
    assert not ContactMoment.objects.exists()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_signature_for_another_url_or_token_is_refused(signed_twilio, path):
    for forged in (
        signed_twilio.post(path, CALL, signed_url="https://evil.example" + path),
        signed_twilio.post(path, CALL, signed_url=PUBLIC_BASE + "/twilio/voice/other"),
        signed_twilio.post(path, CALL, signed_url=PUBLIC_BASE + path.split("?")[0] + "?tries=1"),
        signed_twilio.post(path, CALL, token="another-token"),
    ):
        assert forged.status_code == 403
    assert not ContactMoment.objects.exists()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_get_is_not_allowed(client, path):
    assert client.get(path).status_code == 405


def test_the_webhooks_answer_in_a_fixed_number_of_queries(signed_twilio, caller, django_assert_num_queries):
    # In one transaction (a savepoint here): identify (1), existing contact? (1), the contact and its
    # log in a savepoint (4), the identification's log (firstline), the call (1).
    with django_assert_num_queries(10):
        start(signed_twilio)
    with django_assert_num_queries(6):  # Twilio retrying: reads only
        start(signed_twilio)
    with django_assert_num_queries(1):  # the life events page
        signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "1"})
    with django_assert_num_queries(4):  # the call, its queue in a savepoint
        signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "0"})
    with django_assert_num_queries(0):  # a status that is not the end
        signed_twilio.post("/twilio/voice/status", CALL | {"CallStatus": "ringing"})
    with django_assert_num_queries(9):  # the call locked, its end, the contact locked, closed and logged
        signed_twilio.post("/twilio/voice/status", CALL | {"CallStatus": "completed", "CallDuration": "5"})
    with django_assert_num_queries(3):  # a repeat: the call read (in a savepoint), nothing written
        signed_twilio.post("/twilio/voice/status", CALL | {"CallStatus": "completed", "CallDuration": "5"})
