"""The processing log of one person: for supervisors (purpose-bound) and for the citizen themself."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView

from contactcentre.api.authentication import CitizenSessionAuthentication, IsCitizen
from contactcentre.api.permissions import ScopeOrRolePermission
from contactcentre.processinglog.api.serializers import CitizenProcessingRecordSerializer, ProcessingRecordSerializer
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.selectors import processing_records_for_party
from contactcentre.processinglog.services import processing_log_record, purpose_grant


class PartyProcessingLogView(ListAPIView):
    """Supervisors (and no API client) read what was done with one person's data, stating why."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes: dict = {}  # not for systems
    required_perms = {"GET": ("processinglog.view_processingrecord",)}
    serializer_class = ProcessingRecordSerializer
    queryset = ProcessingRecord.objects.none()  # for the schema; get_queryset does the work

    @extend_schema(
        parameters=[
            OpenApiParameter("purpose", str, enum=[p.value for p in Purpose], required=True),
            OpenApiParameter("purpose_reference", str, required=True),
        ],
        summary="Verwerkingenlogboek van een partij",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProcessingRecord.objects.none()
        party_id = self.kwargs["party_id"]
        purpose = purpose_grant(
            principal=self.request.user,
            purpose=self.request.query_params.get("purpose", ""),
            reference=self.request.query_params.get("purpose_reference", ""),
            action=ProcessingRecord.Action.READ,
            object_type="processing_log",
            party_ids=[party_id],
        ).purpose
        processing_log_record(
            actor=self.request.user,
            action=ProcessingRecord.Action.READ,
            object_type="processing_log",
            party_ids=[party_id],
            purpose=purpose,
            purpose_reference=self.request.query_params.get("purpose_reference", ""),
        )
        return processing_records_for_party(party_id=party_id)


class CitizenProcessingLogView(ListAPIView):
    """The logged-in citizen's own processing log (portal): only their own party, ever."""

    authentication_classes = [CitizenSessionAuthentication]
    permission_classes = [IsCitizen]
    serializer_class = CitizenProcessingRecordSerializer
    queryset = ProcessingRecord.objects.none()

    @extend_schema(summary="Mijn verwerkingenlogboek")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProcessingRecord.objects.none()
        return processing_records_for_party(party_id=self.request.user.party_id)
