from io import StringIO

import pytest
from django.core.management import call_command

from contactcentre.registry.models import DataSourceRule

pytestmark = pytest.mark.django_db


def test_seed_rules_command_creates_the_rules_once_and_prints_them():
    out = StringIO()
    call_command("registry_seed_rules", stdout=out)
    call_command("registry_seed_rules", stdout=StringIO())
    assert DataSourceRule.objects.count() == 7
    lines = out.getvalue().splitlines()
    assert len(lines) == 7
    assert lines[-1].split() == [
        "residential_address",
        "gem-voorbeeldstad",
        "wijzigen=nee",
        "minimaal=high",
        "verificatie=nee",
    ]
