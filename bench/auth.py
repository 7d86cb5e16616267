"""What-if authentication backend for bench/serve_and_load.py --what-if perm_cache: Django's
ModelBackend with a person's permission set kept in the cache (Redis) for a minute, instead of two
queries (user permissions, group permissions) on every request. Used only to measure that candidate;
a real version would also drop the entry when the user's groups or a group's permissions change."""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

TTL_SECONDS = 60


class CachedPermissionBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"bench:perms:{user_obj.pk}"
            perms = cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                cache.set(key, perms, TTL_SECONDS)
            user_obj._perm_cache = perms
        return user_obj._perm_cache
