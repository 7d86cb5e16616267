"""Contact-moment and callback endpoints. First-line people see every contact; an organisation's
system only the contacts it recorded itself; callbacks are first-line work."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status as http_status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api.permissions import ScopeOrRolePermission, scopes
from contactcentre.errors import AccessDenied, NotFound, ValidationFailed
from contactcentre.interactions.api.filters import CallbackRequestFilter, ContactMomentFilter
from contactcentre.interactions.api.serializers import (
    CallbackRequestCreateSerializer,
    CallbackRequestSerializer,
    CallbackRequestUpdateSerializer,
    ContactMomentCloseSerializer,
    ContactMomentCreateSerializer,
    ContactMomentSerializer,
    IdentityDocumentCheckSerializer,
)
from contactcentre.interactions.models import CallbackRequest, ContactMoment
from contactcentre.interactions.selectors import (
    callback_requests_visible,
    contact_moments_visible,
    rows_read_log,
)
from contactcentre.interactions.services import (
    CHECK_IDENTITY_DOCUMENT,
    callback_request_create,
    callback_request_update,
    contact_identity_document_check,
    contact_moment_close,
    contact_moment_record,
)
from contactcentre.processinglog.api.purpose import PURPOSE_PARAMETERS, list_grant, request_grant
from contactcentre.processinglog.purposes import Purpose


class ContactMomentListView(GenericAPIView):
    """GET: the contact history of a party across all channels, newest first. POST: record a contact;
    the same `external_id` on the same channel gives back the existing contact (200, not 201)."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="contacts:read", write="contacts:write")
    required_perms = {"GET": ("interactions.view_contactmoment",), "POST": ("interactions.add_contactmoment",)}
    filterset_class = ContactMomentFilter
    serializer_class = ContactMomentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no principal
            return ContactMoment.objects.none()
        return contact_moments_visible(principal=self.request.user).order_by("-started_at", "-id")

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=ContactMomentSerializer(many=True))
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        grant = list_grant(
            request, object_type="contact_moment", missing_party=_("Kies de persoon van wie u de contacten opent.")
        )
        rows = rows_read_log(
            rows=self.paginate_queryset(queryset),
            actor=request.user,
            object_type="contact_moment",
            purpose=grant.purpose,
            purpose_reference=grant.reference,
        )
        return self.get_paginated_response(ContactMomentSerializer(rows, many=True).data)

    @extend_schema(
        request=ContactMomentCreateSerializer,
        responses={201: ContactMomentSerializer, 200: ContactMomentSerializer},
    )
    def post(self, request):
        body = ContactMomentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contact, created = contact_moment_record(actor=request.user, agent=request.user.user, **data)
        if not created and not contact_moments_visible(principal=request.user).filter(pk=contact.pk).exists():
            # Someone else's event id: do not reveal that contact.
            raise ValidationFailed(field_errors={"external_id": [_("Dit kenmerk is al in gebruik.")]})
        contact = contact_moments_visible(principal=request.user).get(pk=contact.pk)
        return Response(
            ContactMomentSerializer(contact).data,
            status=http_status.HTTP_201_CREATED if created else http_status.HTTP_200_OK,
        )


def _contact_for(request, contact_id: int):
    contact = contact_moments_visible(principal=request.user).filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("Contactmoment niet gevonden."))
    return contact


class ContactMomentDetailView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="contacts:read")
    required_perms = {"GET": ("interactions.view_contactmoment",)}

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=ContactMomentSerializer)
    def get(self, request, contact_id: int):
        contact = _contact_for(request, contact_id)
        purpose, reference = Purpose.CONTACT, str(contact.pk)
        if contact.party_id and not request.user.is_organisation:
            # Without a stated purpose, the contact itself is the one at hand (valid while recent).
            params = request.query_params
            source = params if params.get("purpose") else {"purpose": purpose, "purpose_reference": reference}
            grant = request_grant(request, party_id=contact.party_id, object_type="contact_moment", source=source)
            purpose, reference = grant.purpose, grant.reference
        rows_read_log(
            rows=[contact],
            actor=request.user,
            object_type="contact_moment",
            purpose=purpose,
            purpose_reference=reference,
        )
        return Response(ContactMomentSerializer(contact).data)


