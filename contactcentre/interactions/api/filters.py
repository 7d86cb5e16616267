import django_filters
from django import forms

from contactcentre.interactions.models import CallbackRequest, Channel, ContactMoment


class IdField(forms.IntegerField):
    """ASCII digits within a bigint: int() also reads Unicode digits such as "١٢", and a number
    beyond a bigint would overflow the database driver (a 500) instead of being a 400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not (str(value).isascii() and str(value).isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(django_filters.Filter):
    """An id: whole numbers only (NumberFilter would accept 1.5)."""

    field_class = IdField


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
