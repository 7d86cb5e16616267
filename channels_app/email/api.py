"""The raw-MIME door for mail servers that push: `POST /api/v1/email/messages` with the message as a
`message/rfc822` body and a token with the `email:deliver` scope. 202 with what became of it: imported,
duplicate (the same Message-ID again), suppressed (an automatic message) or quarantined (with the
quarantine id). A broken message is a 202 with its quarantine, never a 500; a message over the limit
is a 413 before it is read."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.exceptions import APIException, UnsupportedMediaType
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from channels_app.email.intake import email_intake
from channels_app.email.models import EmailMessage
from contactcentre.api.permissions import ScopeOrRolePermission

MEDIA_TYPE = "message/rfc822"


class MessageTooLarge(APIException):
    status_code = 413
    default_detail = _("Het bericht is groter dan toegestaan.")
    default_code = "message_too_large"


class RawMessageParser(BaseParser):
    """Declares the media type; the view reads the stream itself, bounded by the size limit."""

    media_type = MEDIA_TYPE

    def parse(self, stream, media_type=None, parser_context=None):  # pragma: no cover - the view never asks
        return stream.read()


class IntakeResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["imported", "duplicate", "suppressed", "quarantined"])
    message_id = serializers.CharField(allow_null=True, help_text="Message-ID van het bericht")
    thread = serializers.IntegerField(allow_null=True)
    contact_moment = serializers.IntegerField(allow_null=True)
    quarantine = serializers.IntegerField(allow_null=True, help_text="Nummer in de quarantaine")
    quarantine_reason = serializers.CharField(allow_null=True)


class RawMessageView(APIView):
    permission_classes = [ScopeOrRolePermission]
    parser_classes = [RawMessageParser]
    required_scopes = {"POST": "email:deliver"}
    required_perms: dict = {}  # people do not push mail

    @extend_schema(
        request={MEDIA_TYPE: OpenApiTypes.BINARY},
        responses={
            202: IntakeResultSerializer,
            413: OpenApiResponse(description="Het bericht is groter dan EMAIL_MAX_MESSAGE_BYTES."),
            415: OpenApiResponse(description="De inhoud is geen message/rfc822."),
        },
    )
    def post(self, request):
        if request.content_type.split(";")[0].strip().lower() != MEDIA_TYPE:
            raise UnsupportedMediaType(request.content_type)
        limit = settings.EMAIL_MAX_MESSAGE_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise MessageTooLarge()
        raw = request.stream.read(limit + 1) if request.stream is not None else b""
        if len(raw) > limit:
            raise MessageTooLarge()
        result = email_intake(raw=raw, source=EmailMessage.Source.PUSH)
        message, quarantine = result.message, result.quarantine
        body = {
            "result": result.outcome,
            "message_id": message.message_id if message else None,
            "thread": message.thread_id if message else None,
            "contact_moment": message.contact_moment_id if message else None,
            "quarantine": quarantine.pk if quarantine else None,
            "quarantine_reason": quarantine.reason if quarantine else None,
        }
        return Response(IntakeResultSerializer(body).data, status=http_status.HTTP_202_ACCEPTED)
