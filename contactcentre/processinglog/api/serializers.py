from rest_framework import serializers

from contactcentre.processinglog.models import ProcessingRecord


class ProcessingRecordSerializer(serializers.ModelSerializer):
    """The supervisor's view: who exactly, and the trace to follow."""

    class Meta:
        model = ProcessingRecord
        fields = [
            "id",
            "occurred_at",
            "actor_type",
            "actor_label",
            "organisation_code",
            "action",
            "object_type",
            "purpose",
            "purpose_reference",
            "outcome",
            "trace_id",
        ]
        read_only_fields = fields


class CitizenProcessingRecordSerializer(serializers.ModelSerializer):
    """The citizen's view: which organisation did what, why and when; staff are not named individually."""

    actor = serializers.CharField(source="get_actor_type_display")
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = ProcessingRecord
        fields = [
            "id",
            "occurred_at",
            "actor",
            "organisation_code",
            "action",
            "action_label",
            "object_type",
            "purpose",
            "outcome",
        ]
        read_only_fields = fields
