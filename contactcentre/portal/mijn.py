"""The citizen's own pages ("Mijn omgeving"): sign in (DigiD, or a simulated DigiD in the demo), my cases, my
data with a new phone number or e-mail address verified by code, my consents, and who looked at my
data and why. Every page reads as the citizen themself (purpose: self service), through the same
selectors and services as the API, so the same rules and the same processing log apply."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casemanagement.models import Escalation
from casemanagement.selectors import cases_of_party, cases_present, escalations_of_citizen
from contactcentre.errors import DomainError
from contactcentre.firstline.services import QUESTION_MAX, web_question_submit
from contactcentre.portal import digid
from contactcentre.principal import citizen_from_session
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.selectors import processing_records_for_party
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.citizen import citizen_session_end, citizen_session_start
from contactcentre.registry.models import BaseDataChange, Consent, Party
from contactcentre.registry.selectors import consent_rows, party_base_data_read
from contactcentre.registry.services import consent_record, verification_confirm, verification_start
from lifeevents.selectors import search_articles

SELF = Purpose.SELF_SERVICE
LOG_PAGE = 50
PENDING_KEY = "portal.verification"


def citizen_required(view):
    """The page needs a citizen session; otherwise to the sign-in, and back after it."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        citizen = citizen_from_session(request.session)
        if citizen is None:
            return redirect(f"{reverse('portal-login')}?next={request.path}")
        request.citizen = citizen
        return view(request, *args, **kwargs)

    return checked


def _demo_people():
    """The people offered to sign in as (any demo person may be chosen: this is no real DigiD)."""
    return Party.objects.filter(kind=Party.Kind.PERSON).order_by("surname", "id")[:12]


@require_http_methods(["GET", "POST"])
def login(request):
    """DigiD through the OpenID Connect broker where one is configured (digid.py); else, in the demo, a
    clearly marked simulated DigiD that signs in as a demo person at level "substantial"."""
    if settings.DIGID_OIDC_ENABLED:
        return digid.DigidStart.as_view()(request)
    if not settings.DEMO_MODE:
        return render(request, "portal/login_unavailable.html", status=503)
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if request.method == "POST":
        chosen = request.POST.get("person", "")
        valid = chosen.isascii() and chosen.isdecimal() and len(chosen) <= 18  # within a bigint, no "١٢"
        person = Party.objects.filter(kind=Party.Kind.PERSON, pk=int(chosen)).first() if valid else None
        if person is not None:
            citizen_session_start(request=request, party_id=person.pk, assurance=AssuranceLevel.SUBSTANTIAL)
            return language_remembered(redirect(target or reverse("portal-home")), person.preferred_language)
        messages.error(request, _("Kies een persoon om mee in te loggen."))
    return render(request, "portal/login_demo.html", {"people": _demo_people(), "next": target})


