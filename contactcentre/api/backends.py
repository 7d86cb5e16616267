"""Django's ModelBackend with a person's user row, permissions and group names kept in the cache (Redis
in production), instead of four queries (user, user permissions, group permissions, group names) per
request: the session's user and its permissions come in one cache round trip.

One cache entry per user holds (generation, permissions, group names, user row). Any change to who is
in which group, to a group's permissions or name, or to a user's own permissions sets a new generation
token, so every entry made before it is ignored at once; saving a user (disabling them, a new password,
a log-in) drops that user's entry (the receivers in `contactcentre.api.apps` do both, the only use of
signals here). Entries also expire after PERMISSION_CACHE_SECONDS, the bound on a change that sends no
signal (a queryset update() of users). Without an entry the user row is read with a query compiled
once (the same row as ModelBackend's). The row includes the password hash, which the session check
needs; the cache already holds the sessions, which are worth more to an attacker.
"""

import functools
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

from contactcentre.api.compiled import CompiledQuery

GENERATION_KEY = "auth:perms:generation"
ENTRY_KEY = "auth:perms:user:{pk}"


def _timeout() -> int:
    return getattr(settings, "PERMISSION_CACHE_SECONDS", 60)


# The user's entry and the generation as read with the session, for the user this process saw on it
# before (contactcentre/api/sessions.py): taken once, by the next `_cached` of that user in this
# context. Every session read sets it anew, to nothing when it read nothing more.
_read_with_session: ContextVar[tuple[int, list] | None] = ContextVar("auth_read_with_session", default=None)


def keys_to_read_with_session(user_id: int) -> list[str]:
    return [ENTRY_KEY.format(pk=user_id), GENERATION_KEY]


def read_with_session(user_id: int | None, found: list | None) -> None:
    """What the session read fetched of `keys_to_read_with_session(user_id)` (None: nothing)."""
    _read_with_session.set(None if found is None else (user_id, found))


def _cached(user_id: int) -> tuple[str, tuple | None]:
    """(current generation, the user's entry if made in it) in one round trip, or none at all when the
    session read brought them."""
    key = ENTRY_KEY.format(pk=user_id)
    brought = _read_with_session.get()
    if brought is not None and brought[0] == user_id:
        _read_with_session.set(None)
        entry, generation = brought[1]
    else:
        found = cache.get_many([key, GENERATION_KEY])
        entry, generation = found.get(key), found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation, entry if entry is not None and entry[0] == generation else None


def _entry(user) -> tuple[frozenset[str], frozenset[str]]:
    """(permissions, group names) of an active user: once per request object, from the cache when its
    generation is current, else from the database."""
    memo = getattr(user, "_auth_cache_entry", None)
    if memo is not None:
        return memo
    generation, entry = _cached(user.pk)
    if entry is not None:
        memo = (entry[1], entry[2])
    else:
        perms = frozenset(ModelBackend().get_all_permissions(user))
        groups = frozenset(user.groups.values_list("name", flat=True))
        memo = (perms, groups)
        # The row only when this object was read for the session (another may carry unsaved changes).
        row = getattr(user, "_auth_row", None)
        cache.set(ENTRY_KEY.format(pk=user.pk), (generation, perms, groups, row), _timeout())
    user._auth_cache_entry = memo
    return memo


def user_group_names(user) -> frozenset[str]:
    """The names of the groups (roles) of an active user; empty for an inactive one."""
    if not user.is_active or user.is_anonymous:
        return frozenset()
    return _entry(user)[1]


def _user_by_pk(user_id):
    return get_user_model()._default_manager.filter(pk=user_id)[:1]


# The session's user without an entry: the same row as ModelBackend's `.get(pk=...)`, with the SQL
# compiled once (contactcentre.api.compiled).
_SESSION_USER = CompiledQuery(_user_by_pk, user_id=-1)


@functools.cache
def _user_fields() -> tuple[str, ...]:
    """The user row's columns, in the order the cache entry holds them."""
    return tuple(field.attname for field in get_user_model()._meta.concrete_fields)


def _session_user(user_id: int):
    """The user of a session: from its cache entry (with the permissions), else from the database."""
    generation, entry = _cached(user_id)
    model = get_user_model()
    fields = _user_fields()
    if entry is not None and entry[3] is not None:
        user = model.from_db(DEFAULT_DB_ALIAS, fields, entry[3])
        user._auth_cache_entry = (entry[1], entry[2])
        return user
    found = _SESSION_USER.rows(user_id=user_id)
    if not found:
        return None
    user = found[0]
    user._auth_row = tuple(getattr(user, name) for name in fields)
    if entry is not None:  # permissions cached before the row was: add it
        cache.set(ENTRY_KEY.format(pk=user_id), (generation, entry[1], entry[2], user._auth_row), _timeout())
        user._auth_cache_entry = (entry[1], entry[2])
    return user


class CachedPermissionBackend(ModelBackend):
    """ModelBackend (authentication and the same permission semantics) with cached permission sets."""

    def get_user(self, user_id):
        try:
            user = _session_user(int(user_id))
        except (TypeError, ValueError):
            return None
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
