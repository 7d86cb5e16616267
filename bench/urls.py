"""The real URLs plus two reference endpoints that exist only in this URLconf, never in
contactcentre.urls:

- `/bench/ceiling`: a bare Django JSON view, the ceiling a request can reach on this server set-up
  (same middleware, same workers, no authentication, no database);
- `/bench/signed-in`: the same answer from a DRF view behind what every agent request passes (the
  session, the user and the permission check of the customer view), to show what that costs before
  any work is done;
- `/bench/twilio-signed`: empty TwiML behind the Twilio signature check every voice webhook passes
  (channels_app/twilio_signature.py), the baseline of bench/voice_webhook.py.
"""

from django.http import HttpResponse, JsonResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from channels_app.twilio_signature import twilio_signed
from contactcentre.api.permissions import ScopeOrRolePermission
from contactcentre.urls import urlpatterns as real_urlpatterns

ANSWER = {"ok": True, "items": [{"id": 1, "name": "plafond"}]}


def ceiling(request):
    return JsonResponse(ANSWER)


@twilio_signed
def twilio_signed_empty(request):
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Response />', content_type="application/xml")


class SignedIn(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes: dict = {}
    required_perms = {"GET": ("registry.view_party", "casemanagement.view_case", "interactions.view_contactmoment")}

    def get(self, request):
        return Response(ANSWER)


urlpatterns = [
    path("bench/ceiling", ceiling, name="bench-ceiling"),
    path("bench/signed-in", SignedIn.as_view(), name="bench-signed-in"),
    path("bench/twilio-signed", twilio_signed_empty, name="bench-twilio-signed"),
    *real_urlpatterns,
]
