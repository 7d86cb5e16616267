"""The admin pages of the registry and processing log render; the audit trails are read-only there."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contactcentre.principal import SYSTEM
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.processinglog.services import processing_log_record

pytestmark = pytest.mark.django_db

MODELS = [
    "registry_organisation",
    "registry_party",
    "registry_datasourcerule",
    "registry_consent",
    "registry_basedatachange",
    "registry_verificationchallenge",
    "processinglog_processingrecord",
]


@pytest.fixture
def admin_client_with_data(client, rules, make_person):
    person = make_person()
    processing_log_record(actor=SYSTEM, action="read", object_type="x", party_ids=[person.pk], purpose="system")
    admin = get_user_model().objects.create_superuser("root", "root@voorbeeld.nl", "a-strong-test-password-1")
    client.force_login(admin)
    return client, person


@pytest.mark.parametrize("model", MODELS)
def test_changelists_render(admin_client_with_data, model):
    client, _person = admin_client_with_data
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_party_page_shows_its_base_data_but_not_the_bsn(admin_client_with_data):
    client, person = admin_client_with_data
    response = client.get(reverse("admin:registry_party_change", args=[person.pk]))
    assert response.status_code == 200
    assert person.bsn not in response.content.decode()
    assert "Voorbeeldstad" in response.content.decode()


def test_audit_trails_cannot_be_added_or_changed_in_the_admin(admin_client_with_data):
    client, _person = admin_client_with_data
    assert client.get(reverse("admin:registry_basedatachange_add")).status_code == 403
    assert client.get(reverse("admin:processinglog_processingrecord_add")).status_code == 403


def test_the_processing_log_is_searched_by_whole_pseudonym_or_trace_id(admin_client_with_data, make_person):
    """Exact matches only: what the log's indexes serve, and a part of a pseudonym identifies nobody."""
    client, person = admin_client_with_data
    other = make_person()
    processing_log_record(actor=SYSTEM, action="read", object_type="x", party_ids=[other.pk], purpose="system")
    changelist = reverse("admin:processinglog_processingrecord_changelist")
    pseudonym = subject_pseudonym(person.pk)

    whole = client.get(changelist, {"q": pseudonym})
    part = client.get(changelist, {"q": pseudonym[:12]})

    assert [record.subject for record in whole.context["cl"].result_list] == [pseudonym]
    assert list(part.context["cl"].result_list) == []
