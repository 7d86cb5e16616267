"""Role x endpoint x method for every endpoint of cases, contacts and the first line: who gets in
(2xx/4xx from the view itself) and who is refused by permission (403)."""

import pytest

from contactcentre.interactions.services import callback_request_create, contact_moment_record, work_queue_ensure
from contactcentre.principal import SYSTEM
from tests.casemanagement.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db

ROLES = ["agent", "counter_clerk", "supervisor", "functional_admin"]
FIRST_LINE = {"agent", "counter_clerk", "supervisor"}


@pytest.fixture
def world():
    party = PersonFactory()
    case = make_case(party=party, reference="ZMATRIX")
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party, assurance="substantial")
    queue = work_queue_ensure(code="kcc", name="KCC")
    callback = callback_request_create(queue=queue, phone_number="0612345678", question="x", party=party, actor=SYSTEM)
    purpose = f"purpose=contact&purpose_reference={contact.pk}"
    return {"party": party, "case": case, "contact": contact, "callback": callback, "purpose": purpose}


def _requests(w):
    p, c, k, cb, q = w["party"].pk, w["case"].pk, w["contact"].pk, w["callback"].pk, w["purpose"]
    # (name, method, path, body, roles allowed in)
    return [
        ("case list", "get", f"/api/v1/cases?party={p}&{q}", None, FIRST_LINE),
        ("case open", "post", "/api/v1/cases", {"case_type": "x", "party": p}, set()),
        ("case detail", "get", f"/api/v1/cases/{c}?{q}", None, FIRST_LINE),
        ("case history", "get", f"/api/v1/cases/{c}/statuses?{q}", None, FIRST_LINE),
        ("case status record", "post", f"/api/v1/cases/{c}/statuses", {"status": "in-behandeling"}, set()),
        ("case suspend", "post", f"/api/v1/cases/{c}/suspension", {"reason": "x"}, set()),
        ("case extend", "post", f"/api/v1/cases/{c}/extension", {"days": 1, "reason": "x"}, set()),
        (
            "case lookup",
            "post",
            "/api/v1/cases/lookup",
            {"reference": "ZMATRIX", "postcode_digits": "0000"},
            FIRST_LINE,
        ),
        (
            "case citizen lookup",
            "post",
            "/api/v1/cases/citizen-lookup",
            {"reference": "ZMATRIX", "postcode_digits": "0000"},
            FIRST_LINE,
        ),
        ("case types", "get", "/api/v1/case-types", None, FIRST_LINE | {"functional_admin"}),
        ("contact list", "get", f"/api/v1/contact-moments?party={p}&{q}", None, FIRST_LINE),
        ("contact create", "post", "/api/v1/contact-moments", {"channel": "web"}, FIRST_LINE),
        ("contact detail", "get", f"/api/v1/contact-moments/{k}", None, FIRST_LINE),
        ("contact close", "post", f"/api/v1/contact-moments/{k}/close", {"outcome": "answered"}, FIRST_LINE),
        ("callback list", "get", "/api/v1/callback-requests", None, FIRST_LINE),
        (
            "callback create",
            "post",
            "/api/v1/callback-requests",
            {"queue": "kcc", "phone_number": "0612345678", "question": "x"},
            FIRST_LINE,
        ),
        ("callback take", "post", f"/api/v1/callback-requests/{cb}/status", {"status": "in_progress"}, FIRST_LINE),
        ("contact open", "post", "/api/v1/first-line/contacts", {"channel": "web"}, FIRST_LINE),
        ("customer view", "get", f"/api/v1/parties/{p}/customer-view?{q}", None, FIRST_LINE),
        ("escalation list", "get", f"/api/v1/escalations?party={p}&{q}", None, FIRST_LINE),
        ("escalation detail", "get", f"/api/v1/escalations/D00000000?{q}", None, FIRST_LINE),
        (
            "escalation preview",
            "post",
            "/api/v1/escalations/preview",
            {"contact_moment": k, "question": "x"},
            FIRST_LINE,
        ),
        ("escalation create", "post", "/api/v1/escalations", {"contact_moment": k, "question": "x"}, FIRST_LINE),
        (
            "base-data request",
            "post",
            f"/api/v1/parties/{p}/base-data-requests",
            {"contact_moment": k, "attribute": "iban", "value": "x"},
            FIRST_LINE,
        ),
        (
            "first-line completion",
            "post",
            "/api/v1/first-line/completions",
            {"contact_moment": k, "case_type": "x"},
            FIRST_LINE,
        ),
        ("escalation accept", "post", "/api/v1/escalations/D00000000/accept", {}, set()),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(user_with_role, world, role):
    http, _ = user_with_role(role)
    outcomes = {}
    for name, method, path, body, allowed in _requests(world):
        response = getattr(http, method)(path, body, format="json") if body is not None else getattr(http, method)(path)
        outcomes[name] = response.status_code
        if role in allowed:
            assert response.status_code != 403, (name, response.status_code, response.content[:200])
            assert response.status_code < 500
        else:
            assert response.status_code == 403, (name, response.status_code)
    assert outcomes  # every request was made


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (
            ["cases:read"],
            {"case list", "case detail", "case history", "case lookup", "case citizen lookup", "case types"},
        ),
        (["cases:write"], {"case open", "case status record", "case suspend", "case extend"}),
        (["contacts:read"], {"contact list", "contact detail"}),
        (["contacts:write"], {"contact create", "contact close", "callback create", "contact open"}),
        (["escalations:read"], {"escalation list", "escalation detail"}),
        (["escalations:write"], {"escalation accept"}),
        ([], set()),
    ],
)
def test_scope_matrix(client_with_scopes, world, scopes, allowed):
    http, _ = client_with_scopes(scopes, organisation=world["case"].organisation)
    for name, method, path, body, _roles in _requests(world):
        response = getattr(http, method)(path, body, format="json") if body is not None else getattr(http, method)(path)
        if name in allowed:
            assert response.status_code != 403, (name, response.status_code, response.content[:200])
            assert response.status_code < 500
        else:
            assert response.status_code == 403, (name, response.status_code)
