"""Twilio Voice webhooks of the phone menu: each checks X-Twilio-Signature (`twilio_signed`), reads what
the caller keyed or said, calls a service or selector and answers TwiML. Fast by design: the slow part
of a call (knowledge links) goes to Celery after commit.

The URL contract (other parts depend on it): `voice/` the incoming call (Twilio's Voice URL),
`voice/status` the status callback, `voice/agent` an agent's Twilio Client leg taking the next caller,
`voice/connected` fetched by Twilio when a queued caller is bridged, `voice/wait` the queue's wait URL.
"""

import logging
import re
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import translation

from channels_app.twilio_signature import twilio_signed
from channels_app.voice import twiml
from channels_app.voice.selectors import (
    LIFE_EVENTS_PER_PAGE,
    MenuChoice,
    agent_leg,
    life_event_answers,
    life_event_spoken,
    life_events_menu,
    queue_to_take,
    spoken_menu_choice,
    voice_call_get,
    voice_queue_for,
)
from channels_app.voice.services import (
    caller_number,
    voice_answers_given,
    voice_call_connect,
    voice_call_end,
    voice_call_enqueue,
    voice_call_start,
    voice_callback_request,
    voice_case_status,
)
from contactcentre.errors import DomainError, NotFound, RateLimited, ValidationFailed

logger = logging.getLogger(__name__)

MENU_LANGUAGE = "nl"  # the menu is Dutch whatever Twilio's request says
REFERENCE_SECONDS = 600  # a reference keyed waits this long for its postcode
REFERENCE_DIGITS_MAX = 16
SPEECH_MAX = 300  # what is searched of a transcript: bounded work whatever arrives
CALL_SID_MAX = 64  # Twilio's are 34 characters
_DIGITS = re.compile(r"\d")


