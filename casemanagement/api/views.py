"""Case endpoints: the cases of a party, one case, its status history, status recording by the
owning organisation's system, and case-by-reference with a second factor (agent and door variants);
escalations: the second line's list, timeline and moves, and the first line's preview, escalate,
base-data request and first-line completion."""

import hashlib

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status as http_status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from casemanagement.api.filters import CaseFilter
from casemanagement.api.pagination import CaseListPagination
from casemanagement.api.serializers import (
    BaseDataRequestSerializer,
    CaseExtendSerializer,
    CaseLookupSerializer,
    CaseOpenSerializer,
    CaseStatusHistorySerializer,
    CaseStatusRecordSerializer,
    CaseSummarySerializer,
    CaseSuspendSerializer,
    CaseTypeSerializer,
    CitizenCaseLookupSerializer,
    EscalationAttachmentsAddSerializer,
    EscalationAttachmentSerializer,
    EscalationCreateSerializer,
    EscalationDetailSerializer,
    EscalationForwardedSerializer,
    EscalationForwardSerializer,
    EscalationPreviewSerializer,
    EscalationResolveSerializer,
    EscalationReturnSerializer,
    EscalationSummarySerializer,
    EscalationTransitionSerializer,
    FirstLineCompletionSerializer,
    RoutePreviewSerializer,
)
from casemanagement.attachments import attachment_download, attachment_summary
from casemanagement.delivery import delivery_acknowledge
from casemanagement.escalations import (
    base_data_request_escalate,
    case_complete_at_first_line,
    escalation_attachments_add,
    escalation_create,
    escalation_route_preview,
    escalation_transition,
)
from casemanagement.models import Case, CaseType, Escalation
from casemanagement.selectors import (
    case_by_reference,
    case_get,
    case_status_history,
    case_types_queryset,
    cases_present,
    cases_visible,
    escalation_attachment_get,
    escalation_detail,
    escalation_get,
    escalations_hand_out,
    escalations_list,
    open_first,
)
from casemanagement.services import case_extend, case_open, case_resume, case_status_record, case_suspend
from contactcentre.api.parsers import StrictJSONParser
from contactcentre.api.permissions import ScopeOrRolePermission, scopes
from contactcentre.api.throttles import FailClosedSimpleRateThrottle
from contactcentre.errors import NotFound, TooLarge, ValidationFailed
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.selectors import contact_moments_visible
from contactcentre.processinglog.api.purpose import PURPOSE_PARAMETERS, list_grant, request_grant
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.models import Organisation, Party
from contactcentre.registry.selectors import party_lookup
from lifeevents.models import Article
from lifeevents.selectors import published_articles

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


# --- escalations: the second line's API (organisations' tokens) and the first line's (staff) ------------

ADD_ESCALATION = ("casemanagement.add_escalation",)
VIEW_ESCALATION = ("casemanagement.view_escalation",)
ESCALATION_STATE = OpenApiParameter(
    "state", OpenApiTypes.STR, enum=Escalation.State.values, description="Alleen doorverwijzingen met deze status."
)
# What a multipart escalation may carry besides its attachments (question, context, the fields).
FORM_ALLOWANCE = 64 * 1024
TOO_LARGE = OpenApiResponse(description="Een bijlage of het verzoek is groter dan de grens (die het antwoord noemt).")
ESCALATION_PARTY = OpenApiParameter(
    "party", OpenApiTypes.INT, description="Medewerkers: de persoon (verplicht, met het doel van het inzien)."
)


def _escalation_shown(request, escalation: Escalation, *, purpose: str = "", reference: str = "") -> dict:
    """The escalation with its timeline as this caller may see it (the hand-out is logged)."""
    if request.user.is_organisation:
        purpose, reference = Purpose.SECOND_LINE, escalation.reference
    elif not purpose:
        grant = request_grant(request, party_id=escalation.party_id or 0, object_type="escalation")
        purpose, reference = grant.purpose, grant.reference
    shown = escalation_detail(
        escalation=escalation, principal=request.user, purpose=purpose, purpose_reference=reference
    )
    return EscalationDetailSerializer(shown).data


