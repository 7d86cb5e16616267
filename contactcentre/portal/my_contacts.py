"""My contacts (Mijn omgeving): every contact I had with the contact centre, on whatever channel,
newest first: when, how, who started it, about what, how it ended and the answer I was given. Never
who served me (by name) or the organisation's own notes. Read through interactions' selector, the
page logged."""

from django.shortcuts import render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.selectors import contact_moments_of_citizen
from contactcentre.portal.mijn import citizen_required
from contactcentre.portal.own_rows import own_rows_page

Outcome = ContactMoment.Outcome
SUBJECT_CHARS = 80  # a question without a topic heads its contact, shortened
# Who started the contact, as a citizen would say it.
DIRECTION_TEXT = {
    ContactMoment.Direction.INBOUND: _lazy("U nam contact op"),
    ContactMoment.Direction.OUTBOUND: _lazy("Wij namen contact op"),
}
# How it ended, as a citizen would say it.
OUTCOME_TEXT = {
    Outcome.ANSWERED: _lazy("Uw vraag is beantwoord"),
    Outcome.STATUS_GIVEN: _lazy("U heeft gehoord hoe het ervoor staat"),
    Outcome.DATA_CHANGED: _lazy("Uw gegevens zijn aangepast"),
    Outcome.ESCALATED: _lazy("Doorgestuurd naar de organisatie die erover gaat"),
    Outcome.CALLBACK_REQUESTED: _lazy("Wij bellen u terug"),
    Outcome.REFERRED: _lazy("U bent doorverwezen"),
    Outcome.ABANDONED: _lazy("Het contact is afgebroken"),
}


def _outcome_text(contact: ContactMoment) -> str:
    if contact.outcome:
        return OUTCOME_TEXT.get(contact.outcome, contact.get_outcome_display())
    return _("Wij zijn ermee bezig") if contact.is_open else ""


@citizen_required  # first: an anonymous visitor is sent to sign in, whatever the method
@require_GET
def my_contacts(request):
    contacts = contact_moments_of_citizen(principal=request.citizen)
    page, shown = own_rows_page(request, contacts, object_type="contact_moment")
    rows = [
        {
            "when": contact.started_at,
            "channel": contact.get_channel_display(),
            "direction": DIRECTION_TEXT.get(contact.direction, ""),
            "subject": contact.topic or Truncator(contact.question).chars(SUBJECT_CHARS) or _("Contact met ons"),
            "question": contact.question,
            "life_event": contact.life_event.name if contact.life_event else "",
            "outcome": _outcome_text(contact),
            "answer": contact.answer,
        }
        for contact in shown
    ]
    return render(request, "portal/mijn_contacten.html", {"page": page, "rows": rows})
