"""The staff screens' navigation: each screen names itself once here with the roles that may open it,
and the staff layout (templates/staff/base.html) shows the signed-in user only the screens of their roles.
A context processor, so every staff page (console, counter desk, worklist, board) gets the same menu.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contactcentre.api import roles
from contactcentre.api.backends import user_group_names


@dataclass(frozen=True)
class Screen:
    url_name: str
    label: str | Promise
    roles: frozenset[str]  # empty: every signed-in staff member


SCREENS = (
    Screen("staff-home", _("Start"), frozenset()),
    Screen("console-contact-new", _("Nieuw contact"), frozenset({roles.AGENT, roles.COUNTER_CLERK, roles.SUPERVISOR})),
    # The roles with the work-item permissions (interactions' role_permissions).
    Screen("console-work", _("Werk"), frozenset({roles.AGENT, roles.COUNTER_CLERK, roles.SUPERVISOR})),
    Screen("counter-desks", _("Balie"), frozenset({roles.COUNTER_CLERK})),
    Screen("worklist", _("Werklijst"), frozenset({roles.CASE_WORKER})),
    Screen("console-board", _("Bord"), frozenset({roles.SUPERVISOR})),
)


def screens_for(user) -> list[dict]:
    names = user_group_names(user)
    return [
        {"url": reverse(screen.url_name), "label": screen.label, "url_name": screen.url_name}
        for screen in SCREENS
        if not screen.roles or screen.roles & names
    ]


def staff_navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"staff_screens": screens_for(user)}
