"""/demo/twilio/: the Twilio simulator's page for signed-in staff (DEMO_MODE only; otherwise the page does
not exist). It sends real, signed HTTP webhooks to TWILIO_WEBHOOK_BASE_URL, as Twilio would."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from channels_app.simulator.forms import TwilioSimulatorForm
from channels_app.simulator.twilio import SimulatorError, simulator_enabled, sms_simulate, voice_simulate


def demo_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not simulator_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return checked


@demo_only  # first: without DEMO_MODE there is no page, also not a sign-in for it
@login_required
@require_http_methods(["GET", "POST"])
def twilio_simulator(request):
    form = TwilioSimulatorForm(request.POST or None)
    simulation, error = None, ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "sms":
                simulation = sms_simulate(sender=data["sender"], body=data["body"])
            else:
                simulation = voice_simulate(sender=data["sender"], digits=data["digits"], speech=data["speech"])
        except SimulatorError as failure:
            error = str(failure)
    return render(
        request,
        "demo/twilio_simulator.html",
        {"form": form, "simulation": simulation, "error": error, "base_url": settings.TWILIO_WEBHOOK_BASE_URL},
    )