def language_remembered(response, language: str):
    """The portal speaks the citizen's preferred language from now on, on this device (Django's
    language cookie, as its set_language view writes it); a language the site has not is left alone."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_POST
def logout(request):
    citizen_session_end(request=request)
    return redirect(reverse("public-home"))


# Where my question to an organisation stands, as a citizen would say it.
_STATE = Escalation.State
ESCALATION_STATE_TEXT = {
    _STATE.NEW: _lazy("Wordt doorgestuurd"),
    _STATE.DELIVERED: _lazy("Ontvangen door de organisatie"),
    _STATE.ACCEPTED: _lazy("In behandeling"),
    _STATE.IN_PROGRESS: _lazy("In behandeling"),
    _STATE.RESOLVED: _lazy("Afgehandeld"),
    _STATE.RETURNED: _lazy("Terug bij het contactcentrum"),
    _STATE.FORWARDED: _lazy("Doorgestuurd naar een andere organisatie"),
}


@citizen_required  # first: an anonymous visitor is sent to sign in, whatever the method
@require_GET
def home(request):
    citizen = request.citizen
    cases = cases_present(
        cases=cases_of_party(party_id=citizen.party_id, principal=citizen),
        principal=citizen,
        assurance=citizen.assurance,
        purpose=SELF,
    )
    escalations = [
        {**row, "state_text": ESCALATION_STATE_TEXT.get(row["state"], "")}
        for row in escalations_of_citizen(principal=citizen)
    ]
    return render(request, "portal/mijn_home.html", {"cases": cases, "escalations": escalations})


def my_base_data(citizen) -> dict:
    return party_base_data_read(
        party_id=citizen.party_id, viewer=citizen, assurance=citizen.assurance, purpose=SELF, purpose_reference=""
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """My base data; a new phone number or e-mail address gets a code first (step two: confirm)."""
    citizen = request.citizen
    errors: dict = {}
    if request.method == "POST":
        attribute = request.POST.get("attribute", "")
        if attribute not in ("phone", "email"):
            return HttpResponseNotAllowed(["GET"])
        try:
            challenge = verification_start(
                party_id=citizen.party_id,
                attribute=attribute,
                value=request.POST.get("value", "").strip(),
                actor=citizen,
                assurance=citizen.assurance,
                channel="portal",
                purpose=SELF,
            )
        except DomainError as error:
            errors = {attribute: error_messages(error)}
        else:
            request.session[PENDING_KEY] = {"id": challenge.pk, "attribute": attribute}
            return redirect(reverse("portal-verify"))
    return render(request, "portal/mijn_gegevens.html", {"data": my_base_data(citizen), "errors": errors})


def error_messages(error: DomainError) -> list[str]:
    found = [str(message) for messages_ in error.field_errors.values() for message in messages_]
    return found or [error.message]


@citizen_required
@require_http_methods(["GET", "POST"])
def verify(request):
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect(reverse("portal-data"))
    errors: list[str] = []
    if request.method == "POST":
        try:
            change = verification_confirm(
                challenge_id=pending["id"], code=request.POST.get("code", "").strip(), actor=request.citizen
            )
        except DomainError as error:
            errors = error_messages(error)
            if error.status != 400:  # closed (expired or too many attempts): start again
                request.session.pop(PENDING_KEY, None)
        else:
            request.session.pop(PENDING_KEY, None)
            if change.status == BaseDataChange.Status.APPLIED:
                messages.success(request, _("Gelukt: uw gegevens zijn gewijzigd."))
            return redirect(reverse("portal-data"))
    return render(request, "portal/mijn_verificatie.html", {"attribute": pending["attribute"], "errors": errors})


CHANGEABLE_CONSENTS = (
    Consent.Purpose.SHARE_CONTACT_HISTORY,
    Consent.Purpose.PROACTIVE_SIGNALS,
    Consent.Purpose.SMS_NOTIFICATIONS,
    Consent.Purpose.EMAIL_NOTIFICATIONS,
)


@citizen_required
@require_http_methods(["GET", "POST"])
def consents(request):
    citizen = request.citizen
    if request.method == "POST":
        purpose = request.POST.get("purpose", "")
        if purpose in CHANGEABLE_CONSENTS and request.POST.get("granted") in ("yes", "no"):
            granted = request.POST["granted"] == "yes"
            consent_record(
                party_id=citizen.party_id,
                purpose=purpose,
                granted=granted,
                channel="portal",
                actor=citizen,
                processing_purpose=SELF,
            )
            label = Consent.Purpose(purpose).label
            messages.success(
                request,
                (
                    _("U heeft toestemming gegeven: %(what)s.")
                    if granted
                    else _("U heeft uw toestemming ingetrokken: %(what)s.")
                )
                % {"what": label},
            )
        return redirect(reverse("portal-consents"))
    current = {
        row["purpose"]: row["granted"] for row in consent_rows(party_id=citizen.party_id) if not row["organisation"]
    }
    rows = [
        {"purpose": purpose, "label": purpose.label, "granted": current.get(purpose)} for purpose in CHANGEABLE_CONSENTS
    ]
    return render(request, "portal/mijn_toestemmingen.html", {"rows": rows})


# What was looked at, as a citizen would say it; anything not named here reads "uw gegevens".
WHAT = {
    "party": _lazy("uw persoonsgegevens"),
    "party_base_data": _lazy("uw persoonsgegevens"),
    "customer_view": _lazy("uw klantbeeld (gegevens, zaken en contacten samen)"),
    "case": _lazy("uw zaken"),
    "case_status_history": _lazy("het verloop van uw zaak"),
    "contact_moment": _lazy("uw contact met ons"),
    "contact_history": _lazy("uw eerdere contacten"),
    "callback_request": _lazy("uw terugbelverzoek"),
    "consent": _lazy("uw toestemmingen"),
    "escalation": _lazy("uw vraag aan een andere organisatie"),
    "base_data_change": _lazy("een wijziging van uw gegevens"),
    "verification": _lazy("de controle van uw nieuwe contactgegeven"),
    "notification": _lazy("een bericht aan u"),
    "processing_log": _lazy("dit overzicht"),
    "work_item": _lazy("uw bericht in een werkbak"),
}
PURPOSES = dict(Purpose.choices)


@citizen_required  # first: an anonymous visitor is sent to sign in, whatever the method
@require_GET
def processing_log(request):
    """Who looked at my data, and why: newest first, in plain Dutch, staff not named individually."""
    rows = [
        {
            "when": record.occurred_at,
            "who": record.get_actor_type_display(),
            "organisation": record.organisation_code,
            "did": record.get_action_display(),
            "what": WHAT.get(record.object_type, _("uw gegevens")),
            "why": PURPOSES.get(record.purpose, record.purpose),
            "refused": record.outcome != ProcessingRecord.Outcome.SUCCESS,
        }
        for record in processing_records_for_party(party_id=request.citizen.party_id)[:LOG_PAGE]
    ]
    return render(request, "portal/mijn_inzage.html", {"rows": rows})


@citizen_required
@require_http_methods(["GET", "POST"])
def question(request):
    """Ask a question: the search first; what it does not answer goes to an agent as a web question."""
    if request.method == "POST":
        try:
            contact = web_question_submit(citizen=request.citizen, question=request.POST.get("question", ""))
        except DomainError as error:
            return render(
                request,
                "portal/mijn_vraag.html",
                {"query": request.POST.get("question", "")[:QUESTION_MAX], "errors": error_messages(error)},
                status=400,
            )
        messages.success(
            request,
            _("Uw vraag is ontvangen onder kenmerk %(reference)s. Wij antwoorden u zo snel mogelijk.")
            % {"reference": f"V{contact.pk}"},
        )
        return redirect(reverse("portal-home"))
    query = request.GET.get("q", "").strip()[:QUESTION_MAX]
    hits = search_articles(query, channel="web", limit=5) if query else []
    return render(request, "portal/mijn_vraag.html", {"query": query, "hits": hits, "searched": bool(query)})
