"""Registry API: find a party, read base data (fields per role and assurance), change base data,
verify new contact data, consents. Thin: parse, call a selector or service, shape the answer.

BSNs only ever travel in POST bodies. Every person-data read or write states a purpose
(`purpose` + `purpose_reference`: the contact at hand or the case) or is refused with 403 and logged.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api.authentication import CitizenSessionAuthentication, IsCitizen
from contactcentre.api.pagination import DefaultPagination
from contactcentre.api.permissions import ScopeOrRolePermission
from contactcentre.api.throttles import FailClosedSimpleRateThrottle
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_grant
from contactcentre.registry import selectors, services
from contactcentre.registry.api import serializers as s

PURPOSE_PARAMETERS = [
    OpenApiParameter("purpose", str, enum=[p.value for p in Purpose], description="Doel van de verwerking."),
    OpenApiParameter("purpose_reference", str, description="Kenmerk: het contactmoment of de zaak."),
]
ASSURANCE_PARAMETER = OpenApiParameter(
    "assurance", str, enum=["low", "substantial", "high"], description="Betrouwbaarheidsniveau van het contact."
)
PROBLEM = OpenApiResponse(description="Problem details (RFC 9457)")


def _query(request, serializer_class):
    # Query strings also carry pagination and other generic parameters: take only this view's own.
    fields = serializer_class().fields
    serializer = serializer_class(data={k: v for k, v in request.query_params.items() if k in fields})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _body(request, serializer_class):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _SensitiveThrottle(FailClosedSimpleRateThrottle):
    """Rate "sensitive" per principal (user or API client), in its own bucket per kind of action."""

    scope = "sensitive"
    bucket = ""

    def applies(self, request) -> bool:
        return True

    def get_cache_key(self, request, view):
        if not self.applies(request):
            return None
        return self.cache_format % {"scope": self.bucket, "ident": request.user.key}


def _body_dict(request) -> dict:
    return request.data if isinstance(request.data, dict) else {}


class BsnSearchThrottle(_SensitiveThrottle):
    """Counted only for searches by BSN."""

    bucket = "bsn_search"

    def applies(self, request) -> bool:
        return bool(_body_dict(request).get("bsn"))


class CodeSendThrottle(_SensitiveThrottle):
    """Counted for requests that send a verification code (a new e-mail address or phone number)."""

    bucket = "code_send"

    def applies(self, request) -> bool:
        return request.method == "POST" and _body_dict(request).get("attribute") in ("email", "phone")


class CodeConfirmThrottle(_SensitiveThrottle):
    bucket = "code_confirm"


class PartySearchView(APIView):
    """Find a party by BSN, phone number, e-mail address, KvK number, or surname with date of birth."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "parties:read"}
    required_perms = {"POST": ("registry.view_party",)}
    throttle_classes = [BsnSearchThrottle]

    @extend_schema(
        request=s.PartySearchSerializer,
        responses={200: s.PartySearchResultSerializer, 400: PROBLEM, 403: PROBLEM, 429: PROBLEM},
        summary="Partij zoeken (BSN alleen in de body)",
    )
    def post(self, request):
        data = _body(request, s.PartySearchSerializer)
        parties = selectors.party_find(actor=request.user, **data)
        return Response({"results": s.PartySummarySerializer(parties, many=True).data})


class PartyBaseDataView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"GET": "parties:read"}
    required_perms = {"GET": ("registry.view_party",)}

    @extend_schema(
        parameters=[*PURPOSE_PARAMETERS, ASSURANCE_PARAMETER],
        responses={200: s.PartyBaseDataSerializer, 403: PROBLEM, 404: PROBLEM},
        summary="Basisgegevens van een partij (velden per rol en betrouwbaarheidsniveau)",
    )
    def get(self, request, party_id: int):
        query = _query(request, s.PurposeQuerySerializer)
        data = selectors.party_base_data_read(party_id=party_id, viewer=request.user, **query)
        return Response(data)


class BaseDataChangesView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"GET": "parties:read", "POST": "parties:write"}
    required_perms = {"GET": ("registry.view_basedatachange",), "POST": ("registry.change_base_data",)}
    throttle_classes = [CodeSendThrottle]

    @extend_schema(
        parameters=[
            *PURPOSE_PARAMETERS,
            OpenApiParameter("page", int, description="Paginanummer."),
            OpenApiParameter("page_size", int, description="Aantal per pagina."),
        ],
        responses={200: s.BaseDataChangePageSerializer, 403: PROBLEM},
        summary="Wijzigingen van basisgegevens van een partij",
    )
    def get(self, request, party_id: int):
        query = _query(request, s.PurposeFields)
        purpose = purpose_grant(
            principal=request.user,
            purpose=query["purpose"],
            reference=query["purpose_reference"],
            action=ProcessingRecord.Action.READ,
            object_type="base_data_change",
            party_ids=[party_id],
        ).purpose
        changes = selectors.base_data_changes_for_party(party=party_id).select_related("verification")
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(changes, request, view=self)
        processing_log_record(
            actor=request.user,
            action=ProcessingRecord.Action.READ,
            object_type="base_data_change",
            party_ids=[party_id],
            purpose=purpose,
            purpose_reference=query["purpose_reference"],
        )
        return paginator.get_paginated_response(s.BaseDataChangeSerializer(page, many=True).data)

    @extend_schema(
        request=s.BaseDataChangeRequestSerializer,
        responses={
            201: s.BaseDataChangeSerializer,
            202: s.BaseDataChangeSerializer,
            400: PROBLEM,
            403: PROBLEM,
            422: OpenApiResponse(description="De bronafspraken staan deze wijziging niet toe (problem details)."),
        },
        summary="Basisgegeven wijzigen (of verificatie starten)",
    )
    def post(self, request, party_id: int):
        data = _body(request, s.BaseDataChangeRequestSerializer)
        change = services.base_data_change(party_id=party_id, actor=request.user, **data)
        pending = change.status == change.Status.VERIFICATION_PENDING
        return Response(
            s.BaseDataChangeSerializer(change).data,
            status=status.HTTP_202_ACCEPTED if pending else status.HTTP_201_CREATED,
        )


