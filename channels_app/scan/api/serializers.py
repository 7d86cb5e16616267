from rest_framework import serializers

from channels_app.models import ScannedLetter


class ScanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=False, help_text="De scan: PDF, PNG of TIFF (ook met meerdere pagina's)."
    )


class ScannedLetterStatusSerializer(serializers.ModelSerializer):
    """Where a letter is, never what it says: no text and nothing found in it."""

    method = serializers.ChoiceField(choices=ScannedLetter.Method.choices, allow_blank=True, read_only=True)
    triage_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    contact_moment = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    work_item = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ScannedLetter
        fields = [
            "id",
            "status",
            "source",
            "media_type",
            "size",
            "received_at",
            "processed_at",
            "failure_reason",
            "method",
            "pages",
            "ocr_confidence",
            "queue",
            "triage_reasons",
            "contact_moment",
            "work_item",
        ]
        read_only_fields = fields
