"""Cached permission sets (contactcentre.api.backends): the same answers as ModelBackend, no queries
once cached, and every change to groups, permissions or the user takes effect on the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre.api.backends import user_group_names
from contactcentre.registry.selectors import viewer_roles
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

User = get_user_model()
VIEW_ORGANISATION = "registry.view_organisation"
LIST = "/api/v1/_test/organisations"


def _fresh(user):
    """The user as the next request loads it (no per-object memo)."""
    return User.objects.get(pk=user.pk)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_same_permissions_as_model_backend_and_no_queries_once_cached():
    from django.contrib.auth.backends import ModelBackend

    user = UserFactory(role="agent")
    user.user_permissions.add(_permission("registry.change_organisation"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert _fresh(user).get_all_permissions() == expected  # fills the cache
    again = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert again.get_all_permissions() == expected
        assert again.has_perm("registry.change_organisation")
        assert not again.has_perm("registry.delete_organisation")
        assert viewer_roles(again) == frozenset({"agent"})
    assert len(queries) == 0


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
    assert viewer_roles(fresh) == frozenset()
    user.user_permissions.add(_permission(VIEW_ORGANISATION))
    assert _fresh(user).has_perm(VIEW_ORGANISATION)
    Group.objects.get(name="agent").user_set.add(user)  # from the group's side
    assert viewer_roles(_fresh(user)) == frozenset({"agent"})


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


def test_superuser_flag_change_drops_the_cached_entry():
    user = UserFactory()
    assert not _fresh(user).has_perm(VIEW_ORGANISATION)
    user.is_superuser = True
    user.save()
    assert _fresh(user).has_perm(VIEW_ORGANISATION)
    user.is_superuser = False
    user.save()
    assert _fresh(user).get_all_permissions() == set()


def test_session_user_is_loaded_like_model_backend():
    from django.contrib.auth.backends import ModelBackend

    from contactcentre.api.backends import CachedPermissionBackend

    active, disabled = UserFactory(), UserFactory(is_active=False)
    backend, reference = CachedPermissionBackend(), ModelBackend()
    loaded = backend.get_user(active.pk)
    assert (loaded.pk, loaded.username, loaded.password) == (active.pk, active.username, active.password)
    assert loaded.get_session_auth_hash() == reference.get_user(active.pk).get_session_auth_hash()
    assert backend.get_user(disabled.pk) is None
    assert backend.get_user(active.pk + disabled.pk + 1000) is None


def test_session_user_comes_from_the_cache_entry_until_the_user_is_saved():
    from contactcentre.api.backends import CachedPermissionBackend

    backend = CachedPermissionBackend()
    user = UserFactory(role="agent")
    first = backend.get_user(user.pk)  # from the database; the permission check makes the entry
    assert first.has_perm(VIEW_ORGANISATION)
    with CaptureQueriesContext(connection) as queries:
        cached = backend.get_user(user.pk)
        assert cached.has_perm(VIEW_ORGANISATION) and viewer_roles(cached) == frozenset({"agent"})
    assert len(queries) == 0
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(cached, f) for f in fields] == [getattr(first, f) for f in fields]
    assert cached.get_session_auth_hash() == first.get_session_auth_hash()

    user.set_password("een-nieuw-wachtwoord-2026")  # a new password ends the other sessions
    user.save()
    with CaptureQueriesContext(connection) as queries:
        reloaded = backend.get_user(user.pk)
    assert len(queries) == 1  # the row again, from the database
    assert reloaded.password == user.password != first.password
    assert reloaded.get_session_auth_hash() != first.get_session_auth_hash()

    backend.get_user(user.pk).has_perm(VIEW_ORGANISATION)  # cached again
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
