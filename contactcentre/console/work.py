"""The agent's work queue: the items I hold (each with what it is and, when it has one, a link to its
contact's workspace), the queues I work with their count and oldest item, and the actions: take the
next (from all my queues or one), take a waiting item, give it back, finish it, answer it in writing
on its own channel, record a callback's outcome. Every action is a form post answered with a redirect
to the page (its result as a message), so the page works without script; keyboard shortcuts are
static/console/keyboard.js. staff_screen comes before the method check: an anonymous caller is sent
to sign in whatever the method."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from contactcentre.api.screens import staff_screen
from contactcentre.errors import Conflict, RuleViolation, ValidationFailed
from contactcentre.interactions.answers import ANSWER_CHANNELS, ANSWER_MAX, work_item_answer, work_item_callback_record
from contactcentre.interactions.selectors import work_items_at_hand, work_items_open, work_queue_overview
from contactcentre.interactions.work_items import (
    work_item_claim,
    work_item_claim_next,
    work_item_complete,
    work_item_release,
)

WORK = ("interactions.view_workitem", "interactions.change_workitem")
WAITING_SHOWN = 25  # the waiting items listed to pick from; the counts per queue say how many there are
# What goes wrong in a user's hands: shown on the page, the item left as it was.
REFUSALS = (Conflict, RuleViolation, ValidationFailed)


def _refusal_text(error) -> str:
    field_errors = getattr(error, "field_errors", None) or {}
    return " ".join(str(text) for texts in field_errors.values() for text in texts) or str(error)


def _done(request, action, success: str):
    try:
        action()
    except REFUSALS as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, success)
    return redirect("console-work")


@staff_screen(*WORK)
@require_GET
def work_page(request):
    principal = request.principal
    context = {
        "mine": work_items_at_hand(principal=principal),
        "queues": work_queue_overview(principal=principal),
        "waiting": list(work_items_open(principal=principal)[:WAITING_SHOWN]),
        "answerable": set(ANSWER_CHANNELS),
        "answer_max": ANSWER_MAX,
    }
    return render(request, "console/work.html", context)


@staff_screen(*WORK)
@require_POST
def claim_next(request):
    queue_code = request.POST.get("queue") or None
    if queue_code is not None and not (queue_code.isascii() and len(queue_code) <= 64):
        queue_code = "-"  # no such queue: nothing to take
    item = work_item_claim_next(principal=request.principal, queue_code=queue_code)
    if item is None:
        messages.info(request, _("Er wacht geen werk in uw werkbakken."))
    else:
        messages.success(request, _("U behandelt nu: %(title)s") % {"title": item.title})
    return redirect("console-work")


@staff_screen(*WORK)
@require_POST
def claim(request, item_id: int):
    return _done(
        request, lambda: work_item_claim(principal=request.principal, item_id=item_id), _("Het werkitem is van u.")
    )


@staff_screen(*WORK)
@require_POST
def release(request, item_id: int):
    return _done(
        request,
        lambda: work_item_release(principal=request.principal, item_id=item_id),
        _("Het werkitem is terug in de werkbak."),
    )


@staff_screen(*WORK)
@require_POST
def complete(request, item_id: int):
    outcome = request.POST.get("outcome", "")
    return _done(
        request,
        lambda: work_item_complete(principal=request.principal, item_id=item_id, outcome=outcome),
        _("Het werkitem is afgehandeld."),
    )


@staff_screen(*WORK)
@require_POST
def answer(request, item_id: int):
    text = request.POST.get("text", "")
    return _done(
        request,
        lambda: work_item_answer(principal=request.principal, item_id=item_id, text=text),
        _("Het antwoord is verstuurd en het werkitem is afgehandeld."),
    )


@staff_screen(*WORK)
@require_POST
def callback_outcome(request, item_id: int):
    reached = request.POST.get("reached") == "1"
    result = request.POST.get("result", "")[:500]
    return _done(
        request,
        lambda: work_item_callback_record(principal=request.principal, item_id=item_id, reached=reached, result=result),
        _("Het resultaat van het terugbellen is vastgelegd."),
    )