class VerificationStartView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "parties:write"}
    required_perms = {"POST": ("registry.change_base_data",)}
    throttle_classes = [CodeSendThrottle]

    @extend_schema(
        request=s.VerificationStartSerializer,
        responses={202: s.VerificationSerializer, 400: PROBLEM, 403: PROBLEM, 422: PROBLEM, 429: PROBLEM},
        summary="Verificatiecode sturen naar een nieuw e-mailadres of telefoonnummer",
    )
    def post(self, request, party_id: int):
        data = _body(request, s.VerificationStartSerializer)
        challenge = services.verification_start(party_id=party_id, actor=request.user, **data)
        return Response(_verification_data(challenge), status=status.HTTP_202_ACCEPTED)


def _verification_data(challenge) -> dict:
    return {
        "id": challenge.pk,
        "kind": challenge.kind,
        "status": challenge.status,
        "expires_at": challenge.expires_at,
        "change_id": challenge.change_id,
    }


class VerificationConfirmView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "parties:write"}
    required_perms = {"POST": ("registry.change_base_data",)}
    throttle_classes = [CodeConfirmThrottle]

    @extend_schema(
        request=s.VerificationConfirmSerializer,
        responses={
            200: s.BaseDataChangeSerializer,
            400: PROBLEM,
            403: PROBLEM,
            409: PROBLEM,
            422: PROBLEM,
            429: PROBLEM,
        },
        summary="Verificatiecode bevestigen",
    )
    def post(self, request, verification_id: int):
        data = _body(request, s.VerificationConfirmSerializer)
        change = services.verification_confirm(challenge_id=verification_id, actor=request.user, **data)
        return Response(s.BaseDataChangeSerializer(change).data)


class ConsentsView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"GET": "consents:read", "POST": "consents:write"}
    required_perms = {"GET": ("registry.view_consent",), "POST": ("registry.change_consent",)}

    @extend_schema(
        parameters=PURPOSE_PARAMETERS,
        responses={200: s.ConsentListSerializer, 403: PROBLEM},
        summary="Toestemmingen van een partij",
    )
    def get(self, request, party_id: int):
        query = _query(request, s.PurposeFields)
        return Response({"results": _consents_read(request.user, party_id, **query)})

    @extend_schema(
        request=s.ConsentRecordSerializer,
        responses={200: s.PartyConsentSerializer, 400: PROBLEM, 403: PROBLEM},
        summary="Toestemming verlenen of intrekken",
    )
    def post(self, request, party_id: int):
        data = _body(request, s.ConsentRecordSerializer)
        consent = services.consent_record(
            party_id=party_id,
            purpose=data["consent_purpose"],
            granted=data["granted"],
            channel=data["channel"],
            organisation_code=data["organisation"] or None,
            actor=request.user,
            processing_purpose=data["purpose"],
            purpose_reference=data["purpose_reference"],
        )
        return Response(s.PartyConsentSerializer(consent).data)


def _consents_read(actor, party_id: int, *, purpose: str, purpose_reference: str) -> list:
    purpose = purpose_grant(
        principal=actor,
        purpose=purpose,
        reference=purpose_reference,
        action=ProcessingRecord.Action.READ,
        object_type="consent",
        party_ids=[party_id],
    ).purpose
    consents = selectors.consents_for_party(party=party_id)
    processing_log_record(
        actor=actor,
        action=ProcessingRecord.Action.READ,
        object_type="consent",
        party_ids=[party_id],
        purpose=purpose,
        purpose_reference=purpose_reference,
    )
    return s.PartyConsentSerializer(consents, many=True).data


# --- the citizen's own data ------------------------------------------------------------------------


class CitizenBaseDataView(APIView):
    """The logged-in citizen's own base data (portal)."""

    authentication_classes = [CitizenSessionAuthentication]
    permission_classes = [IsCitizen]

    @extend_schema(responses={200: s.PartyBaseDataSerializer, 403: PROBLEM}, summary="Mijn gegevens")
    def get(self, request):
        citizen = request.user
        data = selectors.party_base_data_read(
            party_id=citizen.party_id,
            viewer=citizen,
            assurance=citizen.assurance,
            purpose=Purpose.SELF_SERVICE,
            purpose_reference="",
        )
        return Response(data)


class CitizenConsentsView(APIView):
    authentication_classes = [CitizenSessionAuthentication]
    permission_classes = [IsCitizen]

    @extend_schema(responses={200: s.ConsentListSerializer, 403: PROBLEM}, summary="Mijn toestemmingen")
    def get(self, request):
        citizen = request.user
        return Response(
            {"results": _consents_read(citizen, citizen.party_id, purpose=Purpose.SELF_SERVICE, purpose_reference="")}
        )
