"""One form of timestamp across the API: ISO 8601 in UTC ending in "Z", whether a serializer wrote the
answer (opening a contact), a selector's rows were served as they are (the customer view, cases) or the
timestamp came from a request in another zone."""

import re
from datetime import UTC, datetime, timedelta
from datetime import timezone as fixed_zone

import pytest
from django.utils import timezone

from contactcentre.interactions.services import callback_request_create, contact_moment_record, work_queue_ensure
from contactcentre.principal import SYSTEM
from contactcentre.registry.models import Consent
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import staff

pytestmark = pytest.mark.django_db

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ELSEWHERE = fixed_zone(timedelta(hours=5))
UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def _timestamps(value, path="") -> dict[str, str]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _timestamps(item, f"{path}.{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in _timestamps(item, f"{path}[{i}]").items()}
    return {path: value} if isinstance(value, str) and TIMESTAMP.match(value) else {}


def _all_utc_z(body) -> dict[str, str]:
    found = _timestamps(body)
    assert found, "no timestamps in the answer"
    assert {path: value for path, value in found.items() if not UTC_Z.match(value)} == {}
    return found


def test_opening_a_contact_and_the_customer_view_write_utc_with_z(user_with_role):
    http, user = user_with_role("agent")
    party = PersonFactory()
    make_case(party=party)
    Consent.objects.create(
        party=party, purpose="sms_notifications", granted=True, channel="portal", changed_at=timezone.now()
    )
    queue = work_queue_ensure(code="kcc", name="KCC")
    callback_request_create(queue=queue, phone_number="0612345678", question="Bel mij", party=party, actor=SYSTEM)
    opened = http.post(
        "/api/v1/first-line/contacts",
        {"channel": "phone", "identity_claim": {"kind": "bsn", "value": party.bsn}},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    started = _all_utc_z(opened.json())
    assert ".contact.started_at" in started

    contact, _ = contact_moment_record(channel="phone", actor=staff(user), party=party)
    view = http.get(
        f"/api/v1/parties/{party.pk}/customer-view", {"purpose": "contact", "purpose_reference": contact.pk}
    )
    assert view.status_code == 200, view.content
    found = _all_utc_z(view.json())
    assert any(path.endswith("opened_at") for path in found)
    assert any(path.endswith("started_at") for path in found)


def test_a_time_given_in_another_zone_comes_back_in_utc(client_with_scopes):
    case = make_case()
    http, _ = client_with_scopes(["cases:read", "cases:write"], organisation=case.organisation)
    at = timezone.now().replace(microsecond=0) + timedelta(seconds=1)
    response = http.post(
        f"/api/v1/cases/{case.pk}/statuses",
        {"status": "in-behandeling", "set_at": at.astimezone(ELSEWHERE).isoformat()},  # "...+05:00"
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["set_at"] == at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    [row] = http.get("/api/v1/cases").json()["results"]
    assert datetime.fromisoformat(row["opened_at"]).tzinfo == UTC
    _all_utc_z(row)