def voice_webhook(view):
    """A signed Twilio webhook answering TwiML in Dutch."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        with translation.override(MENU_LANGUAGE):
            result = view(request, *args, **kwargs)
        if isinstance(result, HttpResponse):
            return result
        return HttpResponse(result, content_type="application/xml")

    return twilio_signed(answer)


def _heard(request) -> tuple[str, str]:
    """The keys pressed and the transcript of what was said, each cut to a bounded length."""
    digits = request.POST.get("Digits", "").strip()[:REFERENCE_DIGITS_MAX]
    return digits, request.POST.get("SpeechResult", "").strip()[:SPEECH_MAX]


def _digits(request) -> str:
    """Keyed digits, or the digits of what was said ("zes, twee, ..." arrives as digits from Twilio)."""
    keyed, speech = _heard(request)
    return "".join(_DIGITS.findall(keyed or speech))


def _retrying(request) -> bool:
    return request.GET.get("tries") == "1"


def _call(request):
    return voice_call_get(call_sid=request.POST.get("CallSid", ""))


def _not_understood(request, repeat):
    """Not understood: repeat the prompt once, then put the caller through to an agent."""
    return _to_agent(request) if _retrying(request) else repeat()


def _to_agent(request):
    call = _call(request)
    if call is None:
        return twiml.restart()
    queue_code = voice_queue_for(life_event=call.life_event)
    voice_call_enqueue(call=call, queue_code=queue_code)
    return twiml.enqueue(queue_code=queue_code)


def _answers(request, life_event, question: str = ""):
    call = _call(request)
    if call is None:
        return twiml.restart()
    hits = life_event_answers(life_event=life_event, question=question)
    voice_answers_given(call=call, life_event=life_event, hits=hits)
    return twiml.answers(life_event=life_event, hits=hits)


def _callback_start(request):
    number = caller_number(request.POST.get("From", ""))
    return twiml.callback_confirm_prompt(number=number) if number else twiml.callback_number_prompt()


def _reference_key(request) -> str:
    return f"voice:case-reference:{request.POST.get('CallSid', '')}"


@voice_webhook
def incoming(request):
    call_sid = request.POST.get("CallSid", "")
    if not call_sid or len(call_sid) > CALL_SID_MAX:
        return HttpResponseBadRequest()
    voice_call_start(call_sid=call_sid, caller=request.POST.get("From", ""))
    return twiml.main_menu(welcome=True)


@voice_webhook
def menu(request):
    return twiml.main_menu()


@voice_webhook
def menu_choice(request):
    digits, speech = _heard(request)
    choice = digits or (spoken_menu_choice(speech) if speech else None)
    if speech and choice in (None, MenuChoice.LIFE_EVENTS):
        life_event = life_event_spoken(speech)
        if life_event is not None:
            return _answers(request, life_event, question=speech)
    if choice == MenuChoice.LIFE_EVENTS:
        return twiml.life_events_menu(life_events=life_events_menu(), page=1)
    if choice == MenuChoice.CASE_STATUS:
        return twiml.case_reference_prompt()
    if choice == MenuChoice.CALLBACK:
        return _callback_start(request)
    if choice in (MenuChoice.AGENT, MenuChoice.AGENT_ALSO):
        return _to_agent(request)
    return _not_understood(request, lambda: twiml.main_menu(retry=True))


@voice_webhook
def life_event(request):
    digits, speech = _heard(request)
    events = life_events_menu()
    pages = max(1, -(-len(events) // LIFE_EVENTS_PER_PAGE))
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    page = min(max(page, 1), pages)
    if digits == "*":
        return twiml.main_menu()
    if digits == "9" and pages > 1:
        return twiml.life_events_menu(life_events=events, page=page % pages + 1)
    if len(digits) == 1 and digits.isdigit():
        index = (page - 1) * LIFE_EVENTS_PER_PAGE + int(digits) - 1
        if 1 <= int(digits) <= LIFE_EVENTS_PER_PAGE and index < len(events):
            return _answers(request, events[index])
    if speech and not digits:
        spoken = life_event_spoken(speech)
        if spoken is not None:
            return _answers(request, spoken, question=speech)
    return _not_understood(request, lambda: twiml.life_events_menu(life_events=events, page=page, retry=True))


@voice_webhook
def case_reference(request):
    reference = _digits(request)
    if not 1 <= len(reference) <= REFERENCE_DIGITS_MAX:
        return _not_understood(request, lambda: twiml.case_reference_prompt(retry=True))
    cache.set(_reference_key(request), reference, REFERENCE_SECONDS)
    return twiml.case_factor_prompt()


@voice_webhook
def case_factor(request):
    postcode_digits = _digits(request)
    if len(postcode_digits) != 4:
        return _not_understood(request, lambda: twiml.case_factor_prompt(retry=True))
    reference = cache.get(_reference_key(request))
    call = _call(request)
    if reference is None or call is None:  # took too long, or never started: ask again from the start
        return twiml.case_reference_prompt() if call else twiml.restart()
    cache.delete(_reference_key(request))
    try:
        summary = voice_case_status(
            call=call, reference_digits=reference, postcode_digits=postcode_digits, caller=request.POST.get("From", "")
        )
    except RateLimited:
        return twiml.case_locked()
    except (NotFound, ValidationFailed):
        return twiml.case_not_found()
    return twiml.case_status(summary=summary)


@voice_webhook
def callback(request):
    digits, _speech = _heard(request)
    number = caller_number(request.POST.get("From", ""))
    if digits == "1" and number:
        return _callback_create(request, number, lambda: twiml.callback_confirm_prompt(number=number, retry=True))
    if digits == "2":
        return twiml.callback_number_prompt()
    return _not_understood(request, lambda: _callback_retry(number))


def _callback_retry(number: str | None):
    if number:
        return twiml.callback_confirm_prompt(number=number, retry=True)
    return twiml.callback_number_prompt(retry=True)


@voice_webhook
def callback_number(request):
    return _callback_create(request, _digits(request), lambda: twiml.callback_number_prompt(retry=True))


def _callback_create(request, number: str, repeat):
    call = _call(request)
    if call is None:
        return twiml.restart()
    try:
        voice_callback_request(call=call, phone_number=number)
    except ValidationFailed:
        return _not_understood(request, repeat)
    return twiml.callback_done()


@voice_webhook
def wait(request):
    position = request.POST.get("QueuePosition", "")
    return twiml.wait(position=int(position) if position.isdigit() else None)


@voice_webhook
def agent(request):
    leg = agent_leg(client_identity=request.POST.get("From", ""))
    if leg is None:
        logger.warning("voice agent leg refused")
        return twiml.agent_refused()
    return twiml.agent_dial(queue_code=queue_to_take(queues=leg.queues), agent_id=leg.user.pk)


@voice_webhook
def connected(request):
    agent_id = request.GET.get("agent", "")
    if agent_id.isdigit():
        try:
            voice_call_connect(call_sid=request.POST.get("CallSid", ""), agent_id=int(agent_id))
        except DomainError as error:  # the caller is bridged anyway; the console shows it without a pop
            logger.warning("voice call not connected to the agent: %s", getattr(error, "code", type(error).__name__))
    return twiml.connected()


@voice_webhook
def status(request):
    voice_call_end(
        call_sid=request.POST.get("CallSid", ""),
        call_status=request.POST.get("CallStatus", ""),
        duration=request.POST.get("CallDuration"),
    )
    return HttpResponse(status=204)
