import pytest

from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db

URL = "/api/v1/first-line/contacts"


def test_anonymous_is_refused(api):
    assert api.post(URL, {"channel": "phone"}).status_code in (401, 403)


def test_agent_opens_a_contact_by_bsn_in_the_body(user_with_role):
    http, user = user_with_role("agent")
    party = PersonFactory()
    case = make_case(party=party)
    response = http.post(
        URL,
        {
            "channel": "phone",
            "identity_claim": {"kind": "bsn", "value": party.bsn},
            "assurance": "high",  # not the caller's to claim: ignored
            "text": "Waar blijft mijn beslissing?",
            "external_id": "CA42",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["party"] == {"id": party.pk, "name": party.display_name}
    assert body["contact"]["agent"] == user.username
    assert body["contact"]["assurance"] == "low"  # a caller on the phone is recognised, not verified
    assert [c["id"] for c in body["cases"]] == [case.pk]
    assert body["cases"][0]["detail"] == "citizen"  # what the first line shows at low assurance
    assert party.bsn not in response.content.decode()  # the BSN is not echoed back

    again = http.post(
        URL,
        {"channel": "phone", "identity_claim": {"kind": "bsn", "value": party.bsn}, "external_id": "CA42"},
        format="json",
    )
    assert again.status_code == 200
    assert again.json()["contact"]["id"] == body["contact"]["id"]
    assert ContactMoment.objects.count() == 1


def test_anonymous_contact_without_claim(user_with_role):
    http, _ = user_with_role("counter_clerk")
    response = http.post(URL, {"channel": "counter", "text": "Openingstijden?"}, format="json")
    assert response.status_code == 201
    assert response.json()["party"] is None
    assert response.json()["cases"] == []
    assert ProcessingRecord.objects.count() == 0


def test_invalid_claim_is_a_400(user_with_role):
    http, _ = user_with_role("agent")
    response = http.post(URL, {"channel": "phone", "identity_claim": {"kind": "bsn", "value": "123"}}, format="json")
    assert response.status_code == 400
    assert ContactMoment.objects.count() == 0


def test_client_needs_contacts_write_and_sees_only_its_own_cases(client_with_scopes):
    party = PersonFactory()
    own = make_case(party=party)
    make_case(party=party)
    reader, _ = client_with_scopes(["contacts:read", "cases:read"], organisation=own.organisation)
    writer, _ = client_with_scopes(["contacts:write"], organisation=own.organisation)
    body = {"channel": "email", "identity_claim": {"kind": "bsn", "value": party.bsn}, "assurance": "low"}
    assert reader.post(URL, body, format="json").status_code == 403
    response = writer.post(URL, body, format="json")
    assert response.status_code == 201
    assert [c["id"] for c in response.json()["cases"]] == [own.pk]


@pytest.mark.parametrize("role", ["functional_admin"])
def test_roles_without_contact_permission_are_refused(user_with_role, role):
    http, _ = user_with_role(role)
    assert http.post(URL, {"channel": "phone"}, format="json").status_code == 403