class EscalationListView(GenericAPIView):
    """GET: an organisation's system lists the escalations routed to its organisation, newest first
    (`state` to filter); staff with view_escalation list one person's (`party`, with a purpose).
    POST: the first line sends what it cannot resolve to the second line, routed by the rules; only
    the staff member handling the contact may (else 403 and a denied processing-log record)."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"GET": "escalations:read"}
    required_perms = {"GET": VIEW_ESCALATION, "POST": ADD_ESCALATION}
    serializer_class = EscalationSummarySerializer
    parser_classes = [StrictJSONParser, MultiPartParser]  # multipart: with attachments

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no principal
            return Escalation.objects.none()
        state = str(self.request.query_params.get("state", "") or "")
        if state and state not in Escalation.State.values:
            raise ValidationFailed(field_errors={"state": [_("Onbekende status.")]})
        party_id = None
        if not self.request.user.is_organisation:
            party_id = int(self.request.query_params["party"])
        return escalations_list(principal=self.request.user, state=state, party_id=party_id)

    @extend_schema(
        parameters=[ESCALATION_STATE, ESCALATION_PARTY, *PURPOSE_PARAMETERS],
        responses=EscalationSummarySerializer(many=True),
    )
    def get(self, request):
        if request.user.is_organisation:
            purpose, reference = Purpose.SECOND_LINE, f"api:{request.user.client.pk}"
        else:
            grant = list_grant(
                request,
                object_type="escalation",
                missing_party=_("Kies de persoon van wie u de doorverwijzingen opent."),
            )
            purpose, reference = grant.purpose, grant.reference
        page = self.paginate_queryset(self.get_queryset())
        shown = escalations_hand_out(
            escalations=page, principal=request.user, purpose=purpose, purpose_reference=reference
        )
        return self.get_paginated_response(EscalationSummarySerializer(shown, many=True).data)

    @extend_schema(
        request={"application/json": EscalationCreateSerializer, "multipart/form-data": EscalationCreateSerializer},
        responses={201: EscalationDetailSerializer, 413: TOO_LARGE},
    )
    def post(self, request):
        _upload_bounded(request)
        body = EscalationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contact = _contact_for(request, data["contact_moment"])
        escalation = escalation_create(
            contact=contact,
            actor=request.user,
            question=data["question"],
            context=data["context"],
            articles=_articles(data["articles"]),
            share_history=data["share_history"],
            case_type=_case_type(data.get("case_type")),
            attachments=data["attachments"],
        )
        return Response(_created(request, escalation, contact), status=http_status.HTTP_201_CREATED)


def _upload_bounded(request) -> None:
    """Refuse a body larger than every attachment at its limit (plus the form) before it is parsed,
    so an oversized upload costs no disk and no time."""
    limit = settings.ESCALATION_ATTACHMENT_MAX_BYTES * settings.ESCALATION_ATTACHMENTS_MAX_COUNT + FORM_ALLOWANCE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        message = _("Het verzoek is te groot: ten hoogste %(count)d bijlagen van elk %(size)s.") % {
            "count": settings.ESCALATION_ATTACHMENTS_MAX_COUNT,
            "size": filesizeformat(settings.ESCALATION_ATTACHMENT_MAX_BYTES),
        }
        raise TooLarge(message, code="request_too_large")


def _contact_for(request, contact_id: int) -> ContactMoment:
    # Only the contact itself is needed: not the related rows the selector joins and prefetches for lists.
    visible = contact_moments_visible(principal=request.user).select_related(None).prefetch_related(None)
    contact = visible.filter(pk=contact_id).first()
    if contact is None:
        raise ValidationFailed(field_errors={"contact_moment": [_("Dit contact is niet bekend.")]})
    return contact


def _articles(external_ids: list[str]) -> list[Article]:
    articles = list(published_articles().filter(external_id__in=external_ids))
    if len(articles) != len(set(external_ids)):
        raise ValidationFailed(field_errors={"articles": [_("Onbekend of niet gepubliceerd artikel.")]})
    return articles


def _case_type(code: str | None) -> CaseType | None:
    if not code:
        return None
    case_type = CaseType.objects.filter(code=code, is_active=True).first()
    if case_type is None:
        raise ValidationFailed(field_errors={"case_type": [_("Onbekend zaaktype.")]})
    return case_type


def _created(request, escalation: Escalation, contact: ContactMoment) -> dict:
    """What the first line sees right after sending it on (its purpose: the contact at hand)."""
    escalation = escalation_get(reference=escalation.reference, principal=request.user)
    return _escalation_shown(request, escalation, purpose=Purpose.CONTACT, reference=str(contact.pk))


class EscalationPreviewView(APIView):
    """Where an escalation would go, and why, before it is sent: the routing decision with its
    deadlines. Writes nothing. Only for the contact the staff member handles."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": ADD_ESCALATION}

    @extend_schema(request=EscalationPreviewSerializer, responses=RoutePreviewSerializer)
    def post(self, request):
        body = EscalationPreviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        route = escalation_route_preview(
            contact=_contact_for(request, data["contact_moment"]),
            actor=request.user,
            question=data["question"],
            case_type=_case_type(data.get("case_type")),
            articles=_articles(data["articles"]),
            attribute=data["attribute"],
        )
        shown = {
            "organisation": route.organisation,
            "queue": route.queue,
            "priority": route.priority,
            "rule": route.rule.name if route.rule is not None else None,
            "explanation": route.explanation,
            "first_response_due": route.first_response_due,
            "resolution_due": route.resolution_due,
        }
        return Response(RoutePreviewSerializer(shown).data)


