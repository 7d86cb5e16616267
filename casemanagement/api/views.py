"""Case endpoints: the cases of a party, one case, its status history, status recording by the
owning organisation's system, and case-by-reference with a second factor (agent and door variants)."""

import hashlib

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status as http_status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from casemanagement.api.filters import CaseFilter
from casemanagement.api.pagination import CaseListPagination
from casemanagement.api.serializers import (
    CaseExtendSerializer,
    CaseLookupSerializer,
    CaseOpenSerializer,
    CaseStatusHistorySerializer,
    CaseStatusRecordSerializer,
    CaseSummarySerializer,
    CaseSuspendSerializer,
    CaseTypeSerializer,
    CitizenCaseLookupSerializer,
)
from casemanagement.models import Case, CaseType
from casemanagement.selectors import (
    case_by_reference,
    case_get,
    case_status_history,
    case_types_queryset,
    cases_present,
    cases_visible,
    open_first,
)
from casemanagement.services import case_extend, case_open, case_resume, case_status_record, case_suspend
from contactcentre.api.permissions import ScopeOrRolePermission, scopes
from contactcentre.api.throttles import FailClosedSimpleRateThrottle
from contactcentre.errors import NotFound, ValidationFailed
from contactcentre.processinglog.api.purpose import PURPOSE_PARAMETERS, list_grant, request_grant
from contactcentre.registry.models import Party
from contactcentre.registry.selectors import party_lookup

VIEW_CASE = ("casemanagement.view_case",)
# The lookups find no case, or count wrong attempts (per reference and per caller) in the cache, failing closed.
LOCKED_OUT = {
    404: OpenApiResponse(description="Geen zaak met dit zaaknummer en deze tweede factor."),
    429: OpenApiResponse(description="Te veel pogingen: de opvraging is tijdelijk geblokkeerd; zie Retry-After."),
    503: OpenApiResponse(description="De teller van pogingen (cache) is niet bereikbaar; zie Retry-After."),
}


class CallerRateThrottle(FailClosedSimpleRateThrottle):
    """The "sensitive" rate per principal and per caller it relays (a phone menu serves many callers,
    each with their own budget); the caller is hashed, never kept in clear."""

    scope = "sensitive"

    def get_cache_key(self, request, view):
        caller = str(request.data.get("caller", "") or "") if hasattr(request.data, "get") else ""
        ident = _caller_key(request, hashlib.sha256(caller.encode()).hexdigest()[:24] if caller else "")
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _caller_key(request, extra: str = "") -> str:
    who = request.user.key
    return f"{who}|{extra}" if extra else who


