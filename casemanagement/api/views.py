"""Case endpoints: the cases of a party, one case, its status history, status recording by the
owning organisation's system, and case-by-reference with a second factor (agent and door variants)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status as http_status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from casemanagement.api.filters import CaseFilter
from casemanagement.api.serializers import (
    CaseLookupSerializer,
    CaseStatusHistorySerializer,
    CaseStatusRecordSerializer,
    CaseSummarySerializer,
    CaseTypeSerializer,
    CitizenCaseLookupSerializer,
)
from casemanagement.selectors import (
    case_by_reference,
    case_get,
    case_status_history,
    case_types_queryset,
    cases_present,
    cases_visible,
    open_first,
)
from casemanagement.services import case_status_record
from contactcentre.api.permissions import ScopeOrRolePermission, is_api_client, scopes
from contactcentre.errors import NotFound, ValidationFailed
from contactcentre.firstline.api.purpose import PURPOSE_PARAMETERS, request_purpose

VIEW_CASE = ("casemanagement.view_case",)


def _caller_key(request, extra: str = "") -> str:
    principal = request.user
    who = f"client:{principal.pk}" if is_api_client(principal) else f"user:{principal.pk}"
    return f"{who}|{extra}" if extra else who


class CaseListView(GenericAPIView):
    """Cases of a party across every organisation the caller may see: open first (most urgent
    deadline first), then recently closed. An organisation's system sees only its own cases."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read")
    required_perms = {"GET": VIEW_CASE}
    filterset_class = CaseFilter
    serializer_class = CaseSummarySerializer

    def get_queryset(self):
        return open_first(cases_visible(principal=self.request.user))

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=CaseSummarySerializer(many=True))
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        party = request.query_params.get("party")
        context = None
        if not is_api_client(request.user):
            if not party:
                raise ValidationFailed(field_errors={"party": [_("Kies de persoon van wie u de zaken opent.")]})
            context = request_purpose(request, party_id=int(party), object_type="case")
        page = self.paginate_queryset(queryset)
        cases = cases_present(
            cases=page,
            principal=request.user,
            assurance=context.assurance if context else "",
            purpose=context.purpose if context else "case",
            purpose_reference=context.purpose_reference if context else f"api:{request.user.pk}",
        )
        return self.get_paginated_response(CaseSummarySerializer(cases, many=True).data)


class CaseDetailView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read")
    required_perms = {"GET": VIEW_CASE}

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=CaseSummarySerializer)
    def get(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        context = request_purpose(request, party_id=case.party_id, object_type="case")
        shown = cases_present(
            cases=[case],
            principal=request.user,
            assurance=context.assurance,
            purpose=context.purpose,
            purpose_reference=context.purpose_reference,
        )
        if not shown:
            raise NotFound(_("Zaak niet gevonden."))
        return Response(CaseSummarySerializer(shown[0]).data)


class CaseStatusView(APIView):
    """GET: the status history as the caller may see it. POST: the owning organisation's system
    records the next status (scope cases:write); a final status closes the case."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read", write="cases:write")
    required_perms = {"GET": VIEW_CASE, "POST": ("casemanagement.add_casestatus",)}

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=CaseStatusHistorySerializer(many=True))
    def get(self, request, case_id: int):
        case = case_get(case_id=case_id, principal=request.user)
        context = request_purpose(request, party_id=case.party_id, object_type="case_status_history")
        history = case_status_history(
            case=case,
            principal=request.user,
            assurance=context.assurance,
            purpose=context.purpose,
            purpose_reference=context.purpose_reference,
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

    @extend_schema(request=CaseLookupSerializer, responses=CaseSummarySerializer)
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
        return Response(CaseSummarySerializer(result).data)


class CitizenCaseLookupView(CaseLookupView):
    """The doors' variant (phone menu, SMS): the citizen's own view of the case (citizen text,
    deadline), whatever the relaying system's organisation. Throttled and attempt-limited."""

    as_citizen = True
    body_serializer = CitizenCaseLookupSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "sensitive"

    @extend_schema(request=CitizenCaseLookupSerializer, responses=CaseSummarySerializer)
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

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CaseTypeSerializer(page, many=True).data)
