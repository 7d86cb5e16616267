import pytest

from casemanagement.models import Confidentiality
from casemanagement.policy import Clearance, Detail, case_detail, clearance_of
from contactcentre.principal import Principal
from tests.factories import UserFactory, organisation, staff

N, C, S = Confidentiality.NORMAL, Confidentiality.CONFIDENTIAL, Confidentiality.SECRET
FL, SV, CIT, CL = Clearance.FIRST_LINE, Clearance.SUPERVISOR, Clearance.CITIZEN, Clearance.OWNER_CLIENT


@pytest.mark.parametrize(
    ("confidentiality", "clearance", "assurance", "same_org", "expected"),
    [
        (N, FL, "low", False, Detail.CITIZEN),
        (N, FL, "", False, Detail.CITIZEN),
        (N, FL, "substantial", False, Detail.FULL),
        (N, FL, "high", False, Detail.FULL),
        (C, FL, "low", False, Detail.EXISTENCE),
        (C, FL, "substantial", False, Detail.CITIZEN),
        (C, FL, "high", False, Detail.CITIZEN),
        (S, FL, "high", False, Detail.NONE),
        (N, SV, "low", False, Detail.FULL),
        (C, SV, "low", False, Detail.FULL),
        (S, SV, "high", False, Detail.EXISTENCE),
        (N, CL, "", True, Detail.FULL),
        (S, CL, "", True, Detail.FULL),
        (N, CL, "", False, Detail.NONE),
        (N, CIT, "substantial", False, Detail.CITIZEN),
        (C, CIT, "substantial", False, Detail.CITIZEN),
        (S, CIT, "substantial", False, Detail.NONE),
        (N, Clearance.NOTHING, "high", False, Detail.NONE),
    ],
)
def test_detail_matrix(confidentiality, clearance, assurance, same_org, expected):
    assert (
        case_detail(
            confidentiality=confidentiality, clearance=clearance, assurance=assurance, same_organisation=same_org
        )
        == expected
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("agent", Clearance.FIRST_LINE),
        ("counter_clerk", Clearance.FIRST_LINE),
        ("supervisor", Clearance.SUPERVISOR),
        ("functional_admin", Clearance.NOTHING),
    ],
)
def test_clearance_follows_role_permissions(role, expected):
    assert clearance_of(staff(UserFactory(role=role))) == expected


@pytest.mark.django_db
def test_clearance_of_clients_and_citizens(client_with_scopes):
    _, reader = client_with_scopes(["cases:read"])
    _, contacts_only = client_with_scopes(["contacts:read"])
    assert clearance_of(organisation(reader)) == Clearance.OWNER_CLIENT
    assert (
        clearance_of(organisation(contacts_only)) == Clearance.OWNER_CLIENT
    )  # scopes decide the endpoints, not the view
    assert clearance_of(Principal.citizen(party_id=1, assurance="substantial")) == Clearance.CITIZEN
    assert clearance_of(None) == Clearance.NOTHING
