import django_filters

from casemanagement.models import Case
from contactcentre.api.filters import IntegerFilter


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
