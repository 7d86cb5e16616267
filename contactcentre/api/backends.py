"""Django's ModelBackend with a person's permissions and group names kept in the cache (Redis in
production), instead of three queries (user permissions, group permissions, group names) per request.

It also loads the session's user through a query compiled once (the same row as ModelBackend).

One cache entry per user holds (generation, permissions, group names). Any change to who is in which
group, to a group's permissions or name, or to a user's own permissions sets a new generation token,
so every entry made before it is ignored at once; saving a user drops that user's entry (the
receivers in `contactcentre.api.apps` do both, the only use of signals here). Entries also expire
after PERMISSION_CACHE_SECONDS as a safety net. Whether a user is active is read from the user row
that authentication loads on every request, so disabling someone takes effect on their next request.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from contactcentre.api.compiled import CompiledQuery

GENERATION_KEY = "auth:perms:generation"
ENTRY_KEY = "auth:perms:user:{pk}"


def _timeout() -> int:
    return getattr(settings, "PERMISSION_CACHE_SECONDS", 60)


def _entry(user) -> tuple[frozenset[str], frozenset[str]]:
    """(permissions, group names) of an active user: once per request object, from the cache when its
    generation is current, else from the database."""
    memo = getattr(user, "_auth_cache_entry", None)
    if memo is not None:
        return memo
    key = ENTRY_KEY.format(pk=user.pk)
    found = cache.get_many([key, GENERATION_KEY])  # one round trip
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        memo = (cached[1], cached[2])
    else:
        perms = frozenset(ModelBackend().get_all_permissions(user))
        groups = frozenset(user.groups.values_list("name", flat=True))
        memo = (perms, groups)
        cache.set(key, (generation, perms, groups), _timeout())
    user._auth_cache_entry = memo
    return memo


def user_group_names(user) -> frozenset[str]:
    """The names of the groups (roles) of an active user; empty for an inactive one."""
    if not user.is_active or user.is_anonymous:
        return frozenset()
    return _entry(user)[1]


def _user_by_pk(user_id):
    return get_user_model()._default_manager.filter(pk=user_id)[:1]


# The session's user, loaded on every request: the same row as ModelBackend's `.get(pk=...)`, with
# the SQL compiled once (contactcentre.api.compiled).
_SESSION_USER = CompiledQuery(_user_by_pk, user_id=-1)


class CachedPermissionBackend(ModelBackend):
    """ModelBackend (authentication and the same permission semantics) with cached permission sets."""

    def get_user(self, user_id):
        try:
            found = _SESSION_USER.rows(user_id=int(user_id))
        except (TypeError, ValueError):
            return None
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            # The attribute ModelBackend itself memoises on, so a ModelBackend listed after this one
            # (sessions made under it) reuses this set instead of querying.
            user_obj._perm_cache = set(_entry(user_obj)[0])
        return user_obj._perm_cache


def permissions_invalidate_all() -> None:
    """A new generation: every cached entry is stale. Again after commit, so an entry rebuilt from the
    old rows while the change was still uncommitted does not survive it."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def permissions_invalidate_user(user_id: int) -> None:
    key = ENTRY_KEY.format(pk=user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
