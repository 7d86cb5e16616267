"""Demo users, one per role, with known passwords. Only ever made when DEMO_MODE is on."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from contactcentre.api import roles

DEMO_PASSWORD = "demo-wachtwoord-2026"
DEMO_USERS = [
    ("agent", roles.AGENT, "Anna", "Agent"),
    ("balie", roles.COUNTER_CLERK, "Bas", "Balie"),
    ("teamleider", roles.SUPERVISOR, "Tessa", "Teamleider"),
    ("beheerder", roles.FUNCTIONAL_ADMIN, "Bart", "Beheerder"),
    ("postkamer", roles.POST_ROOM, "Petra", "Postkamer"),
    ("behandelaar", roles.CASE_WORKER, "Bram", "Behandelaar"),  # his organisation: casemanagement.demo
]


def seed() -> list[str]:
    """Create the demo users; returns the log-ins to print."""
    roles.roles_sync()
    user_model = get_user_model()
    made = ["Demo log-ins (where to sign in: the last lines):"]
    for username, role, first_name, last_name in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        user.is_staff = role == roles.FUNCTIONAL_ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        made.append(f"  {roles.ROLE_LABELS[role]:<24} {username:<12} {DEMO_PASSWORD}")
    return made
