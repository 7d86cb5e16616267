"""Cached permission sets (contactcentre.api.backends): the same answers as ModelBackend, no queries for
them once cached, the user itself always read from the database, and every change to the user, its
groups or their permissions taking effect on the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contactcentre.api.backends import user_group_names
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

User = get_user_model()
VIEW_ORGANISATION = "registry.view_organisation"
LIST = "/api/v1/_test/organisations"  # needs registry.view_organisation, which agents have


def _fresh(user):
    """The user as the next request loads it (no per-object memo)."""
    return User.objects.get(pk=user.pk)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _tables_read(queries, *tables: str) -> dict[str, int]:
    return {table: sum(f'"{table}"' in query["sql"] for query in queries.captured_queries) for table in tables}


def test_same_permissions_as_model_backend_and_no_queries_once_cached():
    user = UserFactory(role="agent")
    user.user_permissions.add(_permission("registry.change_organisation"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert _fresh(user).get_all_permissions() == expected  # fills the cache
    again = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert again.get_all_permissions() == expected
        assert again.has_perm("registry.change_organisation")
        assert not again.has_perm("registry.delete_organisation")
        assert user_group_names(again) == frozenset({"agent"})
    assert len(queries) == 0


def test_a_request_reads_the_user_from_the_database_and_its_permissions_from_the_cache(user_with_role):
    http, _user = user_with_role("agent")
    assert http.get(LIST).status_code == 200  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert http.get(LIST).status_code == 200
    assert _tables_read(queries, "auth_user", "auth_user_groups", "auth_group", "auth_permission") == {
        "auth_user": 1,
        "auth_user_groups": 0,
        "auth_group": 0,
        "auth_permission": 0,
    }


def test_permission_removed_from_a_group_is_refused_on_the_next_request(user_with_role):
    http, user = user_with_role("agent")
    assert http.get(LIST).status_code == 200
    assert http.get(LIST).status_code == 200  # now from the cache
    Group.objects.get(name="agent").permissions.remove(_permission(VIEW_ORGANISATION))
    assert http.get(LIST).status_code == 403
    Group.objects.get(name="agent").permissions.add(_permission(VIEW_ORGANISATION))
    assert http.get(LIST).status_code == 200


def test_group_membership_and_user_permissions_take_effect_at_once():
    user = UserFactory(role="agent")
    assert _fresh(user).has_perm(VIEW_ORGANISATION)
    user.groups.clear()
    fresh = _fresh(user)
    assert not fresh.has_perm(VIEW_ORGANISATION)
    assert user_group_names(fresh) == frozenset()
    user.user_permissions.add(_permission(VIEW_ORGANISATION))
    assert _fresh(user).has_perm(VIEW_ORGANISATION)
    Group.objects.get(name="agent").user_set.add(user)  # from the group's side
    assert user_group_names(_fresh(user)) == frozenset({"agent"})


def test_renamed_or_deleted_group_changes_the_roles_at_once():
    user = UserFactory(role="agent")
    assert user_group_names(_fresh(user)) == frozenset({"agent"})
    group = Group.objects.get(name="agent")
    group.name = "agent-oud"
    group.save()
    assert user_group_names(_fresh(user)) == frozenset({"agent-oud"})
    group.delete()
    fresh = _fresh(user)
    assert user_group_names(fresh) == frozenset()
    assert not fresh.has_perm(VIEW_ORGANISATION)


def test_disabled_user_is_refused_on_the_next_request(user_with_role):
    http, user = user_with_role("agent")
    assert http.get(LIST).status_code == 200
    user.is_active = False
    user.save()
    assert http.get(LIST).status_code in (401, 403)
    assert not user_group_names(_fresh(user))
    assert not _fresh(user).has_perm(VIEW_ORGANISATION)


def test_user_disabled_by_a_queryset_update_is_refused_on_the_next_request(user_with_role):
    http, user = user_with_role("agent")
    assert http.get(LIST).status_code == 200
    assert http.get(LIST).status_code == 200  # the permissions now from the cache
    User.objects.filter(pk=user.pk).update(is_active=False)  # no signal
    assert http.get(LIST).status_code in (401, 403)
    assert http.get("/api/v1/me").status_code in (401, 403)


def test_a_password_changed_by_a_queryset_update_ends_the_session(user_with_role):
    """The session is checked against the password hash of the row just read, never a cached copy."""
    http, user = user_with_role("agent")
    assert http.get(LIST).status_code == 200
    User.objects.filter(pk=user.pk).update(password=make_password("een-nieuw-wachtwoord-2026"))
    assert http.get(LIST).status_code in (401, 403)


def test_superuser_flag_changes_take_effect_at_once_also_by_a_queryset_update():
    user = UserFactory()
    assert not _fresh(user).has_perm(VIEW_ORGANISATION)
    user.is_superuser = True
    user.save()
    assert _fresh(user).has_perm(VIEW_ORGANISATION)
    User.objects.filter(pk=user.pk).update(is_superuser=False)  # no signal
    assert _fresh(user).get_all_permissions() == set()
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert _fresh(user).has_perm(VIEW_ORGANISATION)


def test_removed_from_the_group_in_the_admin_is_refused_on_the_next_request(user_with_role):
    http, agent = user_with_role("agent")
    assert http.get(LIST).status_code == 200
    assert http.get(LIST).status_code == 200  # the permissions now from the cache
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    change_url = f"/admin/auth/user/{agent.pk}/change/"
    assert admin.get(change_url).status_code == 200
    joined = agent.date_joined
    response = admin.post(
        change_url,
        {
            "username": agent.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "groups": [],  # no longer an agent
            "user_permissions": [],
            "date_joined_0": joined.date().isoformat(),
            "date_joined_1": joined.time().replace(microsecond=0).isoformat(),
            "last_login_0": "",
            "last_login_1": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not agent.groups.exists()
    assert http.get(LIST).status_code == 403
    assert user_group_names(_fresh(agent)) == frozenset()


def test_deleted_group_is_refused_on_the_next_request(user_with_role):
    http, _agent = user_with_role("agent")
    assert http.get(LIST).status_code == 200
    assert http.get(LIST).status_code == 200  # the permissions now from the cache
    Group.objects.get(name="agent").delete()
    assert http.get(LIST).status_code == 403
