"""Waiting for an agent: the wait message with the caller's place, an agent's Twilio Client leg taking
the longest waiting caller of their skill queues, the bridge popping the contact on that agent's
screens, and the status callback recording duration and outcome once; board events carry ids only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app.models import VoiceCall
from contactcentre import realtime
from contactcentre.interactions.models import ContactMoment, WorkQueue
from contactcentre.interactions.work_items import agent_skill_set
from contactcentre.processinglog.models import ProcessingRecord
from tests.channels_app.test_voice_menu import CALL, say
from tests.channels_app.twilio_signing import twiml
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOLD_MUSIC = "http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3"
WAIT_TEXT = "Alle medewerkers zijn in gesprek. Een ogenblik geduld alstublieft."


@pytest.fixture
def sent(monkeypatch):
    """What reaches the channel layer, by group."""
    messages: list[tuple[str, dict]] = []
    monkeypatch.setattr(realtime, "_send", lambda group, message: messages.append((group, message)))
    return messages


def events(sent) -> list[tuple[str, str, dict]]:
    return [(group, message["event"], message["data"]) for group, message in sent]


@pytest.fixture
def agent():
    user = UserFactory(role="agent")
    agent_skill_set(user=user, queue_codes=["telefoon"])
    return user


def queued(signed_twilio, call_sid=CALL["CallSid"], **params) -> VoiceCall:
    signed_twilio.post("/twilio/voice/", CALL | {"CallSid": call_sid} | params)
    signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"CallSid": call_sid, "Digits": "0"} | params)
    return VoiceCall.objects.get(call_sid=call_sid)


def test_entering_the_queue_tells_the_board_after_commit_with_ids_only(
    signed_twilio, sent, django_capture_on_commit_callbacks
):
    signed_twilio.post("/twilio/voice/", CALL)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_twilio.post("/twilio/voice/menu/choice?tries=0", CALL | {"Digits": "4"})
    assert sent == []
    for callback in callbacks:
        callback()
    contact = ContactMoment.objects.get()
    assert events(sent) == [(realtime.BOARD_GROUP, "call.queued", {"contact_moment": contact.pk, "queue": "telefoon"})]


@pytest.mark.parametrize(
    ("position", "first"),
    [("1", "U bent de eerstvolgende in de wachtrij."), ("3", "U bent nummer 3 in de wachtrij.")],
)
def test_the_wait_message_says_the_place_in_the_queue_then_plays_music(signed_twilio, position, first):
    response = signed_twilio.post("/twilio/voice/wait", CALL | {"QueuePosition": position, "QueueTime": "12"})
    assert twiml(response) == (
        "Response",
        {},
        None,
        [say(first), say(WAIT_TEXT), ("Play", {}, HOLD_MUSIC, [])],
    )


def test_the_agent_leg_dials_the_skill_queue_whose_caller_waited_longest(signed_twilio, agent):
    WorkQueue.objects.create(code="specialisten-inkomen", name="Inkomen")
    agent_skill_set(user=agent, queue_codes=["telefoon", "specialisten-inkomen", "kcc-terugbellen"])
    leg = {"CallSid": "CA" + "a" * 32, "From": f"client:agent-{agent.pk}", "To": "queue"}

    def dialled() -> tuple:
        return twiml(signed_twilio.post("/twilio/voice/agent", leg))

    def dial(queue: str) -> tuple:
        url = f"/twilio/voice/connected?agent={agent.pk}"
        return ("Response", {}, None, [("Dial", {}, None, [("Queue", {"method": "POST", "url": url}, queue, [])])])

    assert dialled() == dial("specialisten-inkomen")  # nobody waits: the first of the agent's phone queues
    older = queued(signed_twilio, "CA" + "2" * 32)
    VoiceCall.objects.filter(pk=older.pk).update(enqueued_at=timezone.now() - timedelta(minutes=5))
    newer = queued(signed_twilio, "CA" + "3" * 32)
    VoiceCall.objects.filter(pk=newer.pk).update(queue_code="specialisten-inkomen")
    assert dialled() == dial("telefoon")  # the longest waiting caller is in "telefoon"
    VoiceCall.objects.filter(pk=older.pk).update(connected_at=timezone.now())
    assert dialled() == dial("specialisten-inkomen")


REFUSED = (
    "Response",
    {},
    None,
    [say("U kunt met dit account geen bellers aannemen."), ("Hangup", {}, None, [])],
)


@pytest.mark.parametrize(
    "who",
    ["unknown", "inactive", "functional_admin", "no_role", "no_phone_skill", "not_a_client", "malformed"],
)
def test_unknown_or_unauthorised_agents_are_refused(signed_twilio, agent, who):
    identity = f"client:agent-{agent.pk}"
    if who == "unknown":
        identity = "client:agent-999999"
    elif who == "inactive":
        agent.is_active = False
        agent.save()
    elif who in ("functional_admin", "no_role"):  # handles no contacts, even with the skill
        other = UserFactory(role=who if who != "no_role" else None)
        agent_skill_set(user=other, queue_codes=["telefoon"])
        identity = f"client:agent-{other.pk}"
    elif who == "no_phone_skill":
        agent_skill_set(user=agent, queue_codes=["kcc-terugbellen"])
    elif who == "not_a_client":
        identity = "+31612345678"
    elif who == "malformed":
        identity = f"client:agent-{agent.pk}-x"
    response = signed_twilio.post("/twilio/voice/agent", {"CallSid": "CA" + "b" * 32, "From": identity})
    assert twiml(response) == REFUSED


def test_the_bridge_gives_the_contact_to_the_agent_and_pops_it_after_commit(
    signed_twilio, caller, agent, sent, django_capture_on_commit_callbacks
):
    call = queued(signed_twilio)
    sent.clear()
    params = CALL | {"QueueSid": "QU" + "1" * 32, "QueueTime": "42", "DequeingCallSid": "CA" + "a" * 32}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signed_twilio.post(f"/twilio/voice/connected?agent={agent.pk}", params)
    assert twiml(response) == ("Response", {}, None, [say("U wordt nu doorverbonden.")])
    contact = ContactMoment.objects.get()
    assert contact.agent == agent
    call.refresh_from_db()
    assert (call.connected_to, call.connected_at is not None) == (agent, True)
    assert sent == []
    for callback in callbacks:
        callback()
    assert events(sent) == [
        (
            realtime.agent_group(agent.pk),
            "contact.connected",
            {"contact_moment": contact.pk, "channel": "phone", "party": caller.pk},
        ),
        (realtime.BOARD_GROUP, "contact.connected", {"contact_moment": contact.pk, "agent": agent.pk}),
        (
            realtime.BOARD_GROUP,
            "call.connected",
            {"contact_moment": contact.pk, "agent": agent.pk, "queue": "telefoon"},
        ),
    ]
    # Twilio asking again changes nothing and pops nothing new on the board.
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_twilio.post(f"/twilio/voice/connected?agent={agent.pk}", params)
    assert [event for _group, event, _data in events(sent)] == ["contact.connected", "contact.connected"]
    assert ProcessingRecord.objects.filter(action="update", object_type="contact_moment").count() == 1


def test_the_bridge_for_an_agent_without_the_right_or_a_taken_contact_pops_nothing(signed_twilio, agent, sent):
    queued(signed_twilio)
    sent.clear()
    admin = UserFactory(role="functional_admin")
    response = signed_twilio.post(f"/twilio/voice/connected?agent={admin.pk}", CALL)
    assert twiml(response) == ("Response", {}, None, [say("U wordt nu doorverbonden.")])
    assert ContactMoment.objects.get().agent is None
    signed_twilio.post(f"/twilio/voice/connected?agent={agent.pk}", CALL)
    other = UserFactory(role="agent")
    signed_twilio.post(f"/twilio/voice/connected?agent={other.pk}", CALL)
    assert ContactMoment.objects.get().agent == agent
    assert VoiceCall.objects.get().connected_to == agent


def _status(signed_twilio, status: str, duration: str = "", call_sid=CALL["CallSid"]):
    params = CALL | {"CallSid": call_sid, "CallStatus": status}
    if duration:
        params["CallDuration"] = duration
    return signed_twilio.post("/twilio/voice/status", params)


def test_the_status_callback_records_duration_and_outcome_once(signed_twilio, sent, django_capture_on_commit_callbacks):
    signed_twilio.post("/twilio/voice/", CALL)
    VoiceCall.objects.update(outcome="status_given")  # what the menu gave (its paths have their own tests)
    ContactMoment.objects.update(started_at=timezone.now() - timedelta(minutes=2))  # the call took its time
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = _status(signed_twilio, "completed", "95")
    assert (first.status_code, first.content) == (204, b"")
    contact = ContactMoment.objects.get()
    assert contact.outcome == "status_given"
    assert contact.ended_at - contact.started_at == timedelta(seconds=95)
    call = VoiceCall.objects.get()
    assert (call.call_status, call.duration_seconds, call.ended_at is not None) == ("completed", 95, True)
    assert events(sent) == [
        (
            realtime.BOARD_GROUP,
            "contact.closed",
            {"contact_moment": contact.pk, "channel": "phone", "outcome": "status_given"},
        ),
        (realtime.BOARD_GROUP, "call.ended", {"contact_moment": contact.pk, "queue": "", "status": "completed"}),
    ]
    records = ProcessingRecord.objects.count()
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = _status(signed_twilio, "completed", "120")
    assert second.status_code == 204
    contact.refresh_from_db()
    assert contact.ended_at - contact.started_at == timedelta(seconds=95)
    assert VoiceCall.objects.get().duration_seconds == 95
    assert ProcessingRecord.objects.count() == records
    assert sent == []


@pytest.mark.parametrize("status", ["completed", "no-answer", "busy", "failed", "canceled"])
def test_a_call_that_got_nothing_from_the_menu_is_abandoned(signed_twilio, status):
    queued(signed_twilio)
    _status(signed_twilio, status, "30" if status == "completed" else "")
    contact = ContactMoment.objects.get()
    assert (contact.outcome, contact.ended_at is not None) == ("abandoned", True)
    assert VoiceCall.objects.get().call_status == status


@pytest.mark.parametrize("status", ["queued", "ringing", "in-progress", "bogus"])
def test_a_status_that_is_not_final_changes_nothing(signed_twilio, status):
    queued(signed_twilio)
    assert _status(signed_twilio, status).status_code == 204
    assert ContactMoment.objects.get().ended_at is None
    assert VoiceCall.objects.get().ended_at is None


def test_a_call_an_agent_took_stays_open_for_the_agents_own_outcome(signed_twilio, agent):
    queued(signed_twilio)
    signed_twilio.post(f"/twilio/voice/connected?agent={agent.pk}", CALL)
    _status(signed_twilio, "completed", "300")
    contact = ContactMoment.objects.get()
    assert (contact.outcome, contact.ended_at) == ("", None)
    assert VoiceCall.objects.get().duration_seconds == 300


def test_a_status_for_a_call_never_seen_is_ignored(signed_twilio):
    assert _status(signed_twilio, "completed", "5", call_sid="CA" + "9" * 32).status_code == 204
    assert not VoiceCall.objects.exists()
