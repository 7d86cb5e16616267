"""Roles are Django groups with permissions. Later features add their permission codenames here."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

AGENT = "agent"
COUNTER_CLERK = "counter_clerk"
SUPERVISOR = "supervisor"
FUNCTIONAL_ADMIN = "functional_admin"

ROLE_LABELS = {
    AGENT: "Klantcontactmedewerker",
    COUNTER_CLERK: "Baliemedewerker",
    SUPERVISOR: "Teamleider",
    FUNCTIONAL_ADMIN: "Functioneel beheerder",
}

_FIRST_LINE = [
    "registry.view_party",
    "registry.view_organisation",
    "processinglog.add_processingrecord",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    AGENT: _FIRST_LINE,
    COUNTER_CLERK: _FIRST_LINE,
    SUPERVISOR: [*_FIRST_LINE, "processinglog.view_processingrecord", "api.view_apiclient"],
    FUNCTIONAL_ADMIN: [
        "registry.view_organisation",
        "registry.change_organisation",
        "api.view_apiclient",
        "api.add_apiclient",
        "api.change_apiclient",
    ],
}


@transaction.atomic
def roles_sync() -> dict[str, list[str]]:
    """Create the role groups and set exactly their permissions; returns codenames not (yet) defined."""
    missing: dict[str, list[str]] = {}
    for role, perms in ROLE_PERMISSIONS.items():
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
