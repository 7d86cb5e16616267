import django_filters
from django import forms

from casemanagement.models import Case


class IntegerFilter(django_filters.Filter):
    """An id: whole numbers only (NumberFilter would accept 1.5)."""

    field_class = forms.IntegerField


class CaseFilter(django_filters.FilterSet):
    party = IntegerFilter(field_name="party_id", help_text="Partij (id); verplicht voor medewerkers")
    organisation = django_filters.CharFilter(field_name="organisation__code", help_text="Organisatiecode")
    case_type = django_filters.CharFilter(field_name="case_type__code", help_text="Zaaktypecode")
    is_open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", help_text="Alleen lopend")

    class Meta:
        model = Case
        fields = ["party", "organisation", "case_type", "is_open"]
