import django_filters

from casemanagement.models import Case


class CaseFilter(django_filters.FilterSet):
    party = django_filters.NumberFilter(field_name="party_id", help_text="Partij (id); verplicht voor medewerkers")
    organisation = django_filters.CharFilter(field_name="organisation__code", help_text="Organisatiecode")
    case_type = django_filters.CharFilter(field_name="case_type__code", help_text="Zaaktypecode")
    is_open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", help_text="Alleen lopend")

    class Meta:
        model = Case
        fields = ["party", "organisation", "case_type", "is_open"]
