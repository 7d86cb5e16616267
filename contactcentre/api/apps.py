from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "contactcentre.api"
    label = "api"
    verbose_name = _("API-plumbing")
    role_permissions = {
        "supervisor": ["api.view_apiclient"],
        "functional_admin": ["api.view_apiclient", "api.add_apiclient", "api.change_apiclient"],
    }

    def ready(self) -> None:
        from contactcentre.api import schema  # noqa: F401  (registers the OpenAPI auth extensions)

        _connect_permission_cache_invalidation()


def _connect_permission_cache_invalidation() -> None:
    """Signals only to invalidate the cached permission sets (contactcentre.api.backends). A user's own
    row is never cached (disabling a user needs no signal); their groups and permissions are."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from contactcentre.api.backends import permissions_invalidate_all

    user_model = get_user_model()

    def any_change(**kwargs) -> None:
        if not kwargs.get("action", "post").startswith("pre_"):  # m2m changes signal before and after
            permissions_invalidate_all()

    uid = "contactcentre.api.permission_cache"
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(any_change, sender=through, weak=False, dispatch_uid=f"{uid}.{through.__name__}")
    for model in (Group, Permission):
        post_save.connect(any_change, sender=model, weak=False, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(any_change, sender=model, weak=False, dispatch_uid=f"{uid}.delete.{model.__name__}")
