"""The contact workspace: one contact at hand and, when the person is known, their integrated
customer view, opened with the contact as its purpose (so the read is logged against it); beside it
the actions on the contact (contact_actions.py). Opening a contact by hand and finding its person
live here too: the search is by POST only (a BSN never travels in a URL) and is logged with the new
contact as its purpose."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.throttling import SimpleRateThrottle

from contactcentre.api.attempt_limits import attempt_over_limit
from contactcentre.api.screens import staff_screen
from contactcentre.console import contact_forms as forms
from contactcentre.errors import Conflict, RateLimited, RuleViolation, ValidationFailed
from contactcentre.firstline.selectors import customer_view
from contactcentre.firstline.services import contact_identify, contact_open
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.selectors import contact_at_hand, contact_moments_in_scope
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.selectors import party_not_found
from lifeevents.selectors import life_event_choices

VIEW_CUSTOMER = ("registry.view_party", "casemanagement.view_case", "interactions.view_contactmoment")
OPEN_CONTACT = ("interactions.add_contactmoment", "registry.view_party")


def workspace_context(request, contact, **panels) -> dict:
    """The workspace page: the contact, the customer view (when the person is known) and, while the
    contact is open and at hand, each action's form, unless a panel is given already (its errors)."""
    view = None
    if contact.party_id is not None:
        view = customer_view(
            party_id=contact.party_id,
            viewer=request.principal,
            purpose=Purpose.CONTACT,
            purpose_reference=str(contact.pk),
        )
    at_hand = contact.ended_at is None and contact.agent_id in (None, request.user.pk)
    context = {"contact": contact, "view": view, "at_hand": at_hand}
    if at_hand:
        context.update(
            search_form=forms.PersonSearchForm(),
            outcome_form=forms.OutcomeForm(initial={"outcome": ContactMoment.Outcome.ANSWERED}),
        )
        may = request.principal.has_perm  # each action's panel only for who may take it
        if view is not None and may("registry.change_base_data"):
            context["base_data_form"] = forms.BaseDataForm()
        if may("casemanagement.add_escalation"):
            context["escalation_form"] = forms.EscalationForm(
                initial={"question": contact.question, "life_event": contact.life_event_id},
                life_events=life_event_choices(),
            )
        if may("interactions.add_callbackrequest"):
            context["callback_form"] = forms.CallbackForm(
                initial={"question": contact.question, "phone_number": _callback_number(view)}
            )
    context.update(panels)
    return context


def _callback_number(view) -> str:
    """The person's default phone number to call back on, when the agent sees it in full (a masked
    one has '*')."""
    phones = sorted(view.party.get("phones") or [], key=lambda phone: not phone["is_default"]) if view else []
    return next((phone["value"] for phone in phones if "*" not in phone["value"]), "")


@staff_screen(*VIEW_CUSTOMER)
@require_GET
def workspace(request, contact_id: int):
    contact = contact_moments_in_scope(principal=request.principal).filter(pk=contact_id).first()
    if contact is None:
        raise party_not_found()
    return render(request, "console/contact.html", workspace_context(request, contact))


class _BsnSearchRate(SimpleRateThrottle):
    """The API's rate for sensitive searches (THROTTLE_SENSITIVE): its number and window, read by DRF."""

    scope = "sensitive"


def _bsn_search_count(request, form) -> None:
    """A search by BSN counts per staff member, at the API's rate for its BSN search: a guessed series
    of BSNs is stopped here as there (429 page), whatever screen it comes from."""
    if not form.cleaned_data.get("bsn"):
        return
    rate = _BsnSearchRate()
    key = f"console:bsn-search:{request.principal.key}"
    if attempt_over_limit(key, limit=rate.num_requests, timeout=rate.duration):
        raise RateLimited(_("Te veel zoekopdrachten op BSN. Probeer het over een minuut opnieuw."))


@staff_screen(*OPEN_CONTACT)
@require_http_methods(["GET", "POST"])
def contact_new(request):
    """Open a contact (phone by default) and, when a search field is filled in, find the person."""
    form = forms.ContactNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _bsn_search_count(request, form)
        try:
            offer = contact_open(
                channel=form.cleaned_data["channel"],
                actor=request.principal,
                identity_claim=form.identity_claim(),
                text=form.cleaned_data["question"],
            )
        except ValidationFailed as error:
            forms.errors_onto(form, error, {"identity_claim.value": form.given() or ""})
        else:
            contact, search = offer.contact, form.party_search()
            if offer.party is None and search is not None and (offer.ambiguous or form.identity_claim() is None):
                return _identify(request, contact, search)
            if offer.party is None and form.given():
                _nobody(request, ambiguous=offer.ambiguous)
            return redirect("console-contact", contact_id=contact.pk)
    return render(request, "console/contact_new.html", {"form": form}, status=400 if form.errors else 200)


@staff_screen(*VIEW_CUSTOMER)
@require_POST
def identify(request, contact_id: int):
    """Find the person of an anonymous contact, or take the one the agent chose from several."""
    contact = contact_at_hand(contact_id=contact_id, principal=request.principal)
    form = forms.ChooseForm(request.POST) if "party" in request.POST else forms.PersonSearchForm(request.POST)
    if form.is_valid() and form.party_search() is None:
        form.add_error(None, _("Vul een zoekgegeven in."))
    if not form.is_valid():
        context = workspace_context(request, contact, search_form=form)
        return render(request, "console/contact.html", context, status=400)
    _bsn_search_count(request, form)
    return _identify(request, contact, form.party_search(), party_id=form.cleaned_data.get("party"))


def _identify(request, contact, search: dict, *, party_id: int | None = None):
    try:
        party, matches = contact_identify(contact=contact, actor=request.principal, search=search, party_id=party_id)
    except (ValidationFailed, RuleViolation, Conflict) as error:
        messages.error(request, forms.first_message(error))
        return redirect("console-contact", contact_id=contact.pk)
    if party is not None:
        messages.success(request, _("Vastgesteld: %(name)s.") % {"name": party.display_name})
    elif matches:
        choices = [
            {"party": match, "form": forms.ChooseForm(initial={**search, "party": match.pk})} for match in matches
        ]
        return render(request, "console/contact_choose.html", {"contact": contact, "choices": choices})
    else:
        _nobody(request, ambiguous=False)
    return redirect("console-contact", contact_id=contact.pk)


def _nobody(request, *, ambiguous: bool) -> None:
    if ambiguous:
        messages.warning(request, _("Meerdere personen passen bij dit gegeven; zoek op een ander gegeven."))
    else:
        messages.warning(request, _("Niemand gevonden met dit gegeven. Het contact blijft anoniem."))
