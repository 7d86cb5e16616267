"""The counter desk: the clerk's screen at an office. The office's waiting tickets (polled by htmx),
"call next" for the desk the clerk sits at (remembered in the session), and for each ticket they
called: recall, no-show, serve (find the visitor), record the identity document checked, open the
customer view of the visit's contact, finish with an outcome and print a summary for the visitor.

Every step is the counter's services' (channels_app.counter.services); the pages only collect the
input and show the outcome. Forms post and redirect back to the desk, so a reload repeats nothing;
the BSN typed to find a visitor travels only in the POST body and is never shown again.
`staff_screen` comes before the method check on every view: anonymous is sent to sign in, whatever
the method.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from channels_app.counter import services
from channels_app.counter.forms import DeskForm, FinishForm, IdentityCheckForm, ServeForm
from channels_app.counter.models import Ticket
from channels_app.counter.selectors import (
    CALL_TICKET,
    office_of_clerk,
    offices_of_clerk,
    ticket_of_clerk,
    tickets_at_desk,
    tickets_waiting,
    visit_summary,
)
from contactcentre.api.screens import staff_screen
from contactcentre.errors import Conflict, RuleViolation, ValidationFailed
from contactcentre.firstline.services import identity_resolve
from contactcentre.interactions.services import contact_identity_document_check

# What a clerk can do wrong or too late (a colleague was quicker, a wrong BSN): said on the desk page.
_REFUSALS = (ValidationFailed, RuleViolation, Conflict)


def _desk_key(office) -> str:
    return f"counter_desk:{office.code}"


def _errors_text(field_errors: dict) -> str:
    return " ".join(str(text) for texts in field_errors.values() for text in texts)


def _refusal_text(error) -> str:
    return _errors_text(error.field_errors) or error.message


@staff_screen(CALL_TICKET)  # the clerks' screen: who cannot call a ticket has no desk here
@require_GET
def desks(request):
    offices = list(offices_of_clerk(actor=request.principal))
    if len(offices) == 1:
        return redirect("counter-desk", code=offices[0].code)
    return render(request, "counter/desks.html", {"offices": offices})


@never_cache
@staff_screen(CALL_TICKET)
@require_GET
def desk(request, code: str):
    office = office_of_clerk(code=code, actor=request.principal)
    desk_name = request.session.get(_desk_key(office), "")
    at_desk = [
        {
            "ticket": ticket,
            "serve_form": ServeForm(prefix=f"ticket{ticket.pk}"),
            "identity_form": IdentityCheckForm(prefix=f"ticket{ticket.pk}"),
            "finish_form": FinishForm(prefix=f"ticket{ticket.pk}"),
        }
        for ticket in tickets_at_desk(office=office, actor=request.principal)
    ]
    return render(
        request,
        "counter/desk.html",
        {
            "office": office,
            "desk_name": desk_name,
            "desk_form": DeskForm(initial={"desk": desk_name}),
            "at_desk": at_desk,
            "waiting": list(tickets_waiting(office=office)),
        },
    )


@never_cache
@staff_screen(CALL_TICKET)
@require_GET
def queue(request, code: str):
    """The waiting list alone, for the desk page's htmx polling."""
    office = office_of_clerk(code=code, actor=request.principal)
    return render(
        request, "counter/desk_queue.html", {"office": office, "waiting": list(tickets_waiting(office=office))}
    )


@staff_screen(CALL_TICKET)
@require_POST
def desk_choose(request, code: str):
    office = office_of_clerk(code=code, actor=request.principal)
    form = DeskForm(request.POST)
    if form.is_valid():
        request.session[_desk_key(office)] = form.cleaned_data["desk"].strip()
    else:
        messages.error(request, _errors_text(form.errors))
    return redirect("counter-desk", code=office.code)


@staff_screen(CALL_TICKET)
@require_POST
def call_next(request, code: str):
    office = office_of_clerk(code=code, actor=request.principal)
    desk_name = request.session.get(_desk_key(office), "")
    if not desk_name:
        messages.error(request, _("Kies eerst aan welke balie u zit."))
        return redirect("counter-desk", code=office.code)
    ticket = services.ticket_call_next(office_code=office.code, desk=desk_name, actor=request.principal)
    if ticket is None:
        messages.info(request, _("Er wacht niemand."))
    else:
        messages.success(
            request, _("%(number)s is opgeroepen naar %(desk)s.") % {"number": ticket.number, "desk": ticket.desk}
        )
    return redirect("counter-desk", code=office.code)


