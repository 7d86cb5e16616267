import django_filters
from django import forms

from casemanagement.models import Case


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


class CaseFilter(django_filters.FilterSet):
    party = IntegerFilter(field_name="party_id", help_text="Partij (id); verplicht voor medewerkers")
    organisation = django_filters.CharFilter(field_name="organisation__code", help_text="Organisatiecode")
    case_type = django_filters.CharFilter(field_name="case_type__code", help_text="Zaaktypecode")
    is_open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", help_text="Alleen lopend")
    modified_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Alleen zaken gewijzigd op of na dit tijdstip (ISO 8601, met tijdzone)",
    )

    class Meta:
        model = Case
        fields = ["party", "organisation", "case_type", "is_open", "modified_since"]
