"""The case worker's worklist (`/behandelaar/`): for organisations that use the built-in worklist, a
person of the organisation works its escalations here. Signed in as staff with the role Behandelaar,
they act for their organisation exactly as its API client would (Principal.case_worker from their
CaseWorker membership), so the organisation-scoped selectors and services apply unchanged: only
their organisation's escalations, NotFound (404) for any other, every read and move logged."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from casemanagement.attachments import attachment_download
from casemanagement.escalations import TRANSITIONS, escalation_transition
from casemanagement.models import Escalation
from casemanagement.selectors import (
    case_worker_principal,
    escalation_attachment_get,
    escalation_detail,
    escalation_get,
    escalations_hand_out,
    escalations_worklist,
)
from contactcentre.api.screens import staff_screen
from contactcentre.errors import RuleViolation, ValidationFailed
from contactcentre.interactions.models import Channel
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.models import Organisation

WORK = "casemanagement.work_worklist"
PAGE_SIZE = 50
State = Escalation.State


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Toelichting (optioneel)"), max_length=2000, required=False)


class ReturnForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Uw vraag aan de eerste lijn"), max_length=2000, widget=forms.Textarea)


class ResolveForm(forms.Form):
    resolution_text = forms.CharField(
        label=gettext_lazy("Uitkomst voor de burger"), max_length=4000, widget=forms.Textarea
    )


class ForwardForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Naar organisatie"), queryset=Organisation.objects.none(), to_field_name="code"
    )
    note = forms.CharField(label=gettext_lazy("Waarom (optioneel)"), max_length=2000, required=False)

    def __init__(self, *args, escalation: Escalation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=escalation.organisation_id).order_by(
            "name"
        )


# move -> (the state it leads to, its form)
MOVES = {
    "accept": (State.ACCEPTED, NoteForm),
    "start": (State.IN_PROGRESS, NoteForm),
    "return": (State.RETURNED, ReturnForm),
    "resolve": (State.RESOLVED, ResolveForm),
    "forward": (State.FORWARDED, ForwardForm),
}


def _form(move: str, escalation: Escalation, data=None) -> forms.Form:
    form_class = MOVES[move][1]
    kwargs = {"escalation": escalation} if form_class is ForwardForm else {}
    return form_class(data, prefix=move, **kwargs)


def case_worker_screen(view):
    """A staff screen for the role Behandelaar that runs as the case worker of their organisation;
    signed in with the role but no organisation: a 403 page that says so."""

    @staff_screen(WORK)
    @wraps(view)
    def as_case_worker(request, *args, **kwargs):
        principal = case_worker_principal(user=request.user)
        if principal is None:
            return render(request, "worklist/no_organisation.html", status=403)
        request.principal = principal
        return view(request, *args, **kwargs)

    return as_case_worker


@case_worker_screen  # first: an anonymous caller is sent to sign in, whatever the method
@require_GET
def worklist(request):
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    page = Paginator(escalations_worklist(principal=request.principal, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = escalations_hand_out(
        escalations=page, principal=request.principal, purpose=Purpose.SECOND_LINE, purpose_reference="worklist"
    )
    context = {"page": page, "escalations": shown, "state": state, "states": State.choices, "now": timezone.now()}
    return render(request, "worklist/list.html", context)


@case_worker_screen  # first: an anonymous caller is sent to sign in, whatever the method
@require_GET
def escalation(request, reference: str):
    return _escalation_page(request, reference)


def _escalation_page(request, reference: str, *, bound: forms.Form | None = None, error: str = ""):
    """The escalation with its timeline, attachments and consented contact history, and a form for
    each move its state allows (`bound`: the one just sent, with its errors)."""
    escalation = escalation_get(reference=reference, principal=request.principal)
    shown = escalation_detail(
        escalation=escalation,
        principal=request.principal,
        purpose=Purpose.SECOND_LINE,
        purpose_reference=escalation.reference,
    )
    for contact in shown.shown_contact_history or ():
        contact["channel_label"] = Channel(contact["channel"]).label
    allowed = TRANSITIONS.get(escalation.state, set())
    moves = {
        move: bound if bound is not None and bound.prefix == move else _form(move, escalation)
        for move, (to_state, _form_class) in MOVES.items()
        if to_state in allowed
    }
    context = {"escalation": shown, "moves": moves, "error": error, "now": timezone.now()}
    return render(request, "worklist/escalation.html", context, status=400 if bound is not None else 200)


@case_worker_screen  # first: an anonymous caller is sent to sign in, whatever the method
@require_POST
def escalation_move(request, reference: str, move: str):
    if move not in MOVES:
        raise Http404
    escalation = escalation_get(reference=reference, principal=request.principal)
    form = _form(move, escalation, request.POST)
    if not form.is_valid():
        return _escalation_page(request, reference, bound=form)
    data = form.cleaned_data
    try:
        moved = escalation_transition(
            escalation=escalation,
            to_state=MOVES[move][0],
            actor=request.principal,
            note=data.get("note", ""),
            resolution_text=data.get("resolution_text", ""),
            forward_to=data.get("organisation"),
        )
    except (ValidationFailed, RuleViolation) as failure:
        for field, problems in failure.field_errors.items():
            form.add_error(field if field in form.fields else None, problems)
        return _escalation_page(request, reference, bound=form, error="" if failure.field_errors else failure.message)
    if move == "forward":  # no longer ours: back to the list
        messages.success(request, _("Doorgestuurd naar %(organisation)s.") % {"organisation": moved.organisation.name})
        return redirect("worklist")
    messages.success(request, _("Status: %(state)s.") % {"state": moved.get_state_display()})
    return redirect("worklist-escalation", reference=moved.reference)


@case_worker_screen  # first: an anonymous caller is sent to sign in, whatever the method
@require_GET
def attachment(request, reference: str, key):
    return attachment_download(escalation_attachment_get(reference=reference, key=key, principal=request.principal))
