"""Django's ModelBackend with each person's permission set and group names (roles) kept in the cache.

The user row is not cached: the stock `ModelBackend.get_user` reads it from the database on every
request, so an account disabled or given a new password, also by a queryset update(), loses its
sessions at the next request. What is cached, per user, is what would otherwise cost three queries
a request: the permission set (the user's own and its groups') and the names of its groups.

Each entry records the generation it was made in and the user's superuser flag, and is used only
while both still hold. Any change to who is in which group, to a user's own permissions, or to a
group or permission (saved or deleted) starts a new generation (the receivers in
`contactcentre.api.apps`, signals used for cache invalidation only), so every entry made before it is
ignored at the next request. A change that sends no signal (a queryset update() or bulk delete of
groups, permissions or their links) shows once the entry expires, after PERMISSION_CACHE_SECONDS.

While the cache (Redis) cannot be reached, the permission set comes from the database (ModelBackend's
three queries) and nothing is cached; a new generation that cannot be written is logged, and entries
made before it then end with their expiry.
"""

import logging
import uuid

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

GENERATION_KEY = "auth:perms:generation"
ENTRY_KEY = "auth:perms:v2:user:{pk}"


def _current_generation(found: dict) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:  # first use, or the cache was emptied
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _entry(user) -> tuple[set[str], frozenset[str]]:
    """(permissions, group names) of an active user: once per user object (that is, per request), from
    the cache when its entry is current, else from the database (and then cached)."""
    memo = getattr(user, "_cached_permission_entry", None)
    if memo is not None:
        return memo
    key = ENTRY_KEY.format(pk=user.pk)
    try:
        found = cache.get_many([key, GENERATION_KEY])
        # The generation is read before the rows, so an entry built from rows that a change is replacing
        # carries the generation that change ends.
        generation = _current_generation(found)
    except RedisError as exc:  # the cache is down or silent: the database answers, nothing is cached
        logger.warning("permission cache unavailable (%s): read from the database", type(exc).__name__)
        found, generation = {}, None
    entry = found.get(key)
    if (
        generation is not None
        and isinstance(entry, tuple)
        and len(entry) == 4
        and entry[:2] == (generation, user.is_superuser)
    ):
        memo = (set(entry[2]), entry[3])
    else:
        permissions = frozenset(ModelBackend().get_all_permissions(user))
        group_names = frozenset(user.groups.values_list("name", flat=True))
        if generation is not None:
            try:
                cache.set(
                    key, (generation, user.is_superuser, permissions, group_names), settings.PERMISSION_CACHE_SECONDS
                )
            except RedisError as exc:
                logger.warning("permission cache unavailable (%s): not cached", type(exc).__name__)
        memo = (set(permissions), group_names)
    user._cached_permission_entry = memo
    return memo


def user_group_names(user) -> frozenset[str]:
    """The names of the groups (roles) of an active user; empty for an inactive or unsaved one."""
    if not user.is_active or user.is_anonymous or user.pk is None:
        return frozenset()
    return _entry(user)[1]


class CachedPermissionBackend(ModelBackend):
    """ModelBackend (authentication, the session's user read from the database, the same permission
    semantics) with the permission set from the cache."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return _entry(user_obj)[0]


def permissions_invalidate_all() -> None:
    """A new generation: every cached entry is stale. Again after commit, so an entry rebuilt from the
    old rows while the change was still uncommitted does not survive it."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except RedisError as exc:  # entries made before this change end with their expiry
        logger.warning("permission cache unavailable (%s): generation not renewed", type(exc).__name__)
