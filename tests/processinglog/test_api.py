"""The processing log over the API: supervisors by party with a purpose; the citizen their own, only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from contactcentre.principal import CITIZEN_SESSION_KEY
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.services import processing_log_record
from tests.factories import PersonFactory, UserFactory, organisation, staff

pytestmark = pytest.mark.django_db

SUPERVISION = "purpose=supervision&purpose_reference=klacht-12"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _log(person, actor, n=1, purpose="contact"):
    for i in range(n):
        processing_log_record(
            actor=actor,
            action="read",
            object_type="party_base_data",
            party_ids=[person.pk],
            purpose=purpose,
            purpose_reference=f"cm-{i}",
        )


def _citizen(party_id) -> APIClient:
    http = APIClient()
    session = http.session
    session[CITIZEN_SESSION_KEY] = {"party_id": party_id, "assurance": "substantial"}
    session.save()
    return http


def test_supervisor_reads_a_party_log_with_a_purpose_and_that_read_is_logged(user_with_role):
    person, other = PersonFactory(), PersonFactory()
    agent = UserFactory(username="anna")
    _log(person, staff(agent), n=2)
    _log(other, staff(agent), n=1)
    http, supervisor = user_with_role("supervisor")
    response = http.get(f"/api/v1/parties/{person.pk}/processing-log?{SUPERVISION}")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["actor_label"], r["purpose_reference"]) for r in results] == [
        (supervisor.username, "klacht-12"),
        ("anna", "cm-1"),
        ("anna", "cm-0"),
    ]


@pytest.mark.parametrize("role", ["agent", "counter_clerk", "functional_admin"])
def test_other_roles_cannot_read_the_log(user_with_role, role):
    person = PersonFactory()
    http, _ = user_with_role(role)
    assert http.get(f"/api/v1/parties/{person.pk}/processing-log?{SUPERVISION}").status_code == 403


def test_supervisor_without_purpose_is_refused_and_logged(user_with_role):
    person = PersonFactory()
    http, _ = user_with_role("supervisor")
    assert http.get(f"/api/v1/parties/{person.pk}/processing-log").status_code == 403
    assert list(ProcessingRecord.objects.values_list("object_type", "outcome")) == [("processing_log", "denied")]


def test_api_clients_and_anonymous_callers_cannot_read_the_log(client_with_scopes, api):
    person = PersonFactory()
    http, _ = client_with_scopes(["parties:read", "parties:write", "consents:read", "cases:read"])
    assert http.get(f"/api/v1/parties/{person.pk}/processing-log?{SUPERVISION}").status_code == 403
    assert api.get(f"/api/v1/parties/{person.pk}/processing-log?{SUPERVISION}").status_code == 401
    assert api.get("/api/v1/citizen/processing-log").status_code == 401  # no citizen signed in


def test_citizen_a_sees_own_log_and_never_b(client_with_scopes):
    a, b = PersonFactory(), PersonFactory()
    _http, client = client_with_scopes(["parties:read"])
    agent = UserFactory(username="anna")
    _log(a, staff(agent), n=2)
    _log(a, organisation(client), n=1, purpose="second_line")
    _log(b, staff(agent), n=3)
    response = _citizen(a.pk).get("/api/v1/citizen/processing-log")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [(r["actor"], r["organisation_code"], r["purpose"]) for r in body["results"]] == [
        ("Systeem van een organisatie", client.organisation.code, "second_line"),
        ("Medewerker", "", "contact"),
        ("Medewerker", "", "contact"),
    ]
    # Staff are not named to the citizen individually.
    assert "anna" not in response.content.decode()
    assert _citizen(b.pk).get("/api/v1/citizen/processing-log").json()["count"] == 3


def test_citizen_log_costs_the_same_queries_for_1_or_20_records():
    person = PersonFactory()
    agent = UserFactory()
    http = _citizen(person.pk)
    http.get("/api/v1/citizen/processing-log")  # the session is read from the database once, then cached
    counts = []
    for n in (1, 19):
        _log(person, staff(agent), n=n)
        with CaptureQueriesContext(connection) as queries:
            assert http.get("/api/v1/citizen/processing-log").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