class EscalationDetailView(APIView):
    """One escalation with its timeline; for the organisation handling it, the person's contact
    history when the citizen consented to share it. Another organisation's: 404."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"GET": "escalations:read"}
    required_perms = {"GET": VIEW_ESCALATION}

    @extend_schema(parameters=PURPOSE_PARAMETERS, responses=EscalationDetailSerializer)
    def get(self, request, reference: str):
        escalation = escalation_get(reference=reference, principal=request.user)
        return Response(_escalation_shown(request, escalation))


class EscalationAttachmentsView(APIView):
    """The first line adds files (multipart/form-data, field `files`) to an escalation it sent, while
    it is open: only who handles its contact. The organisation reads them on the escalation."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": ADD_ESCALATION}
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": EscalationAttachmentsAddSerializer},
        responses={201: EscalationAttachmentSerializer(many=True), 413: TOO_LARGE},
    )
    def post(self, request, reference: str):
        _upload_bounded(request)
        escalation = escalation_get(reference=reference, principal=request.user)
        body = EscalationAttachmentsAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stored = escalation_attachments_add(
            escalation=escalation, actor=request.user, files=body.validated_data["files"]
        )
        shown = [attachment_summary(attachment, escalation.reference) for attachment in stored]
        return Response(EscalationAttachmentSerializer(shown, many=True).data, status=http_status.HTTP_201_CREATED)


class EscalationAttachmentDownloadView(APIView):
    """The file itself, for the system of the organisation the escalation is routed to (another
    organisation's token: 404). Always a download under its original name and sniffed type, never
    shown inline; the hand-out is logged (second_line)."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"GET": "escalations:read"}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, reference: str, key):
        attachment = escalation_attachment_get(reference=reference, key=key, principal=request.user)
        return attachment_download(attachment)


class EscalationTransitionView(APIView):
    """The second line moves its own escalation on; the same move twice answers the same state."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = {"POST": "escalations:write"}
    to_state = ""
    body_serializer = EscalationTransitionSerializer

    def post(self, request, reference: str):
        escalation = escalation_get(reference=reference, principal=request.user)
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        escalation_transition(escalation=escalation, to_state=self.to_state, actor=request.user, **body.validated_data)
        return Response(_escalation_shown(request, escalation_get(reference=reference, principal=request.user)))


class EscalationAcknowledgeView(EscalationTransitionView):
    """A pull endpoint says it fetched the escalation: its delivery counts as done (idempotent)."""

    @extend_schema(request=None, responses=EscalationDetailSerializer)
    def post(self, request, reference: str):
        escalation = escalation_get(reference=reference, principal=request.user)
        for delivery in escalation.deliveries.all():  # only its own organisation's (escalation_get)
            delivery_acknowledge(delivery=delivery)
        return Response(_escalation_shown(request, escalation_get(reference=reference, principal=request.user)))


