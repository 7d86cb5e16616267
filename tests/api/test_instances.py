"""Model instances loaded without Model.__init__ (contactcentre.api.instances) are the ones Django makes,
and Django's own path is taken wherever the short one would differ."""

from unittest import mock

import pytest
from django.db import models
from django.db.models.signals import post_init

from casemanagement.models import Case
from contactcentre.registry.models import Party
from tests.casemanagement.factories import make_case

pytestmark = pytest.mark.django_db


def _django_from_db(model, row_model):
    """The instance Django's own Model.from_db makes of the same row."""
    values = [getattr(row_model, f.attname) for f in model._meta.concrete_fields]
    return models.Model.from_db.__func__(model, "default", [f.attname for f in model._meta.concrete_fields], values)


def _fields(instance) -> dict:
    return {k: v for k, v in instance.__dict__.items() if k != "_state"}


def test_a_row_with_every_column_loads_as_the_instance_django_makes():
    case = make_case()
    with mock.patch.object(models.Model, "__init__", side_effect=AssertionError("Model.__init__ ran")):
        fast = Case.objects.select_related("organisation", "case_type", "status").get(pk=case.pk)
    slow = _django_from_db(Case, fast)
    assert type(fast) is Case
    assert _fields(fast) == _fields(slow)
    assert (fast._state.adding, fast._state.db) == (False, "default")
    # select_related objects load the same way and are cached on the instance: no query to reach them
    assert fast._state.fields_cache["organisation"].pk == case.case_type.organisation_id
    assert _fields(fast.case_type) == _fields(_django_from_db(type(fast.case_type), fast.case_type))
    # the instance behaves as a loaded one: saving updates its row, and a changed key drops the cache
    fast.extension_reason = "bijgewerkt"
    fast.save(update_fields=["extension_reason"])
    assert Case.objects.get(pk=case.pk).extension_reason == "bijgewerkt"
    fast.party_id = make_case().party_id
    assert "party" not in fast._state.fields_cache


def test_deferred_columns_take_djangos_own_path():
    case = make_case()
    loaded = Case.objects.only("reference").get(pk=case.pk)
    assert loaded.get_deferred_fields() >= {"opened_at", "confidentiality"}
    assert loaded.opened_at == case.opened_at  # read on access, as Django does


def test_a_post_init_listener_is_heard():
    party = make_case().party
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance.pk)

    post_init.connect(listener, sender=Party)
    try:
        Party.objects.get(pk=party.pk)
    finally:
        post_init.disconnect(listener, sender=Party)
    assert heard == [party.pk]
