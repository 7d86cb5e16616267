"""Counter endpoints. The kiosk (an API client with the scope "counter:kiosk") takes numbers and
checks visitors in; a clerk of the office may hand out a number too. Calling, serving and finishing
are for the clerks of the office (the permission to call tickets); each call goes to the waiting
room's display after commit."""

from drf_spectacular.utils import extend_schema
from rest_framework import status as http_status
from rest_framework.response import Response
from rest_framework.views import APIView

from channels_app.counter.api.serializers import (
    AppointmentBookSerializer,
    AppointmentSerializer,
    CallNextSerializer,
    CheckInSerializer,
    TicketFinishSerializer,
    TicketSerializer,
    TicketServedSerializer,
    TicketServeSerializer,
    TicketTakeSerializer,
)
from channels_app.counter.selectors import CALL_TICKET
from channels_app.counter.services import (
    BOOK_APPOINTMENT,
    KIOSK_SCOPE,
    appointment_book,
    appointment_check_in,
    ticket_call_next,
    ticket_finish,
    ticket_no_show,
    ticket_recall,
    ticket_serve,
    ticket_take,
)
from contactcentre.api.permissions import ScopeOrRolePermission
from contactcentre.firstline.services import IdentityClaim


class KioskView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": KIOSK_SCOPE}
    required_perms = {"POST": (CALL_TICKET,)}


class ClerkView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes: dict = {}  # people at the desk only
    required_perms = {"POST": (CALL_TICKET,)}


class TicketTakeView(KioskView):
    """Take a number for a service (walk-in)."""

    @extend_schema(request=TicketTakeSerializer, responses={201: TicketSerializer})
    def post(self, request, office_code: str):
        body = TicketTakeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket = ticket_take(office_code=office_code, service_code=body.validated_data["service"], actor=request.user)
        return Response(TicketSerializer(ticket).data, status=http_status.HTTP_201_CREATED)


class CheckInView(KioskView):
    """Check in for an appointment with its code (a limited number of wrong codes per kiosk)."""

    @extend_schema(request=CheckInSerializer, responses={200: TicketSerializer})
    def post(self, request, office_code: str):
        body = CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket = appointment_check_in(office_code=office_code, code=body.validated_data["code"], actor=request.user)
        return Response(TicketSerializer(ticket).data)


class AppointmentBookView(APIView):
    """Book a visit at the office; for a person, with the contact at hand as the purpose
    (`purpose=contact`, `purpose_reference=<contact id>`). The answer carries the check-in code."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes: dict = {}  # people only
    required_perms = {"POST": (BOOK_APPOINTMENT,)}

    @extend_schema(request=AppointmentBookSerializer, responses={201: AppointmentSerializer})
    def post(self, request, office_code: str):
        body = AppointmentBookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        appointment = appointment_book(
            office_code=office_code,
            service_code=data["service"],
            starts_at=data["starts_at"],
            party_id=data["party"],
            purpose=data["purpose"],
            purpose_reference=data["purpose_reference"],
            actor=request.user,
        )
        return Response(AppointmentSerializer(appointment).data, status=http_status.HTTP_201_CREATED)


class CallNextView(ClerkView):
    """Call the next visitor to my desk: 200 with the ticket, 204 when nobody waits."""

    @extend_schema(request=CallNextSerializer, responses={200: TicketSerializer, 204: None})
    def post(self, request, office_code: str):
        body = CallNextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket = ticket_call_next(
            office_code=office_code,
            desk=body.validated_data["desk"],
            service_codes=body.validated_data["services"],
            actor=request.user,
        )
        if ticket is None:
            return Response(status=http_status.HTTP_204_NO_CONTENT)
        return Response(TicketSerializer(ticket).data)


class TicketRecallView(ClerkView):
    @extend_schema(request=None, responses=TicketSerializer)
    def post(self, request, ticket_id: int):
        return Response(TicketSerializer(ticket_recall(ticket_id=ticket_id, actor=request.user)).data)


class TicketNoShowView(ClerkView):
    @extend_schema(request=None, responses=TicketSerializer)
    def post(self, request, ticket_id: int):
        return Response(TicketSerializer(ticket_no_show(ticket_id=ticket_id, actor=request.user)).data)


class TicketServeView(ClerkView):
    """The visitor is at my desk: opens the visit as a counter contact of mine (the purpose with which
    I open the customer view), identified by the claim if one is given."""

    @extend_schema(request=TicketServeSerializer, responses=TicketServedSerializer)
    def post(self, request, ticket_id: int):
        body = TicketServeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = body.validated_data.get("identity_claim")
        ticket, offer = ticket_serve(
            ticket_id=ticket_id,
            actor=request.user,
            identity_claim=IdentityClaim(kind=claim["kind"], value=claim["value"]) if claim else None,
        )
        payload = {
            "ticket": ticket,
            "contact_moment": offer.contact.pk,
            "party": {"id": offer.party.pk, "name": offer.party.display_name} if offer.party else None,
            "ambiguous": offer.ambiguous,
        }
        return Response(TicketServedSerializer(payload).data)


class TicketFinishView(ClerkView):
    """The visit is over: the ticket is done and its contact closed with the outcome."""

    @extend_schema(request=TicketFinishSerializer, responses=TicketSerializer)
    def post(self, request, ticket_id: int):
        body = TicketFinishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket = ticket_finish(ticket_id=ticket_id, outcome=body.validated_data["outcome"], actor=request.user)
        return Response(TicketSerializer(ticket).data)
