"""Reads of the phone menu: the call at hand, the life events to choose from and the answers read out,
speech matched to a menu choice or a life event, and the skill queue an agent takes callers from."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from channels_app.models import VoiceCall
from contactcentre.interactions.models import AgentSkill, WorkQueue
from lifeevents.models import LifeEvent
from lifeevents.search.analysis import tokenise
from lifeevents.selectors import SearchHit, life_events_for_query, search_articles

ARTICLES_READ = 3  # short answers read per life event: more is more than a caller remembers
LIFE_EVENTS_PER_PAGE = 8  # keys 1-8; 9 is "more", * the main menu
CONNECT_PERMISSION = "interactions.change_contactmoment"
_AGENT_IDENTITY = re.compile(r"^client:agent-(?P<id>[1-9][0-9]{0,9})$")


class MenuChoice:
    LIFE_EVENTS = "1"
    CASE_STATUS = "2"
    CALLBACK = "3"
    AGENT = "4"
    AGENT_ALSO = "0"


# Word beginnings (after lower-casing, accents off) a caller may say for a main menu choice.
_SPOKEN_CHOICES = (
    (MenuChoice.CALLBACK, ("terugbel", "bel me terug", "terug bellen")),
    (MenuChoice.CASE_STATUS, ("status", "zaak", "zaken", "aanvraag", "dossier")),
    (MenuChoice.AGENT, ("medewerker", "mens", "iemand", "persoon", "doorverbind", "operator")),
    (MenuChoice.LIFE_EVENTS, ("levensgebeurtenis", "gebeurtenis", "informatie")),
)


def voice_call_get(*, call_sid: str) -> VoiceCall | None:
    return VoiceCall.objects.select_related("contact", "life_event").filter(call_sid=call_sid).first()


def spoken_menu_choice(speech: str) -> str | None:
    """The main menu choice a caller said, if they named one (a digit said counts as the key)."""
    words = tokenise(speech)
    text = " ".join(words)
    for word in words:
        if word in {MenuChoice.LIFE_EVENTS, MenuChoice.CASE_STATUS, MenuChoice.CALLBACK, MenuChoice.AGENT, "0"}:
            return MenuChoice.AGENT if word == MenuChoice.AGENT_ALSO else word
    for choice, beginnings in _SPOKEN_CHOICES:
        if any(text.startswith(b) or f" {b}" in text for b in beginnings):
            return choice
    return None


def life_events_menu() -> list[LifeEvent]:
    """In the order the functional administrators gave them; the key is the position on its page."""
    return list(LifeEvent.objects.only("pk", "slug", "name").order_by("ordering", "name"))


def life_event_spoken(speech: str) -> LifeEvent | None:
    """The life event a spoken question is most likely about, by the knowledge base search."""
    ranked = life_events_for_query(speech, limit=1)
    return ranked[0][0] if ranked else None


def life_event_answers(*, life_event: LifeEvent, question: str = "") -> list[SearchHit]:
    """The articles of a life event to read out (short answers): those answering the caller's own
    words if they said any, else the best for the life event's name."""
    return search_articles(question or life_event.name, life_event=life_event.pk, channel="phone", limit=ARTICLES_READ)


@dataclass(frozen=True)
class AgentLeg:
    user: object
    queues: list[str]


def voice_queues() -> set[str]:
    """The Twilio queues callers wait in: the general one and each life event's skill queue."""
    return {settings.VOICE_DEFAULT_QUEUE, *settings.VOICE_SKILL_QUEUES.values()}


def voice_queue_for(*, life_event: LifeEvent | None) -> str:
    """A caller who chose a life event waits for agents with its skill, if that queue is in use."""
    wanted = settings.VOICE_SKILL_QUEUES.get(life_event.slug) if life_event is not None else None
    if wanted and WorkQueue.objects.filter(code=wanted, is_active=True).exists():
        return wanted
    return settings.VOICE_DEFAULT_QUEUE


def agent_leg(*, client_identity: str) -> AgentLeg | None:
    """The staff member behind a Twilio Client identity `client:agent-<user id>`, with the phone queues
    they are skilled for; None for an unknown identity, an inactive user, someone who does not handle
    contacts, or someone without a phone skill."""
    match = _AGENT_IDENTITY.match(client_identity or "")
    if match is None:
        return None
    user = get_user_model().objects.filter(pk=int(match["id"]), is_active=True).first()
    if user is None or not user.has_perm(CONNECT_PERMISSION):
        return None
    queues = sorted(
        AgentSkill.objects.filter(user=user, queue__code__in=voice_queues(), queue__is_active=True).values_list(
            "queue__code", flat=True
        )
    )
    return AgentLeg(user=user, queues=queues) if queues else None


def queue_to_take(*, queues: list[str]) -> str:
    """Of an agent's skill queues, the one whose caller has waited longest (the first if nobody waits)."""
    oldest = (
        VoiceCall.objects.filter(
            queue_code__in=queues, enqueued_at__isnull=False, connected_at__isnull=True, ended_at__isnull=True
        )
        .order_by("enqueued_at", "id")
        .values_list("queue_code", flat=True)
        .first()
    )
    return oldest or queues[0]
