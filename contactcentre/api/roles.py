"""Roles are Django groups with permissions.

Each app declares what its roles may do on its AppConfig, as `role_permissions = {role: [perm, ...]}`,
so a feature adds its permissions in its own app; `roles_sync` merges them.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

AGENT = "agent"
COUNTER_CLERK = "counter_clerk"
SUPERVISOR = "supervisor"
FUNCTIONAL_ADMIN = "functional_admin"
POST_ROOM = "post_room"
CASE_WORKER = "case_worker"  # a second-line organisation's person working its escalations in the worklist

ROLE_LABELS = {
    AGENT: "Klantcontactmedewerker",
    COUNTER_CLERK: "Baliemedewerker",
    SUPERVISOR: "Teamleider",
    FUNCTIONAL_ADMIN: "Functioneel beheerder",
    POST_ROOM: "Postkamermedewerker",
    CASE_WORKER: "Behandelaar",
}


def role_permissions() -> dict[str, list[str]]:
    """Every app's declared role permissions, merged."""
    merged: dict[str, list[str]] = {role: [] for role in ROLE_LABELS}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged[role].extend(perms)
    return merged


@transaction.atomic
def roles_sync() -> dict[str, list[str]]:
    """Create the role groups and set exactly their permissions; returns codenames not (yet) defined."""
    missing: dict[str, list[str]] = {}
    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        found = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                missing.setdefault(role, []).append(dotted)
            else:
                found.append(permission)
        group.permissions.set(found)
    return missing