class CaseListView(GenericAPIView):
    """Cases of a party across every organisation the caller may see: open first (most urgent
    deadline first), then recently closed. An organisation's system sees only its own cases; without
    `party` it reads the feed of all of them by cursor, in (updated_at, id) order (`modified_since`
    for what changed since a time). See casemanagement/api/pagination.py."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read", write="cases:write")
    required_perms = {"GET": VIEW_CASE, "POST": ("casemanagement.add_case",)}
    filterset_class = CaseFilter
    serializer_class = CaseSummarySerializer
    pagination_class = CaseListPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no principal
            return Case.objects.none()
        return open_first(cases_visible(principal=self.request.user))

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=CaseSummarySerializer(many=True))
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        grant = list_grant(request, object_type="case", missing_party=_("Kies de persoon van wie u de zaken opent."))
        page = self.paginate_queryset(queryset)
        cases = cases_present(
            cases=page,
            principal=request.user,
            assurance=grant.assurance_cap,
            purpose=grant.purpose,
            purpose_reference=grant.reference,
        )
        # case_summary() rows are JSON-ready and shaped as CaseSummarySerializer documents (tested);
        # serving them as they are keeps serialisation off the hot path.
        return self.get_paginated_response(cases)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSummarySerializer})
    def post(self, request):
        """A second-line organisation registers a case of one of its own case types."""
        body = CaseOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organisation_id = getattr(request.user, "organisation_id", None)
        case_type = CaseType.objects.select_related("organisation").filter(
            code=data["case_type"], organisation_id=organisation_id, is_active=True
        )
        case_type = case_type.first()
        if case_type is None:
            raise ValidationFailed(field_errors={"case_type": [_("Geen zaaktype van uw organisatie.")]})
        parties = Party.objects.filter(pk=data["party"]) if "party" in data else party_lookup(bsn=data["bsn"])
        party = parties.first()
        if party is None:
            raise ValidationFailed(field_errors={"party": [_("Deze persoon is niet bekend.")]})
        case = case_open(
            case_type=case_type,
            party=party,
            actor=request.user,
            reference=data["reference"],
            opened_at=data.get("opened_at"),
            confidentiality=data["confidentiality"],
        )
        return Response(_own_summary(request, case), status=http_status.HTTP_201_CREATED)


def _own_summary(request, case) -> dict:
    """The case as its owner sees it after a write (the write itself was logged by the service)."""
    [shown] = cases_present(
        cases=[cases_visible(principal=request.user).get(pk=case.pk)], principal=request.user, log=False
    )
    return shown


class CaseSuspensionView(APIView):
    """POST: stop the clock with a reason. DELETE: restart it; the deadline moves by the days suspended."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "cases:write", "DELETE": "cases:write"}
    required_perms = {"POST": ("casemanagement.change_case",), "DELETE": ("casemanagement.change_case",)}

    @extend_schema(request=CaseSuspendSerializer, responses=CaseSummarySerializer)
    def post(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        body = CaseSuspendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case_suspend(case=case, reason=body.validated_data["reason"], actor=request.user)
        return Response(_own_summary(request, case))

    @extend_schema(request=None, responses={200: CaseSummarySerializer})
    def delete(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        case_resume(case=case, actor=request.user)
        return Response(_own_summary(request, case))


class CaseExtensionView(APIView):
    """Extend the term once, within what the case type allows, with a reason."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "cases:write"}
    required_perms = {"POST": ("casemanagement.change_case",)}

    @extend_schema(request=CaseExtendSerializer, responses=CaseSummarySerializer)
    def post(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        body = CaseExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case_extend(case=case, actor=request.user, **body.validated_data)
        return Response(_own_summary(request, case))


class CaseDetailView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read")
    required_perms = {"GET": VIEW_CASE}

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=CaseSummarySerializer)
    def get(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        grant = request_grant(request, party_id=case.party_id, object_type="case")
        shown = cases_present(
            cases=[case],
            principal=request.user,
            assurance=grant.assurance_cap,
            purpose=grant.purpose,
            purpose_reference=grant.reference,
        )
        if not shown:
            raise NotFound(_("Zaak niet gevonden."))
        return Response(shown[0])


class CaseStatusView(APIView):
    """GET: the status history as the caller may see it. POST: the owning organisation's system
    records the next status (scope cases:write); a final status closes the case."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read", write="cases:write")
    required_perms = {"GET": VIEW_CASE, "POST": ("casemanagement.add_casestatus",)}

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=CaseStatusHistorySerializer(many=True))
    def get(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        grant = request_grant(request, party_id=case.party_id, object_type="case_status_history")
        history = case_status_history(
            case=case,
            principal=request.user,
            assurance=grant.assurance_cap,
            purpose=grant.purpose,
            purpose_reference=grant.reference,
        )
        return Response(CaseStatusHistorySerializer(history, many=True).data)

    @extend_schema(request=CaseStatusRecordSerializer, responses={201: CaseStatusHistorySerializer})
    def post(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        body = CaseStatusRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = case_status_record(
            case=case,
            status_code=body.validated_data["status"],
            set_at=body.validated_data.get("set_at"),
            explanation=body.validated_data["explanation"],
            actor=request.user,
        )
        data = {
            "set_at": entry.set_at,
            "status_text": entry.status_type.citizen_text,
            "status": {"code": entry.status_type.code, "name": entry.status_type.name},
            "explanation": entry.explanation,
        }
        return Response(CaseStatusHistorySerializer(data).data, status=http_status.HTTP_201_CREATED)


class CaseLookupView(APIView):
    """Case by reference plus a second factor (postcode digits or date of birth), for an agent or a
    system on the phone with someone who has no log-in. Wrong attempts are limited per reference and
    per caller; what is shown follows the caller's role at low assurance."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "cases:read"}
    required_perms = {"POST": VIEW_CASE}
    as_citizen = False
    body_serializer = CaseLookupSerializer

    @extend_schema(request=CaseLookupSerializer, responses={200: CaseSummarySerializer, **LOCKED_OUT})
    def post(self, request):
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = case_by_reference(
            reference=data["reference"],
            postcode_digits=data["postcode_digits"],
            date_of_birth=data["date_of_birth"],
            caller_key=_caller_key(request, data.get("caller", "")),
            principal=request.user,
            as_citizen=self.as_citizen,
        )
        return Response(result)


class CitizenCaseLookupView(CaseLookupView):
    """The doors' variant (phone menu, SMS): the citizen's own view of the case (citizen text,
    deadline), whatever the relaying system's organisation. Throttled and attempt-limited."""

    as_citizen = True
    body_serializer = CitizenCaseLookupSerializer
    throttle_classes = [CallerRateThrottle]

    @extend_schema(request=CitizenCaseLookupSerializer, responses={200: CaseSummarySerializer, **LOCKED_OUT})
    def post(self, request):
        return super().post(request)


class CaseTypeListView(GenericAPIView):
    """Case types with their ordered statuses (configuration, no personal data)."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read")
    required_perms = {"GET": ("casemanagement.view_casetype",)}
    serializer_class = CaseTypeSerializer

    def get_queryset(self):
        return case_types_queryset().order_by("code")

    @extend_schema(responses=CaseTypeSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CaseTypeSerializer(page, many=True).data)
