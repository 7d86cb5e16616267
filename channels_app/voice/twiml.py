"""The TwiML of the phone menu, built with the twilio package's VoiceResponse. Every prompt is Dutch,
read by the configured voice (VOICE_NAME, VOICE_LANGUAGE), and takes keys or speech. A prompt that
hears nothing falls through its <Gather> to a <Redirect> to the same action without input, which the
step counts as not understood: once it repeats, then it puts the caller through to an agent."""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from channels_app.voice.selectors import LIFE_EVENTS_PER_PAGE

GATHER_TIMEOUT_SECONDS = 6
DIGITS_TIMEOUT_SECONDS = 10


def url(name: str, **params) -> str:
    """A path of this door (Twilio resolves it against the URL it called, so signatures hold)."""
    path = reverse(f"twilio-voice-{name}")
    return f"{path}?{urlencode(params)}" if params else path


def _say(verb, text: str) -> None:
    verb.say(text, voice=settings.VOICE_NAME, language=settings.VOICE_LANGUAGE)


def _gather(response: VoiceResponse, action: str, **options) -> Gather:
    """Keys or speech; without input Twilio goes on to the <Redirect> after it (see `_ask`)."""
    options.setdefault("timeout", GATHER_TIMEOUT_SECONDS)
    return response.gather(
        input="dtmf speech",
        action=action,
        method="POST",
        language=settings.VOICE_LANGUAGE,
        speech_timeout="auto",
        action_on_empty_result=False,
        **options,
    )


def _ask(response: VoiceResponse, action: str, texts: list[str], **options) -> str:
    gather = _gather(response, action, **options)
    for text in texts:
        _say(gather, text)
    response.redirect(action, method="POST")
    return str(response)


def _sorry(response: VoiceResponse, retry: bool) -> VoiceResponse:
    if retry:
        _say(response, _("Sorry, dat heb ik niet goed begrepen."))
    return response


def main_menu(*, welcome: bool = False, retry: bool = False) -> str:
    response = VoiceResponse()
    if welcome:
        _say(response, _("Welkom bij het klantcontactcentrum van de overheid."))
    _sorry(response, retry)
    texts = [
        _("Voor informatie over een gebeurtenis in uw leven, zoals verhuizen of de geboorte van een kind, toets 1."),
        _("Voor de stand van zaken van uw aanvraag, toets 2."),
        _("Om teruggebeld te worden, toets 3."),
        _("Om een medewerker te spreken, toets 4 of 0."),
        _("U mag ook zeggen waar uw vraag over gaat."),
    ]
    return _ask(response, url("menu-choice", tries=int(retry)), texts, num_digits=1)


def life_events_menu(*, life_events: list, page: int, retry: bool = False) -> str:
    """One page of life events, a key each; 9 for the next page (back to the first after the last)."""
    response = _sorry(VoiceResponse(), retry)
    start = (page - 1) * LIFE_EVENTS_PER_PAGE
    shown = life_events[start : start + LIFE_EVENTS_PER_PAGE]
    texts = [_("Kies de gebeurtenis waar uw vraag over gaat, of zeg het.")]
    texts += [
        _("Voor %(name)s, toets %(key)s.") % {"name": event.name, "key": key} for key, event in enumerate(shown, 1)
    ]
    if len(life_events) > LIFE_EVENTS_PER_PAGE:
        texts.append(_("Voor meer keuzes, toets 9."))
    texts.append(_("Voor het hoofdmenu, toets sterretje."))
    return _ask(response, url("life-event", page=page, tries=int(retry)), texts, num_digits=1)


def answers(*, life_event, hits: list) -> str:
    """The short answers of a life event's best articles, then the main menu again."""
    response = VoiceResponse()
    if hits:
        _say(response, _("Over %(name)s.") % {"name": life_event.name})
        for hit in hits:
            _say(response, hit.article.question)
            _say(response, hit.answer_text)
            response.pause(length=1)
        _say(response, _("Meer informatie vindt u op onze website. U hoort nu weer het hoofdmenu."))
    else:
        _say(response, _("Over %(name)s kan ik u nu geen antwoord voorlezen.") % {"name": life_event.name})
    response.redirect(url("menu"), method="POST")
    return str(response)


def case_reference_prompt(*, retry: bool = False) -> str:
    response = _sorry(VoiceResponse(), retry)
    texts = [_("Toets de cijfers van uw zaaknummer en sluit af met een hekje. Het zaaknummer staat in onze brief.")]
    return _ask(
        response,
        url("case-reference", tries=int(retry)),
        texts,
        finish_on_key="#",
        timeout=DIGITS_TIMEOUT_SECONDS,
    )


def case_factor_prompt(*, retry: bool = False) -> str:
    response = _sorry(VoiceResponse(), retry)
    texts = [_("Toets nu de vier cijfers van de postcode van uw woonadres.")]
    return _ask(response, url("case-factor", tries=int(retry)), texts, num_digits=4, timeout=DIGITS_TIMEOUT_SECONDS)


