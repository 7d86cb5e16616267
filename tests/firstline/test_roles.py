"""The role permissions declared by interactions, casemanagement and firstline all exist, and the
roles get exactly what the house rules say."""

import pytest

from contactcentre.api.roles import roles_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINE = ("interactions.", "casemanagement.", "firstline.")


def test_every_declared_permission_of_these_apps_exists():
    missing = roles_sync()
    assert {role: [p for p in perms if p.startswith(MINE)] for role, perms in missing.items()} == {
        role: [] for role in missing
    }


@pytest.mark.parametrize(
    ("role", "may", "may_not"),
    [
        (
            "agent",
            ["casemanagement.view_case", "interactions.add_contactmoment", "interactions.change_callbackrequest"],
            [
                "casemanagement.view_confidential_case",
                "casemanagement.change_casetype",
                "interactions.assign_callbackrequest",
            ],
        ),
        (
            "counter_clerk",
            ["casemanagement.view_case", "interactions.change_contactmoment", "interactions.add_callbackrequest"],
            ["casemanagement.view_confidential_case", "casemanagement.add_casestatus"],
        ),
        (
            "supervisor",
            ["casemanagement.view_confidential_case", "interactions.assign_callbackrequest"],
            ["casemanagement.change_casetype", "casemanagement.add_casestatus", "casemanagement.change_case"],
        ),
        (
            "functional_admin",
            ["casemanagement.change_casetype", "casemanagement.change_statustype", "interactions.change_workqueue"],
            ["casemanagement.view_case", "interactions.view_contactmoment", "interactions.view_callbackrequest"],
        ),
    ],
)
def test_role_permissions(role, may, may_not):
    user = UserFactory(role=role)
    assert [perm for perm in may if not user.has_perm(perm)] == []
    assert [perm for perm in may_not if user.has_perm(perm)] == []
