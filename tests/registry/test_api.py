"""Registry API: authorisation per endpoint, role and scope; BSN only in bodies; rate limits; shapes."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from contactcentre.principal import CITIZEN_SESSION_KEY
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.api.views import BsnSearchThrottle, CodeConfirmThrottle, CodeSendThrottle
from contactcentre.registry.models import BaseDataChange, Consent, DigitalAddress
from tests.registry.conftest import EMAIL

pytestmark = pytest.mark.django_db

PURPOSE = "purpose=contact&purpose_reference=cm-1"


def _endpoints(party_id):
    """(method, path, body) per endpoint; bodies valid enough to pass authorisation."""
    return [
        ("post", "/api/v1/parties/search", {"purpose": "contact", "purpose_reference": "cm-1", "phone": "0612345678"}),
        ("get", f"/api/v1/parties/{party_id}?{PURPOSE}", None),
        ("get", f"/api/v1/parties/{party_id}/base-data-changes?{PURPOSE}", None),
        (
            "post",
            f"/api/v1/parties/{party_id}/base-data-changes",
            {
                "attribute": "preferred_language",
                "value": "en",
                "assurance": "high",
                "channel": "phone",
                "contact_reference": "cm-1",
            },
        ),
        ("get", f"/api/v1/parties/{party_id}/consents?{PURPOSE}", None),
        (
            "post",
            f"/api/v1/parties/{party_id}/consents",
            {
                "consent_purpose": "sms_notifications",
                "granted": True,
                "channel": "phone",
                "purpose": "contact",
                "purpose_reference": "cm-1",
            },
        ),
        (
            "post",
            f"/api/v1/parties/{party_id}/verifications",
            {
                "attribute": "email",
                "value": "nieuw@voorbeeld.nl",
                "assurance": "low",
                "channel": "phone",
                "contact_reference": "cm-1",
            },
        ),
    ]


def _call(http, method, path, body):
    return getattr(http, method)(path, body, format="json") if body is not None else getattr(http, method)(path)


@pytest.mark.parametrize("index", range(7))
def test_anonymous_gets_401(api, person, index):
    method, path, body = _endpoints(person.pk)[index]
    response = _call(api, method, path, body)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


# Expected status per endpoint (same order as _endpoints) for each role.
ROLE_MATRIX = {
    "agent": [200, 200, 200, 201, 200, 200, 202],
    "counter_clerk": [200, 200, 200, 201, 200, 200, 202],
    "supervisor": [200, 200, 200, 403, 200, 403, 403],
    "functional_admin": [403, 403, 403, 403, 403, 403, 403],
}


@pytest.mark.parametrize("role", sorted(ROLE_MATRIX))
def test_role_matrix(user_with_role, rules, person, sent_codes, role):
    http, _user = user_with_role(role)
    got = [_call(http, *endpoint).status_code for endpoint in _endpoints(person.pk)]
    assert got == ROLE_MATRIX[role]


SCOPE_NEEDED = [
    "parties:read",
    "parties:read",
    "parties:read",
    "parties:write",
    "consents:read",
    "consents:write",
    "parties:write",
]


@pytest.mark.parametrize("index", range(7))
def test_api_client_needs_the_scope_of_each_endpoint(client_with_scopes, rules, person, sent_codes, index):
    endpoint = _endpoints(person.pk)[index]
    others = sorted({"parties:read", "parties:write", "consents:read", "consents:write"} - {SCOPE_NEEDED[index]})
    without, _ = client_with_scopes(others + ["cases:read"])
    assert _call(without, *endpoint).status_code == 403
    body = endpoint[2]
    if body and "contact_reference" in body:
        body = {k: v for k, v in body.items() if k != "contact_reference"} | {
            "purpose": "second_line",
            "purpose_reference": "esc-1",
        }
    endpoint = (endpoint[0], endpoint[1].replace("purpose=contact", "purpose=second_line"), body)
    with_scope, _ = client_with_scopes([SCOPE_NEEDED[index]])
    assert _call(with_scope, *endpoint).status_code in (200, 201, 202)


def test_search_by_bsn_in_the_body(user_with_role, person):
    http, _ = user_with_role("agent")
    response = http.post(
        "/api/v1/parties/search",
        {"bsn": person.bsn, "purpose": "contact", "purpose_reference": "cm-1"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": person.pk,
                "kind": "person",
                "name": person.display_name,
                "date_of_birth": person.date_of_birth.isoformat(),
            }
        ]
    }
    assert person.bsn not in response.content.decode()


def test_search_rejects_unknown_fields_and_bad_bsn(user_with_role, person):
    http, _ = user_with_role("agent")
    base = {"purpose": "contact", "purpose_reference": "cm-1"}
    response = http.post("/api/v1/parties/search", base | {"bsn": person.bsn, "is_admin": True}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "is_admin", "message": "Onbekend veld.", "code": "invalid"}]
    response = http.post("/api/v1/parties/search", base | {"bsn": "123456789"}, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["bsn"]
    assert "123456789" not in response.content.decode()


def test_search_without_purpose_is_403_and_logged(user_with_role, person):
    http, _ = user_with_role("agent")
    response = http.post("/api/v1/parties/search", {"bsn": person.bsn}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "purpose_required"
    assert list(ProcessingRecord.objects.values_list("action", "outcome")) == [("search", "denied")]


def test_bsn_search_is_rate_limited_and_nothing_extra_is_searched(user_with_role, person, monkeypatch):
    monkeypatch.setattr(BsnSearchThrottle, "THROTTLE_RATES", {"sensitive": "3/min"})
    http, _ = user_with_role("agent")
    body = {"bsn": person.bsn, "purpose": "contact", "purpose_reference": "cm-1"}
    statuses = [http.post("/api/v1/parties/search", body, format="json").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert ProcessingRecord.objects.filter(action="search").count() == 3
    # Searching by phone number is not counted against the BSN limit; another agent has their own budget.
    phone = {"phone": "0612345678", "purpose": "contact", "purpose_reference": "cm-1"}
    assert http.post("/api/v1/parties/search", phone, format="json").status_code == 200
    other, _ = user_with_role("agent")
    assert other.post("/api/v1/parties/search", body, format="json").status_code == 200


def test_base_data_fields_follow_role_and_assurance(user_with_role, person):
    http, _ = user_with_role("agent")
    low = http.get(f"/api/v1/parties/{person.pk}?{PURPOSE}&assurance=low").json()
    full = http.get(f"/api/v1/parties/{person.pk}?{PURPOSE}&assurance=substantial").json()
    assert low["emails"][0]["value"] == "j***@voorbeeld.nl"
    assert full["emails"][0]["value"] == EMAIL
    assert low["restrictions"]["emails"] == "masked"
    assert "bsn" not in full


def test_base_data_read_without_purpose_is_403(user_with_role, person):
    http, _ = user_with_role("agent")
    response = http.get(f"/api/v1/parties/{person.pk}")
    assert response.status_code == 403
    assert ProcessingRecord.objects.get().outcome == "denied"


def test_unknown_party_is_404(user_with_role):
    http, _ = user_with_role("agent")
    assert http.get(f"/api/v1/parties/987654?{PURPOSE}").status_code == 404


def test_refused_change_is_a_422_problem_naming_the_source(user_with_role, rules, person):
    http, _ = user_with_role("counter_clerk")
    response = http.post(
        f"/api/v1/parties/{person.pk}/base-data-changes",
        {
            "attribute": "residential_address",
            "value": {"street": "Nieuwstraat", "house_number": 3, "postcode": "3512 CD", "city": "Voorbeeldstad"},
            "assurance": "high",
            "channel": "counter",
            "contact_reference": "cm-1",
        },
        format="json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "source_elsewhere"
    assert "Gemeente Voorbeeldstad (BRP)" in body["detail"]
    assert not BaseDataChange.objects.exists()


def test_change_rejects_read_only_and_unknown_fields(user_with_role, rules, person):
    http, _ = user_with_role("agent")
    response = http.post(
        f"/api/v1/parties/{person.pk}/base-data-changes",
        {
            "attribute": "preferred_language",
            "value": "en",
            "assurance": "high",
            "channel": "phone",
            "contact_reference": "cm-1",
            "status": "applied",
            "party": 2,
        },
        format="json",
    )
    assert response.status_code == 400
    assert sorted(e["field"] for e in response.json()["errors"]) == ["party", "status"]


def test_verification_flow_over_the_api(user_with_role, rules, person, sent_codes):
    http, _ = user_with_role("agent")
    started = http.post(
        f"/api/v1/parties/{person.pk}/verifications",
        {
            "attribute": "email",
            "value": "Nieuw@Voorbeeld.nl",
            "assurance": "low",
            "channel": "phone",
            "contact_reference": "cm-1",
        },
        format="json",
    )
    assert started.status_code == 202
    verification_id = started.json()["id"]
    wrong = "000000" if sent_codes[0]["code"] != "000000" else "111111"
    confirm = f"/api/v1/verifications/{verification_id}/confirm"
    assert http.post(confirm, {"code": wrong}, format="json").status_code == 400
    response = http.post(confirm, {"code": sent_codes[0]["code"]}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "applied"
    assert DigitalAddress.objects.get(party=person, kind="email", is_default=True).value == "nieuw@voorbeeld.nl"


def test_verification_attempts_are_rate_limited_per_caller(user_with_role, rules, person, sent_codes, monkeypatch):
    monkeypatch.setattr(CodeConfirmThrottle, "THROTTLE_RATES", {"sensitive": "2/min"})
    http, _ = user_with_role("agent")
    http.post(
        f"/api/v1/parties/{person.pk}/verifications",
        {
            "attribute": "email",
            "value": "n@voorbeeld.nl",
            "assurance": "low",
            "channel": "phone",
            "contact_reference": "cm-1",
        },
        format="json",
    )
    challenge_id = person.verifications.get().pk
    statuses = [
        http.post(f"/api/v1/verifications/{challenge_id}/confirm", {"code": "999999x"}, format="json").status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]
    assert person.verifications.get().attempts == 2


def test_consents_over_the_api_and_withdrawal(user_with_role, person):
    http, _ = user_with_role("agent")
    url = f"/api/v1/parties/{person.pk}/consents"
    body = {
        "consent_purpose": "proactive_signals",
        "granted": True,
        "channel": "phone",
        "purpose": "contact",
        "purpose_reference": "cm-1",
    }
    assert http.post(url, body, format="json").status_code == 200
    assert http.post(url, body | {"granted": False}, format="json").json()["granted"] is False
    listed = http.get(f"{url}?{PURPOSE}").json()["results"]
    assert [(c["consent_purpose"], c["granted"]) for c in listed] == [("proactive_signals", False)]
    assert Consent.objects.count() == 1


def test_list_endpoints_use_a_constant_number_of_queries(user_with_role, rules, person):
    http, _ = user_with_role("agent")
    languages = itertools.cycle(["en", "nl"])  # the person starts with "nl": every change is a real one
    consent_purposes = itertools.cycle(["proactive_signals", "sms_notifications", "email_notifications"])
    counts = []
    for extra in (1, 6):
        for n in range(extra):
            assert (
                http.post(
                    f"/api/v1/parties/{person.pk}/consents",
                    {
                        "consent_purpose": next(consent_purposes),
                        "granted": n % 2 == 0,
                        "channel": "phone",
                        "purpose": "contact",
                        "purpose_reference": "cm-1",
                    },
                    format="json",
                ).status_code
                == 200
            )
            assert (
                http.post(
                    f"/api/v1/parties/{person.pk}/base-data-changes",
                    {
                        "attribute": "preferred_language",
                        "value": next(languages),
                        "assurance": "low",
                        "channel": "phone",
                        "contact_reference": f"cm-{n}",
                    },
                    format="json",
                ).status_code
                == 201
            )
        with CaptureQueriesContext(connection) as consents:
            assert len(http.get(f"/api/v1/parties/{person.pk}/consents?{PURPOSE}").json()["results"]) == min(
                len(counts) * 1 + extra, 3
            )
        with CaptureQueriesContext(connection) as changes:
            assert http.get(f"/api/v1/parties/{person.pk}/base-data-changes?{PURPOSE}").json()["count"] == (
                1 if not counts else 7
            )
        counts.append((len(consents), len(changes)))
    assert counts[0] == counts[1]


# --- citizen ------------------------------------------------------------------------------------------


def _citizen(party_id, assurance="substantial") -> APIClient:
    http = APIClient()
    session = http.session
    session[CITIZEN_SESSION_KEY] = {"party_id": party_id, "assurance": assurance}
    session.save()
    return http


def test_citizen_sees_own_base_data_and_consents_only(make_person):
    me, other = make_person(), make_person()
    http = _citizen(me.pk)
    data = http.get("/api/v1/citizen/base-data").json()
    assert data["id"] == me.pk
    assert data["emails"][0]["value"] == EMAIL
    assert other.pk not in (data["id"],)
    assert http.get("/api/v1/citizen/consents").json() == {"results": []}
    # The staff endpoints are closed to a citizen session, also for their own party.
    assert http.get(f"/api/v1/parties/{me.pk}?{PURPOSE}").status_code in (401, 403)
    assert http.get(f"/api/v1/parties/{other.pk}?{PURPOSE}").status_code in (401, 403)


def test_citizen_endpoints_refuse_staff_and_anonymous(user_with_role, api):
    http, _ = user_with_role("agent")
    # No citizen signed in (a staff session is not one): 401 with a challenge, as the staff endpoints answer.
    assert http.get("/api/v1/citizen/base-data").status_code == 401
    assert api.get("/api/v1/citizen/base-data").status_code == 401
    assert api.get("/api/v1/citizen/base-data")["WWW-Authenticate"] == 'Session realm="portal"'


def test_sending_codes_is_rate_limited_per_caller(user_with_role, rules, make_person, sent_codes, monkeypatch):
    monkeypatch.setattr(CodeSendThrottle, "THROTTLE_RATES", {"sensitive": "2/min"})
    http, _ = user_with_role("agent")
    people = [make_person() for _ in range(3)]
    statuses = [
        http.post(
            f"/api/v1/parties/{p.pk}/base-data-changes",
            {
                "attribute": "phone",
                "value": "0687654321",
                "assurance": "low",
                "channel": "phone",
                "contact_reference": "cm-1",
            },
            format="json",
        ).status_code
        for p in people
    ]
    assert statuses == [202, 202, 429]
    assert len(sent_codes) == 2
    # Changes that send nothing are not counted.
    response = http.post(
        f"/api/v1/parties/{people[2].pk}/base-data-changes",
        {
            "attribute": "preferred_language",
            "value": "en",
            "assurance": "low",
            "channel": "phone",
            "contact_reference": "cm-1",
        },
        format="json",
    )
    assert response.status_code == 201


def test_base_data_read_costs_the_same_queries_however_many_addresses(user_with_role, person):
    http, _ = user_with_role("agent")
    http.get(f"/api/v1/parties/{person.pk}?{PURPOSE}&assurance=substantial")  # warm the permission cache
    counts = []
    for extra in (0, 8):
        for n in range(extra):
            DigitalAddress.objects.create(party=person, kind="email", value=f"extra{n}@voorbeeld.nl")
        with CaptureQueriesContext(connection) as queries:
            response = http.get(f"/api/v1/parties/{person.pk}?{PURPOSE}&assurance=substantial")
        assert len(response.json()["emails"]) == 1 + extra
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_change_list_is_paginated(user_with_role, rules, person):
    http, _ = user_with_role("agent")
    for value in ("en", "nl", "en"):
        http.post(
            f"/api/v1/parties/{person.pk}/base-data-changes",
            {
                "attribute": "preferred_language",
                "value": value,
                "assurance": "low",
                "channel": "phone",
                "contact_reference": "cm-1",
            },
            format="json",
        )
    page = http.get(f"/api/v1/parties/{person.pk}/base-data-changes?{PURPOSE}&page_size=2&page=2").json()
    assert (page["count"], [c["new_value"] for c in page["results"]]) == (3, ["en"])