@extend_schema_view(post=extend_schema(request=EscalationTransitionSerializer, responses=EscalationDetailSerializer))
class EscalationAcceptView(EscalationTransitionView):
    to_state = Escalation.State.ACCEPTED


@extend_schema_view(post=extend_schema(request=EscalationTransitionSerializer, responses=EscalationDetailSerializer))
class EscalationStartView(EscalationTransitionView):
    to_state = Escalation.State.IN_PROGRESS


@extend_schema_view(post=extend_schema(request=EscalationResolveSerializer, responses=EscalationDetailSerializer))
class EscalationResolveView(EscalationTransitionView):
    """Resolved, with the outcome in words for the citizen (who is told)."""

    to_state = Escalation.State.RESOLVED
    body_serializer = EscalationResolveSerializer


@extend_schema_view(post=extend_schema(request=EscalationReturnSerializer, responses=EscalationDetailSerializer))
class EscalationReturnView(EscalationTransitionView):
    """Back to the first line, with the reason."""

    to_state = Escalation.State.RETURNED
    body_serializer = EscalationReturnSerializer


class EscalationForwardView(EscalationTransitionView):
    """Not competent: sent on to the competent organisation, and the citizen is told (Awb 2:3). The
    escalation then belongs to the other organisation; a retry needs the same Idempotency-Key."""

    @extend_schema(request=EscalationForwardSerializer, responses=EscalationForwardedSerializer)
    def post(self, request, reference: str):
        escalation = escalation_get(reference=reference, principal=request.user)
        body = EscalationForwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        forward_to = Organisation.objects.filter(code=body.validated_data["organisation"]).first()
        if forward_to is None:
            raise ValidationFailed(field_errors={"organisation": [_("Onbekende organisatie.")]})
        escalation_transition(
            escalation=escalation,
            to_state=Escalation.State.FORWARDED,
            actor=request.user,
            note=body.validated_data["note"],
            forward_to=forward_to,
        )
        shown = {"reference": escalation.reference, "state": Escalation.State.FORWARDED, "forwarded_to": forward_to}
        return Response(EscalationForwardedSerializer(shown).data)


class BaseDataRequestView(APIView):
    """A base-data change the first line may not make (the refusal names the source) sent on, in one
    call, as a routed request to the source organisation with the requested value."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": ADD_ESCALATION}

    @extend_schema(request=BaseDataRequestSerializer, responses={201: EscalationDetailSerializer})
    def post(self, request, party_id: int):
        body = BaseDataRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contact = _contact_for(request, data["contact_moment"])
        if contact.party_id != party_id:
            raise ValidationFailed(field_errors={"contact_moment": [_("Dit contact is niet van deze persoon.")]})
        escalation = base_data_request_escalate(
            contact=contact, actor=request.user, attribute=data["attribute"], value=data["value"], reason=data["reason"]
        )
        return Response(_created(request, escalation, contact), status=http_status.HTTP_201_CREATED)


class FirstLineCompletionView(APIView):
    """Work that moved to the first line: a first-line-capable case type is recorded with its final
    status, without an escalation. Only the staff member handling the contact."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": ADD_ESCALATION}

    @extend_schema(request=FirstLineCompletionSerializer, responses={201: CaseSummarySerializer})
    def post(self, request):
        body = FirstLineCompletionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contact = _contact_for(request, data["contact_moment"])
        case_type = _case_type(data["case_type"])
        case = case_complete_at_first_line(
            case_type=case_type, contact=contact, actor=request.user, explanation=data["explanation"]
        )
        shown = cases_present(
            cases=[case_get(case_id=case.pk, principal=request.user)],
            principal=request.user,
            assurance=contact.assurance,
            purpose=Purpose.CONTACT,
            purpose_reference=str(contact.pk),
        )
        if not shown:  # pragma: no cover - a first-line case type is never secret to its own recorder
            raise NotFound(_("Zaak niet gevonden."))
        return Response(shown[0], status=http_status.HTTP_201_CREATED)
