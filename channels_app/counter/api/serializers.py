from rest_framework import serializers

from channels_app.counter.models import CHECK_IN_CODE_LENGTH, Appointment, Ticket
from channels_app.counter.services import DESK_MAX
from contactcentre.firstline.api.serializers import IdentityClaimSerializer, PartyRefSerializer
from contactcentre.interactions.models import ContactMoment


class TicketSerializer(serializers.ModelSerializer):
    """A ticket as the kiosk prints it and the desk handles it: nothing about the visitor."""

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    has_appointment = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "office",
            "service",
            "service_name",
            "status",
            "has_appointment",
            "desk",
            "contact_moment",
            "created_at",
            "called_at",
            "served_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_has_appointment(self, ticket) -> bool:
        return ticket.appointment_id is not None


class TicketTakeSerializer(serializers.Serializer):
    service = serializers.SlugField(max_length=32)


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=CHECK_IN_CODE_LENGTH * 2, help_text="De aanmeldcode van de afspraak.")


class CallNextSerializer(serializers.Serializer):
    desk = serializers.CharField(max_length=DESK_MAX, help_text="De balie waaraan u zit, zoals op het scherm.")
    services = serializers.ListField(
        child=serializers.SlugField(max_length=32), max_length=50, required=False, default=list
    )


class TicketServeSerializer(serializers.Serializer):
    identity_claim = IdentityClaimSerializer(required=False, allow_null=True)


class TicketServedSerializer(serializers.Serializer):
    """The served ticket, its counter contact (the purpose for the customer view) and who it is."""

    ticket = TicketSerializer()
    contact_moment = serializers.IntegerField()
    party = PartyRefSerializer(allow_null=True)
    ambiguous = serializers.BooleanField(help_text="Meer dan één persoon past bij de identificatie.")


class TicketFinishSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ContactMoment.Outcome.choices)


class AppointmentBookSerializer(serializers.Serializer):
    service = serializers.SlugField(max_length=32)
    starts_at = serializers.DateTimeField()
    party = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    purpose = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    purpose_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AppointmentSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "office", "service", "starts_at", "check_in_code", "party"]
        read_only_fields = fields
