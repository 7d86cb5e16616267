"""The e-mail door's endpoints.

- `POST /api/v1/email/messages`, for mail servers that push: the message as a `message/rfc822` body
  and a token with the `email:deliver` scope. 202 with what became of it: imported, duplicate (the same
  Message-ID again), suppressed (an automatic message) or quarantined (with the quarantine id). A broken
  message is a 202 with its quarantine, never a 500; a message over the limit is a 413 before it is read.
- `GET /api/v1/email/threads/<id>`: the thread as the agent reads it (each message's new text without
  quoted history and signature, the full text, the attachments), for the contact at hand.
- `POST /api/v1/email/messages/<id>/replies`: the agent's answer, sent in the thread.
"""

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
from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread
from channels_app.email.outbound import email_reply_send
from channels_app.email.selectors import email_message_inbound, email_thread_contact, email_thread_get
from contactcentre.api.permissions import ScopeOrRolePermission
from contactcentre.errors import NotFound
from contactcentre.processinglog.api.purpose import PURPOSE_PARAMETERS, request_grant
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record

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


# --- the agent's side --------------------------------------------------------------------------


class EmailAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmailAttachment
        fields = ["id", "filename", "content_type", "size", "refused_reason"]


class EmailMessageSerializer(serializers.ModelSerializer):
    attachments = EmailAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = EmailMessage
        fields = [
            "id",
            "direction",
            "status",
            "suppressed_reason",
            "message_id",
            "from_address",
            "to_addresses",
            "subject",
            "sent_at",
            "created_at",
            "reply_text",
            "body_text",
            "contact_moment",
            "attachments",
        ]


class EmailThreadSerializer(serializers.ModelSerializer):
    messages = EmailMessageSerializer(many=True, read_only=True, source="message_list")

    class Meta:
        model = EmailThread
        fields = ["id", "subject", "address", "party", "case", "created_at", "messages"]


class EmailReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20_000, trim_whitespace=True)


class EmailThreadView(APIView):
    """Without a stated purpose the thread's newest inbound contact is the one at hand."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"GET": ("channels_app.view_emailthread",)}

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=EmailThreadSerializer)
    def get(self, request, thread_id: int):
        thread = email_thread_get(thread_id=thread_id)
        if thread is None:
            raise NotFound()
        if thread.party_id is not None:
            params = request.query_params
            default = {"purpose": Purpose.CONTACT, "purpose_reference": str(email_thread_contact(thread) or "")}
            grant = request_grant(
                request,
                party_id=thread.party_id,
                object_type="email_thread",
                source=params if params.get("purpose") else default,
            )
            processing_log_record(
                actor=request.user,
                action=ProcessingRecord.Action.READ,
                object_type="email_thread",
                object_id=str(thread.pk),
                party_ids=[thread.party_id],
                purpose=grant.purpose,
                purpose_reference=grant.reference,
            )
        return Response(EmailThreadSerializer(thread).data)


class EmailReplyView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": ("channels_app.add_emailmessage",)}

    @extend_schema(request=EmailReplySerializer, responses={201: EmailMessageSerializer})
    def post(self, request, message_id: int):
        body = EmailReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = email_message_inbound(message_id=message_id)
        if message is None or message.thread_id is None:
            raise NotFound()
        reply = email_reply_send(message=message, actor=request.user, body=body.validated_data["body"])
        return Response(EmailMessageSerializer(reply).data, status=http_status.HTTP_201_CREATED)
