"""The actions on the contact at hand, each a small form beside the customer view: search the
knowledge base and record "this answered it", register the outcome, change base data (with a code
where the rules ask one, a refusal sent on to the datum's source), escalate after the routing
preview, schedule a callback. Each view parses its form, calls one service and renders its panel
(htmx) or the whole workspace (without script); only the contact at hand is acted on (404 else)."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from casemanagement.escalations import base_data_request_escalate, escalation_create, escalation_route_preview
from contactcentre.api.screens import staff_screen
from contactcentre.console import contact_forms as forms
from contactcentre.console.contacts import workspace_context
from contactcentre.errors import Conflict, RateLimited, RuleViolation, ValidationFailed
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.selectors import contact_at_hand
from contactcentre.interactions.services import (
    callback_request_create,
    contact_moment_close,
    contact_moment_knowledge_link,
)
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.models import BaseDataChange
from contactcentre.registry.services import base_data_change, masked_value, verification_confirm
from lifeevents.search.analysis import MAX_QUERY_LENGTH
from lifeevents.selectors import article_get_published, life_event_choices, search_articles

HANDLE = ("interactions.view_contactmoment", "interactions.change_contactmoment")
KNOWLEDGE = (*HANDLE, "lifeevents.view_article")
CHANGE_BASE_DATA = (*HANDLE, "registry.change_base_data")
ESCALATE = (*HANDLE, "casemanagement.add_escalation")
CALLBACK = (*HANDLE, "interactions.add_callbackrequest")
REFUSALS = (ValidationFailed, RuleViolation, Conflict, RateLimited)
KNOWLEDGE_RESULTS = 8


def _contact(request, contact_id: int) -> ContactMoment:
    contact = contact_at_hand(contact_id=contact_id, principal=request.principal)
    if contact.ended_at is not None:
        raise RuleViolation(_("Dit contactmoment is al afgesloten."), code="contact_closed")
    return contact


def _panel(request, contact, partial: str, **context):
    """htmx swaps the panel (200, so htmx swaps errors too); without script the whole workspace again."""
    if request.htmx:
        return render(request, f"console/panels/{partial}.html", {"contact": contact, "at_hand": True, **context})
    invalid = any(getattr(value, "errors", None) for value in context.values())
    return render(
        request, "console/contact.html", workspace_context(request, contact, **context), status=400 if invalid else 200
    )


def _done(request, contact, message: str):
    """A change the customer view shows: the workspace again, with the message."""
    messages.success(request, message)
    url = reverse("console-contact", args=[contact.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _closed(handler):
    """A closed contact refused by `_contact` is said on the workspace, not as an error page."""

    @wraps(handler)
    def guarded(request, contact_id: int):
        try:
            return handler(request, contact_id)
        except RuleViolation as error:
            if error.code != "contact_closed":
                raise
            messages.error(request, error.message)
            url = reverse("console-contact", args=[contact_id])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)

    return guarded


# --- knowledge ------------------------------------------------------------------------------------


@staff_screen(*KNOWLEDGE)
@require_GET
@_closed
def knowledge_search(request, contact_id: int):
    contact = _contact(request, contact_id)
    query, error, hits = request.GET.get("q", "").strip(), "", []
    if len(query) > MAX_QUERY_LENGTH:
        error = _("De zoekvraag is te lang: gebruik hoogstens %(max)s tekens.") % {"max": MAX_QUERY_LENGTH}
    elif query:
        hits = search_articles(query, channel=contact.channel, limit=KNOWLEDGE_RESULTS)
    return _panel(request, contact, "knowledge_results", query=query, hits=hits, knowledge_error=error)


@staff_screen(*KNOWLEDGE)
@require_POST
@_closed
def knowledge_link(request, contact_id: int):
    """ "Dit beantwoordde de vraag": the article, and its life event when the contact has none yet."""
    contact = _contact(request, contact_id)
    article = article_get_published(external_id=request.POST.get("article", "")[:32])
    life_event = None if contact.life_event_id else next(iter(article.life_events.all()), None)
    contact = contact_moment_knowledge_link(
        contact_id=contact.pk,
        actor=request.principal,
        life_event_id=life_event.pk if life_event else None,
        article_ids=[article.pk],
    )
    outcome_form = forms.OutcomeForm(initial={"outcome": ContactMoment.Outcome.ANSWERED})
    return _panel(request, contact, "knowledge_linked", article=article, outcome_form=outcome_form)


# --- outcome --------------------------------------------------------------------------------------


@staff_screen(*HANDLE)
@require_POST
@_closed
def outcome(request, contact_id: int):
    contact = _contact(request, contact_id)
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            contact = contact_moment_close(
                contact=contact,
                outcome=form.cleaned_data["outcome"],
                actor=request.principal,
                answer=form.cleaned_data["answer"] or None,
            )
        except REFUSALS as error:
            forms.errors_onto(form, error)
        else:
            return _done(
                request, contact, _("Contact afgesloten: %(outcome)s.") % {"outcome": contact.get_outcome_display()}
            )
    return _panel(request, contact, "outcome", outcome_form=form)


# --- base data ------------------------------------------------------------------------------------


def _identified(contact, form) -> bool:
    if contact.party_id is None:
        form.add_error(None, _("Stel eerst vast wie de klant is."))
    return contact.party_id is not None


@staff_screen(*CHANGE_BASE_DATA)
@require_POST
@_closed
def base_data(request, contact_id: int):
    """Change one datum within the single-source rules; a code first where the rules ask one."""
    contact = _contact(request, contact_id)
    form = forms.BaseDataForm(request.POST)
    if not (form.is_valid() and _identified(contact, form)):
        return _panel(request, contact, "base_data", base_data_form=form)
    data = form.cleaned_data
    try:
        change = base_data_change(
            party_id=contact.party_id,
            attribute=data["attribute"],
            value=data["value"],
            actor=request.principal,
            assurance=contact.assurance or AssuranceLevel.LOW,  # a contact recorded without one: the floor
            channel=forms.CHANGE_CHANNEL.get(contact.channel, contact.channel),
            reason=data["reason"],
            contact_reference=str(contact.pk),
        )
    except REFUSALS as error:
        forms.errors_onto(form, error)
        # A datum held by another organisation: offer to send the wish on to that source.
        elsewhere = isinstance(error, RuleViolation) and error.code == "source_elsewhere"
        return _panel(request, contact, "base_data", base_data_form=form, send_on=elsewhere)
    if change.status == BaseDataChange.Status.APPLIED:
        return _done(request, contact, _("%(attribute)s gewijzigd.") % {"attribute": change.get_attribute_display()})
    code_form = forms.CodeForm(initial={"challenge": change.verification.pk})
    sent_to = masked_value(data["attribute"], change.verification.pending_value)
    return _panel(request, contact, "base_data", base_data_form=form, code_form=code_form, sent_to=sent_to)


@staff_screen(*CHANGE_BASE_DATA)
@require_POST
@_closed
def base_data_confirm(request, contact_id: int):
    contact = _contact(request, contact_id)
    form = forms.CodeForm(request.POST)
    if form.is_valid():
        try:
            change = verification_confirm(
                challenge_id=form.cleaned_data["challenge"],
                code=form.cleaned_data["code"].strip(),
                actor=request.principal,
                purpose=Purpose.CONTACT,
                purpose_reference=str(contact.pk),
            )
        except REFUSALS as error:
            forms.errors_onto(form, error, {"code": "code"})
            if error.field_errors:  # a wrong code: try again; else the code is spent, start anew
                return _panel(request, contact, "base_data", base_data_form=forms.BaseDataForm(), code_form=form)
            return _panel(request, contact, "base_data", base_data_form=forms.BaseDataForm(), refusal=error.message)
        return _done(
            request,
            contact,
            _("%(attribute)s gewijzigd en geverifieerd.") % {"attribute": change.get_attribute_display()},
        )
    return _panel(request, contact, "base_data", base_data_form=forms.BaseDataForm(), code_form=form)


@staff_screen(*CHANGE_BASE_DATA, "casemanagement.add_escalation")
@require_POST
@_closed
def base_data_request(request, contact_id: int):
    """The refused change, sent on as a request to the organisation that holds the datum."""
    contact = _contact(request, contact_id)
    form = forms.BaseDataForm(request.POST)
    if not (form.is_valid() and _identified(contact, form)):
        return _panel(request, contact, "base_data", base_data_form=form)
    try:
        escalation = base_data_request_escalate(
            contact=contact,
            actor=request.principal,
            attribute=form.cleaned_data["attribute"],
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
        )
    except REFUSALS as error:
        forms.errors_onto(form, error)
        return _panel(request, contact, "base_data", base_data_form=form)
    message = _("Verzoek doorgestuurd naar %(organisation)s, kenmerk %(reference)s.") % {
        "organisation": escalation.organisation.name,
        "reference": escalation.reference,
    }
    return _done(request, contact, message)


# --- escalation -----------------------------------------------------------------------------------


@staff_screen(*ESCALATE)
@require_POST
@_closed
def escalate(request, contact_id: int):
    """First the routing preview (which organisation, queue and deadlines the rules pick), then, on
    the agent's confirmation, the escalation itself."""
    contact = _contact(request, contact_id)
    form = forms.EscalationForm(request.POST, life_events=life_event_choices())
    if not form.is_valid():
        return _panel(request, contact, "escalate", escalation_form=form)
    data, articles = form.cleaned_data, list(contact.articles.all())
    try:
        if request.POST.get("step") != "confirm":
            route = escalation_route_preview(
                contact=contact,
                actor=request.principal,
                question=data["question"],
                life_event_id=data["life_event"],
                articles=articles,
            )
            return _panel(request, contact, "escalate", escalation_form=form, route=route)
        if data["life_event"] and data["life_event"] != contact.life_event_id:  # what the question is about
            contact = contact_moment_knowledge_link(
                contact_id=contact.pk, actor=request.principal, life_event_id=data["life_event"]
            )
        escalation = escalation_create(
            contact=contact,
            actor=request.principal,
            question=data["question"],
            context=data["context"],
            articles=articles,
            share_history=data["share_history"],
        )
    except REFUSALS as error:
        forms.errors_onto(form, error)
        return _panel(request, contact, "escalate", escalation_form=form)
    message = _("Doorgezet naar %(organisation)s, kenmerk %(reference)s, af vóór %(due)s.") % {
        "organisation": escalation.organisation.name,
        "reference": escalation.reference,
        "due": date_format(escalation.resolution_due, "j F Y"),
    }
    return _done(request, contact, message)


# --- callback -------------------------------------------------------------------------------------


@staff_screen(*CALLBACK)
@require_POST
@_closed
def callback(request, contact_id: int):
    """A callback for a team; the service closes the contact as "callback requested"."""
    contact = _contact(request, contact_id)
    form = forms.CallbackForm(request.POST)
    if form.is_valid():
        try:
            made = callback_request_create(
                queue=form.cleaned_data["queue"],
                phone_number=form.cleaned_data["phone_number"],
                question=form.cleaned_data["question"],
                actor=request.principal,
                contact_moment=contact,
                call_after=form.cleaned_data["call_after"],
                call_before=form.cleaned_data["call_before"],
            )
        except REFUSALS as error:
            forms.errors_onto(form, error)
        else:
            return _done(request, contact, _("Terugbelverzoek ingepland bij %(queue)s.") % {"queue": made.queue.name})
    return _panel(request, contact, "callback", callback_form=form)
