"""Request a callback (Mijn omgeving): a phone number (their own verified one to start with), a
morning or afternoon of one of the next working days and the question; it becomes a web contact and a
callback in the callback team's queue. The page lists the citizen's open callbacks, each cancellable
until an agent has taken it."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contactcentre.errors import DomainError
from contactcentre.firstline.services import QUESTION_MAX, web_callback_request_submit
from contactcentre.interactions.models import CallbackRequest
from contactcentre.interactions.selectors import callback_requests_visible, open_callbacks_of_party, rows_read_log
from contactcentre.interactions.services import callback_request_update
from contactcentre.portal.callback_windows import callback_window_find, callback_windows
from contactcentre.portal.mijn import SELF, citizen_required, error_messages, my_base_data

OPEN_LIST = 20


def _verified_default_phone(citizen) -> str:
    phones = my_base_data(citizen).get("phones") or []
    return next((phone["value"] for phone in phones if phone["is_default"] and phone["verified"]), "")


def _open_callbacks(citizen) -> list[CallbackRequest]:
    rows = open_callbacks_of_party(party_id=citizen.party_id, principal=citizen).order_by("call_after", "id")
    return rows_read_log(
        rows=rows[:OPEN_LIST], actor=citizen, object_type="callback_request", purpose=SELF, purpose_reference=""
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def callbacks(request):
    citizen = request.citizen
    form = {"phone_number": "", "window": "", "question": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = {name: request.POST.get(name, "").strip() for name in form}
        window = callback_window_find(form["window"])
        if window is None:
            errors["window"] = [_("Kies een van de tijden hieronder.")]
        else:
            try:
                web_callback_request_submit(
                    citizen=citizen,
                    queue_code=settings.PORTAL_CALLBACK_QUEUE,
                    phone_number=form["phone_number"],
                    question=form["question"],
                    call_after=window.start,
                    call_before=window.end,
                )
            except DomainError as error:
                errors = {field: [str(message) for message in found] for field, found in error.field_errors.items()}
                errors = errors or {"form": error_messages(error)}
            else:
                messages.success(
                    request, _("Uw terugbelverzoek is ontvangen. Wij bellen u %(when)s.") % {"when": window.label}
                )
                return redirect(reverse("portal-callbacks"))
    else:
        form["phone_number"] = _verified_default_phone(citizen)
    context = {
        "form": form,
        "errors": errors,
        "error_summary": [message for found in errors.values() for message in found],
        "windows": callback_windows(),
        "open_callbacks": _open_callbacks(citizen),
        "question_max": QUESTION_MAX,
    }
    return render(request, "portal/mijn_terugbellen.html", context, status=400 if errors else 200)


@citizen_required
@require_POST
def callback_cancel(request, callback_id: int):
    callback = callback_requests_visible(principal=request.citizen).filter(pk=callback_id).first()
    if callback is None:
        raise Http404
    try:
        callback_request_update(
            callback=callback,
            status=CallbackRequest.Status.CANCELLED,
            actor=request.citizen,
            result=_("Geannuleerd door de burger"),
        )
    except DomainError as error:
        messages.error(request, " ".join(error_messages(error)))
    else:
        messages.success(request, _("Uw terugbelverzoek is geannuleerd."))
    return redirect(reverse("portal-callbacks"))
