import django_filters

from contactcentre.api.filters import IntegerFilter
from contactcentre.interactions.models import CallbackRequest, Channel, ContactMoment


class ContactMomentFilter(django_filters.FilterSet):
    party = IntegerFilter(field_name="party_id", help_text="Partij (id); verplicht voor medewerkers")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    outcome = django_filters.ChoiceFilter(choices=ContactMoment.Outcome.choices)
    direction = django_filters.ChoiceFilter(choices=ContactMoment.Direction.choices)
    started_after = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")

    class Meta:
        model = ContactMoment
        fields = ["party", "channel", "outcome", "direction", "started_after", "started_before"]


class CallbackRequestFilter(django_filters.FilterSet):
    queue = django_filters.CharFilter(field_name="queue__code", help_text="Werkbakcode")
    status = django_filters.ChoiceFilter(choices=CallbackRequest.Status.choices)
    party = IntegerFilter(field_name="party_id")

    class Meta:
        model = CallbackRequest
        fields = ["queue", "status", "party"]