def _ticket_step(step):
    """A POST on one ticket this clerk called at this office: the step runs with (request, ticket) and
    says what happened; a refusal (a wrong status, an unknown BSN) is shown on the desk page. Where to
    go next is the desk, unless the step names another page."""

    @staff_screen(CALL_TICKET)
    @require_POST
    @wraps(step)
    def view(request, code: str, ticket_id: int):
        office = office_of_clerk(code=code, actor=request.principal)
        ticket = ticket_of_clerk(office=office, ticket_id=ticket_id, actor=request.principal)
        try:
            next_page = step(request, ticket)
        except _REFUSALS as error:
            messages.error(request, _refusal_text(error))
            next_page = None
        return next_page or redirect("counter-desk", code=office.code)

    return view


@_ticket_step
def recall(request, ticket):
    services.ticket_recall(ticket_id=ticket.pk, actor=request.principal)
    messages.success(request, _("%(number)s is opnieuw opgeroepen.") % {"number": ticket.number})


@_ticket_step
def no_show(request, ticket):
    services.ticket_no_show(ticket_id=ticket.pk, actor=request.principal)
    messages.success(request, _("%(number)s is niet verschenen.") % {"number": ticket.number})


@_ticket_step
def serve(request, ticket):
    """The visitor is at the desk. Found first, so a BSN or reference that fits nobody (or more than one
    person) leaves the ticket called and the clerk can try again; the serve itself logs the search."""
    form = ServeForm(request.POST, prefix=f"ticket{ticket.pk}")
    if not form.is_valid():
        raise ValidationFailed(field_errors=form.errors)
    claim = form.identity_claim()
    if claim is not None:
        party, ambiguous = identity_resolve(claim=claim)
        if party is None:
            raise ValidationFailed(
                field_errors={
                    "value": [
                        _("Meer dan één persoon past hierbij: zoek met het BSN.")
                        if ambiguous
                        else _("Niemand gevonden met dit BSN of zaaknummer.")
                    ]
                }
            )
    _ticket, offer = services.ticket_serve(ticket_id=ticket.pk, actor=request.principal, identity_claim=claim)
    if offer.party is None:
        messages.success(request, _("U helpt %(number)s.") % {"number": ticket.number})
    else:
        messages.success(
            request,
            _("U helpt %(number)s: %(name)s. Controleer het identiteitsbewijs.")
            % {"number": ticket.number, "name": offer.party.display_name},
        )


@_ticket_step
def identity_check(request, ticket):
    """The kind of document checked raises the visit to assurance "high"; its number is never asked."""
    form = IdentityCheckForm(request.POST, prefix=f"ticket{ticket.pk}")
    if not form.is_valid() or ticket.status != Ticket.Status.SERVING:
        raise ValidationFailed(field_errors=form.errors or {"ticket": [_("Help de bezoeker eerst.")]})
    contact = contact_identity_document_check(
        contact=ticket.contact_moment, document=form.cleaned_data["document"], actor=request.principal
    )
    messages.success(
        request,
        _("Identiteit vastgesteld met: %(document)s.") % {"document": contact.get_identity_document_display()},
    )


@_ticket_step
def finish(request, ticket):
    """The visit is over; next comes the summary the visitor takes home."""
    form = FinishForm(request.POST, prefix=f"ticket{ticket.pk}")
    if not form.is_valid():
        raise ValidationFailed(field_errors=form.errors)
    services.ticket_finish(ticket_id=ticket.pk, outcome=form.cleaned_data["outcome"], actor=request.principal)
    messages.success(request, _("%(number)s is afgerond.") % {"number": ticket.number})
    return redirect("counter-desk-summary", code=ticket.office.code, ticket_id=ticket.pk)


@never_cache
@staff_screen(CALL_TICKET)
@require_GET
def summary(request, code: str, ticket_id: int):
    """The printable summary for the visitor: no BSN on it, and opening it is logged."""
    office = office_of_clerk(code=code, actor=request.principal)
    ticket = ticket_of_clerk(office=office, ticket_id=ticket_id, actor=request.principal)
    context = {"office": office, "ticket": ticket, **visit_summary(ticket=ticket, actor=request.principal)}
    return render(request, "counter/desk_summary.html", context)
