"""Odd input never answers 5xx (issue 15, point 3): purpose references and ids with Unicode digits
("²", "①", Arabic-Indic "١٢"), numbers beyond a bigint, empty and whitespace values. A refused purpose
is a 403 with a "denied" processing-log record; a malformed `party` is a 400."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import make_case
from tests.factories import PersonFactory

ODD_VALUES = [
    "²",
    "①",
    "١٢",
    "١",
    "𝟗",  # mathematical bold digit nine
    "9223372036854775807",  # the largest bigint
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "1" * 300,
    "",
    " ",
    "\t",
    "\u00a0",
    " 1 ",
    "-1",
    "0",
    "1.5",
    "1e9",
    "0x10",
    "１２",  # full-width digits
]

# Text that an id parser could take for a number: any Unicode digit, huge numbers, blanks, plain text.
odd_text = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40),
    st.text(st.characters(categories=["Nd", "No", "Zs"]), max_size=25),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)
PURPOSES = st.one_of(st.sampled_from(["contact", "case", "self_service", "", " ", "CONTACT"]), odd_text)

HYPOTHESIS = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _denied_count() -> int:
    return ProcessingRecord.objects.filter(outcome=ProcessingRecord.Outcome.DENIED).count()


def _assert_answer(response, *, denied_before: int) -> None:
    assert response.status_code < 500, response.content
    assert response.status_code in (400, 403, 404), (response.status_code, response.content)
    if response.status_code == 403:
        assert _denied_count() > denied_before, "a purpose refusal writes a denied processing-log record"


@pytest.fixture
def agent(user_with_role):
    http, _ = user_with_role("agent")
    return http


@pytest.fixture
def party(db):
    return PersonFactory()


# The person's own endpoints: `purpose` and `purpose_reference` in the query string.
PARTY_ENDPOINTS = [
    "/api/v1/parties/{party}/customer-view",
    "/api/v1/parties/{party}",
    "/api/v1/parties/{party}/base-data-changes",
    "/api/v1/parties/{party}/consents",
    "/api/v1/parties/{party}/processing-log",
    "/api/v1/cases/{case}",
]


@pytest.mark.parametrize("template", PARTY_ENDPOINTS)
def test_party_endpoints_never_5xx_and_refusals_are_logged(user_with_role, party, template):
    # The processing log is for supervisors (purpose-bound); the rest for the first line.
    http, _ = user_with_role("supervisor" if template.endswith("processing-log") else "agent")
    case = make_case(party=party)

    @given(purpose=PURPOSES, reference=odd_text, assurance=st.one_of(st.just("low"), odd_text))
    @HYPOTHESIS
    def run(purpose, reference, assurance):
        query = {"purpose": purpose, "purpose_reference": reference}
        if template == "/api/v1/parties/{party}":
            query["assurance"] = assurance
        before = _denied_count()
        response = http.get(template.format(party=party.pk, case=case.pk) + "?" + urlencode(query))
        _assert_answer(response, denied_before=before)

    run()


def _post_bodies(party) -> dict:
    return {
        "/api/v1/parties/search": {"surname": party.surname, "date_of_birth": str(party.date_of_birth)},
        f"/api/v1/parties/{party.pk}/verifications": {
            "attribute": "phone",
            "value": "0612345678",
            "assurance": "low",
            "channel": "phone",
        },
        f"/api/v1/parties/{party.pk}/consents": {
            "consent_purpose": "sms_notifications",
            "granted": True,
            "channel": "phone",
        },
    }


@pytest.mark.parametrize("which", [0, 1, 2])
def test_purpose_in_post_bodies_never_5xx_and_refusals_are_logged(agent, party, which):
    path, base = list(_post_bodies(party).items())[which]

    @given(purpose=PURPOSES, reference=odd_text, contact_reference=odd_text)
    @HYPOTHESIS
    def run(purpose, reference, contact_reference):
        cache.clear()  # the sensitive throttles count these posts; each example starts with its budget
        body = {**base, "purpose": purpose, "purpose_reference": reference}
        if "verifications" in path:
            body["contact_reference"] = contact_reference
        before = _denied_count()
        response = agent.post(path, body, format="json")
        _assert_answer(response, denied_before=before)

    run()


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/contact-moments"])
def test_party_lists_never_5xx_and_refusals_are_logged(agent, party, path):
    @given(party_param=st.one_of(st.just(str(party.pk)), odd_text), purpose=PURPOSES, reference=odd_text)
    @HYPOTHESIS
    def run(party_param, purpose, reference):
        before = _denied_count()
        query = {"party": party_param, "purpose": purpose, "purpose_reference": reference}
        response = agent.get(f"{path}?{urlencode(query)}")
        _assert_answer(response, denied_before=before)

    run()


def test_callback_list_party_filter_never_5xx(agent):
    @given(party_param=odd_text)
    @HYPOTHESIS
    def run(party_param):
        response = agent.get("/api/v1/callback-requests?" + urlencode({"party": party_param}))
        assert response.status_code in (200, 400), (response.status_code, response.content)

    run()


def test_base_data_change_body_references_never_5xx(agent, party):
    @given(contact_reference=odd_text, purpose=PURPOSES, reference=odd_text)
    @HYPOTHESIS
    def run(contact_reference, purpose, reference):
        body = {
            "attribute": "email",
            "value": "nieuw@example.org",
            "assurance": "low",
            "channel": "phone",
            "contact_reference": contact_reference,
            "purpose": purpose,
            "purpose_reference": reference,
        }
        cache.clear()  # the code-send throttle counts these posts; each example starts with its budget
        before = _denied_count()
        response = agent.post(f"/api/v1/parties/{party.pk}/base-data-changes", body, format="json")
        _assert_answer(response, denied_before=before)

    run()


@pytest.mark.parametrize("value", ["²", "①", "١٢", "9223372036854775808", "9" * 40, " ", ""])
@pytest.mark.parametrize("purpose", ["contact", "case"])
def test_customer_view_odd_reference_is_a_logged_403(agent, party, purpose, value):
    before = _denied_count()
    query = urlencode({"purpose": purpose, "purpose_reference": value})
    response = agent.get(f"/api/v1/parties/{party.pk}/customer-view?{query}")
    assert response.status_code == 403
    assert _denied_count() == before + 1


@pytest.mark.parametrize("value", ["²", "①", "١٢", "9223372036854775808", "9" * 40, " 1"])
@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/contact-moments", "/api/v1/callback-requests"])
def test_malformed_party_is_a_400(agent, path, value):
    query = urlencode({"party": value, "purpose": "contact", "purpose_reference": "1"})
    response = agent.get(f"{path}?{query}")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("value", ["²", "①", "١٢", "9223372036854775808", " "])
@pytest.mark.parametrize("which", [0, 1, 2])
def test_post_bodies_reach_the_purpose_check(agent, party, which, value):
    """The bodies above are valid but for the purpose: the generated examples exercise the check."""
    path, base = list(_post_bodies(party).items())[which]
    before = _denied_count()
    response = agent.post(path, {**base, "purpose": "contact", "purpose_reference": value}, format="json")
    assert response.status_code == 403, response.content
    assert _denied_count() > before
