"""My preferences (Mijn omgeving): the channel our messages reach me on and my language, changed through
the base-data change service within the single-source rules. E-mail and SMS need a verified address
first; the language chosen is the portal's language from then on."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contactcentre.errors import DomainError
from contactcentre.portal.mijn import SELF, citizen_required, error_messages, language_remembered, my_base_data
from contactcentre.registry.models import Attribute, Channel, Consent
from contactcentre.registry.selectors import consent_is_granted
from contactcentre.registry.services import base_data_change

# The channels a message to the citizen can travel by (interactions.Notification.Channel).
CHANNELS = (Channel.PORTAL, Channel.EMAIL, Channel.SMS, Channel.LETTER)
# A channel that needs a verified address of the citizen's first, and the consent its messages need.
NEEDS_ADDRESS = {Channel.EMAIL: "emails", Channel.SMS: "phones"}
NEEDS_CONSENT = {Channel.EMAIL: Consent.Purpose.EMAIL_NOTIFICATIONS, Channel.SMS: Consent.Purpose.SMS_NOTIFICATIONS}


def _refusal(channel: str, data: dict) -> str:
    """Why this channel cannot be preferred yet, or "" when it can."""
    if channel not in CHANNELS:
        return _("Kies een van de kanalen.")
    if channel in NEEDS_ADDRESS and not any(address["verified"] for address in data.get(NEEDS_ADDRESS[channel]) or []):
        if channel == Channel.EMAIL:
            return _("U heeft nog geen gecontroleerd e-mailadres. Voeg er eerst een toe bij Mijn gegevens.")
        return _("U heeft nog geen gecontroleerd telefoonnummer. Voeg er eerst een toe bij Mijn gegevens.")
    return ""


@citizen_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    citizen = request.citizen
    data = my_base_data(citizen)
    errors: dict[str, list[str]] = {}
    chosen = {"channel": data.get("preferred_channel") or "", "language": data.get("preferred_language") or ""}
    if request.method == "POST":
        chosen = {"channel": request.POST.get("channel", ""), "language": request.POST.get("language", "")}
        refusal = _refusal(chosen["channel"], data)
        if refusal:
            errors["channel"] = [refusal]
        if chosen["language"] not in dict(settings.LANGUAGES):
            errors["language"] = [_("Kies een van de talen.")]
        if not errors:
            try:
                _save(citizen, data, chosen)
            except DomainError as error:
                errors["form"] = error_messages(error)
            else:
                with translation.override(chosen["language"]):
                    _confirm(request, citizen, chosen["channel"])
                return language_remembered(redirect(reverse("portal-preferences")), chosen["language"])
    context = {
        "channels": [(channel, Channel(channel).label) for channel in CHANNELS],
        "languages": settings.LANGUAGES,
        "chosen": chosen,
        "errors": errors,
    }
    return render(request, "portal/mijn_voorkeuren.html", context, status=400 if errors else 200)


def _save(citizen, data: dict, chosen: dict) -> None:
    """One base-data change per preference that changed (nothing logged as a change that was none)."""
    for attribute, value in (
        (Attribute.PREFERRED_CHANNEL, chosen["channel"]),
        (Attribute.PREFERRED_LANGUAGE, chosen["language"]),
    ):
        if data.get(attribute) == value:
            continue
        base_data_change(
            party_id=citizen.party_id,
            attribute=attribute,
            value=value,
            actor=citizen,
            assurance=citizen.assurance,
            channel=Channel.PORTAL,
            purpose=SELF,
        )


def _confirm(request, citizen, channel: str) -> None:
    messages.success(request, _("Uw voorkeuren zijn opgeslagen."))
    consent = NEEDS_CONSENT.get(channel)
    if consent is not None and not consent_is_granted(party=citizen.party_id, purpose=consent):
        messages.info(
            request,
            _(
                "Wij sturen u berichten via %(channel)s zodra u daarvoor toestemming geeft bij Mijn toestemmingen; "
                "tot dan krijgt u een brief."
            )
            % {"channel": Channel(channel).label.lower()},
        )