def case_status(*, summary: dict) -> str:
    """What a caller recognised at "low" may hear: the kind of case, who handles it, its citizen status
    text and when they hear from us; never a name, an address or an internal status."""
    response = VoiceResponse()
    _say(
        response,
        _("Uw zaak %(case_type)s bij %(organisation)s.")
        % {"case_type": summary["case_type"], "organisation": summary["organisation"]["name"]},
    )
    if summary["status_text"]:
        _say(response, summary["status_text"])
    if not summary["is_open"]:
        _say(response, _("Deze zaak is afgerond."))
    elif summary["is_suspended"]:
        _say(response, _("De behandeling is opgeschort tot wij de gevraagde gegevens hebben."))
    elif summary["is_overdue"]:
        _say(response, _("De termijn is verstreken. Onze excuses; wij doen ons best u snel te antwoorden."))
    elif summary["deadline"]:
        _say(response, _("U hoort uiterlijk %(date)s van ons.") % {"date": date_format(summary["deadline"], "j F Y")})
    response.pause(length=1)
    response.redirect(url("menu"), method="POST")
    return str(response)


def case_not_found() -> str:
    """Unknown reference or wrong postcode sound the same; the caller may try again from the menu (the
    lookup's lock-out counts every wrong answer)."""
    response = VoiceResponse()
    _say(response, _("Ik vind geen zaak bij dit zaaknummer en deze postcode."))
    response.redirect(url("menu"), method="POST")
    return str(response)


def case_locked() -> str:
    response = VoiceResponse()
    _say(
        response,
        _("Er is te vaak een verkeerd zaaknummer of een verkeerde postcode ingetoetst. Probeer het later opnieuw."),
    )
    response.redirect(url("menu"), method="POST")
    return str(response)


def _spaced(digits: str) -> str:
    return " ".join(digits)


def callback_confirm_prompt(*, number: str, retry: bool = False) -> str:
    """Read back only the last four digits: enough for the caller, little for a bystander."""
    response = _sorry(VoiceResponse(), retry)
    texts = [
        _("Wij bellen u terug op het nummer waarmee u nu belt, dat eindigt op %(digits)s.")
        % {"digits": _spaced(number[-4:])},
        _("Toets 1 als dat goed is. Toets 2 om een ander nummer in te toetsen."),
    ]
    return _ask(response, url("callback", tries=int(retry)), texts, num_digits=1)


def callback_number_prompt(*, retry: bool = False) -> str:
    response = _sorry(VoiceResponse(), retry)
    texts = [_("Toets het telefoonnummer waarop wij u kunnen terugbellen en sluit af met een hekje.")]
    return _ask(
        response,
        url("callback-number", tries=int(retry)),
        texts,
        finish_on_key="#",
        timeout=DIGITS_TIMEOUT_SECONDS,
    )


def callback_done() -> str:
    response = VoiceResponse()
    _say(response, _("Dank u wel. Uw terugbelverzoek is genoteerd; wij bellen u zo snel mogelijk terug. Tot ziens."))
    response.hangup()
    return str(response)


def enqueue(*, queue_code: str) -> str:
    response = VoiceResponse()
    _say(response, _("Een ogenblik, u wordt doorverbonden met een medewerker."))
    response.enqueue(queue_code, wait_url=url("wait"), wait_url_method="POST")
    return str(response)


def wait(*, position: int | None) -> str:
    """Twilio reads this to a waiting caller, and asks again when it has been played."""
    response = VoiceResponse()
    if position == 1:
        _say(response, _("U bent de eerstvolgende in de wachtrij."))
    elif position:
        _say(response, _("U bent nummer %(position)s in de wachtrij.") % {"position": position})
    _say(response, _("Alle medewerkers zijn in gesprek. Een ogenblik geduld alstublieft."))
    if settings.VOICE_HOLD_MUSIC_URL:
        response.play(settings.VOICE_HOLD_MUSIC_URL)
    return str(response)


def agent_dial(*, queue_code: str, agent_id: int) -> str:
    """The agent's Twilio Client leg takes the caller at the front of their skill queue."""
    response = VoiceResponse()
    dial = Dial()
    dial.queue(queue_code, url=url("connected", agent=agent_id), method="POST")
    response.append(dial)
    return str(response)


def agent_refused() -> str:
    response = VoiceResponse()
    _say(response, _("U kunt met dit account geen bellers aannemen."))
    response.hangup()
    return str(response)


def connected() -> str:
    """Read to the caller just before the agent is on the line."""
    response = VoiceResponse()
    _say(response, _("U wordt nu doorverbonden."))
    return str(response)


def restart() -> str:
    """A step of a call this door has no record of (it never came through the entry): start it properly."""
    response = VoiceResponse()
    response.redirect(url("incoming"), method="POST")
    return str(response)