class ContactMomentCloseView(APIView):
    """Record the outcome and the end of a contact (once)."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "contacts:write"}
    required_perms = {"POST": ("interactions.change_contactmoment",)}

    @extend_schema(request=ContactMomentCloseSerializer, responses=ContactMomentSerializer)
    def post(self, request, contact_id: int):
        contact = _contact_for(request, contact_id)
        body = ContactMomentCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact_moment_close(contact=contact, actor=request.user, **body.validated_data)
        return Response(ContactMomentSerializer(_contact_for(request, contact_id)).data)


class ContactMomentIdentityCheckView(APIView):
    """The counter clerk handling a visit has checked the visitor's identity document: the visit is
    now at assurance "high" (the kind of document is recorded, not its number)."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes: dict = {}  # people at the counter only
    required_perms = {"POST": (CHECK_IDENTITY_DOCUMENT,)}

    @extend_schema(request=IdentityDocumentCheckSerializer, responses=ContactMomentSerializer)
    def post(self, request, contact_id: int):
        contact = _contact_for(request, contact_id)
        body = IdentityDocumentCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact_identity_document_check(contact=contact, actor=request.user, **body.validated_data)
        return Response(ContactMomentSerializer(_contact_for(request, contact_id)).data)


class CallbackRequestListView(GenericAPIView):
    """GET: callback requests (a queue's worklist, or a party's). POST: ask a team to call back."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "contacts:write"}
    required_perms = {"GET": ("interactions.view_callbackrequest",), "POST": ("interactions.add_callbackrequest",)}
    filterset_class = CallbackRequestFilter
    serializer_class = CallbackRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CallbackRequest.objects.none()
        return callback_requests_visible(principal=self.request.user).order_by("call_after", "id")

    @extend_schema(responses=CallbackRequestSerializer(many=True))
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        rows = rows_read_log(
            rows=self.paginate_queryset(queryset),
            actor=request.user,
            object_type="callback_request",
            purpose=Purpose.CONTACT,
            purpose_reference="callback-worklist",
        )
        return self.get_paginated_response(CallbackRequestSerializer(rows, many=True).data)

    @extend_schema(request=CallbackRequestCreateSerializer, responses={201: CallbackRequestSerializer})
    def post(self, request):
        body = CallbackRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contact = data.get("contact_moment")
        if contact is not None and not contact_moments_visible(principal=request.user).filter(pk=contact.pk).exists():
            raise ValidationFailed(field_errors={"contact_moment": [_("Contactmoment niet gevonden.")]})
        callback = callback_request_create(actor=request.user, **data)
        return Response(CallbackRequestSerializer(callback).data, status=http_status.HTTP_201_CREATED)


class CallbackRequestStatusView(APIView):
    """Take a callback (in_progress), put it back (open) or finish it (done, failed, cancelled)."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {}
    required_perms = {"POST": ("interactions.change_callbackrequest",)}

    @extend_schema(request=CallbackRequestUpdateSerializer, responses=CallbackRequestSerializer)
    def post(self, request, callback_id: int):
        callback = callback_requests_visible(principal=request.user).filter(pk=callback_id).first()
        if callback is None:
            raise NotFound(_("Terugbelverzoek niet gevonden."))
        body = CallbackRequestUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["assigned_to"] is not None and not request.user.has_perm(
            "interactions.assign_callbackrequest"
        ):
            raise AccessDenied(_("Alleen een teamleider wijst terugbelverzoeken aan een ander toe."))
        callback = callback_request_update(callback=callback, actor=request.user, **body.validated_data)
        return Response(CallbackRequestSerializer(callback).data)
