"""Filters shared by the apps' list endpoints."""

import django_filters
from django import forms


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
