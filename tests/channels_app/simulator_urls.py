"""The project's URLs with a tiny voice menu in front of /twilio/voice/ (signed like the real one), so the
simulator's call-following is tested on TwiML it must follow generically."""

from django.http import HttpResponse
from django.urls import include, path
from twilio.twiml.voice_response import VoiceResponse

from channels_app.twilio_signature import twilio_signed


def _twiml(response: VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


@twilio_signed
def welcome(request):
    response = VoiceResponse()
    response.say("Welkom.")
    gather = response.gather(action="menu/?step=1", num_digits=1)  # relative, as Twilio allows
    gather.say("Kies 1 voor nog een keer, 2 voor een medewerker, 3 voor elders.")
    response.say("U koos niets.")
    response.hangup()
    return _twiml(response)


@twilio_signed
def menu(request):
    response = VoiceResponse()
    digits = request.POST.get("Digits", "")
    if digits == "1":
        response.say("Nog een keer.")
        response.redirect("/twilio/voice/")
    elif digits == "2":
        response.say(f"Stap {request.GET.get('step')}: een ogenblik.")
        response.enqueue("agents")
    else:
        response.redirect("https://elders.example/twilio/voice/")
    return _twiml(response)


urlpatterns = [
    path("twilio/voice/", welcome),
    path("twilio/voice/menu/", menu),
    path("", include("contactcentre.urls")),
]
