"""First-line endpoints: open a contact (identify -> record -> offer) and the integrated customer view."""

from dataclasses import fields

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http_status
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api.permissions import ScopeOrRolePermission
from contactcentre.firstline.api.serializers import (
    ContactOpenSerializer,
    CustomerViewSerializer,
    FirstLineOfferSerializer,
)
from contactcentre.firstline.selectors import customer_view
from contactcentre.firstline.services import IdentityClaim, contact_open
from contactcentre.processinglog.api.purpose import PURPOSE_PARAMETERS


class ContactOpenView(APIView):
    """Open a contact for whoever is at the door: the identity claim (BSN, phone number, e-mail
    address, case reference, KvK number; in the body, never in the URL) is resolved to a party, the
    contact is recorded once per channel event, and the answer says what the first line can offer."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "contacts:write"}
    required_perms = {"POST": ("interactions.add_contactmoment", "casemanagement.view_case")}

    @extend_schema(
        request=ContactOpenSerializer, responses={201: FirstLineOfferSerializer, 200: FirstLineOfferSerializer}
    )
    def post(self, request):
        body = ContactOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        claim = data.pop("identity_claim", None)
        offer = contact_open(
            actor=request.user,
            identity_claim=IdentityClaim(kind=claim["kind"], value=claim["value"]) if claim else None,
            **data,
        )
        payload = {
            "contact": offer.contact,
            "created": offer.created,
            "party": {"id": offer.party.pk, "name": offer.party.display_name} if offer.party else None,
            "ambiguous": offer.ambiguous,
            "cases": offer.cases,
            "status_needs_second_factor": offer.status_needs_second_factor,
            "life_events": offer.life_events,
            "articles": offer.articles,
        }
        return Response(
            FirstLineOfferSerializer(payload).data,
            status=http_status.HTTP_201_CREATED if offer.created else http_status.HTTP_200_OK,
        )


class CustomerViewView(APIView):
    """The integrated customer view of one party: base data as the viewer may see it, open and recent
    cases at every organisation, the contact history across all channels, consents, open callbacks
    and the life events that fit. Requires a purpose: the contact moment at hand or a case."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes: dict = {}  # people only: systems use the separate resources
    required_perms = {"GET": ("registry.view_party", "casemanagement.view_case", "interactions.view_contactmoment")}

    @extend_schema(
        parameters=[*PURPOSE_PARAMETERS, OpenApiParameter("party_id", int, OpenApiParameter.PATH)],
        responses=CustomerViewSerializer,
    )
    def get(self, request, party_id: int):
        view = customer_view(
            party_id=party_id,
            viewer=request.user,
            purpose=request.query_params.get("purpose", ""),
            purpose_reference=request.query_params.get("purpose_reference", ""),
        )
        # The selector's rows are JSON-ready and shaped as CustomerViewSerializer documents; serving
        # them as they are keeps serialisation off the hot path of the busiest screen (a shallow dict:
        # dataclasses.asdict would deep-copy every row first).
        return Response({field.name: getattr(view, field.name) for field in fields(view)})
