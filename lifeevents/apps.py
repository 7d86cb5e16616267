from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifeeventsConfig(AppConfig):
    name = "lifeevents"
    label = "lifeevents"
    verbose_name = _("Levensgebeurtenissen")

    _content = ["lifeevent", "article"]
    role_permissions = {
        "functional_admin": [
            *(f"lifeevents.{action}_{model}" for model in _content for action in ("add", "change", "view")),
            "lifeevents.view_articleversion",
            "lifeevents.view_articlefeedback",
            "lifeevents.view_pagefeedback",
        ],
        "agent": [f"lifeevents.view_{model}" for model in _content],
        "counter_clerk": [f"lifeevents.view_{model}" for model in _content],
        "supervisor": [
            *(f"lifeevents.view_{model}" for model in _content),
            "lifeevents.view_articlefeedback",
            "lifeevents.view_pagefeedback",
        ],
    }

    def ready(self) -> None:
        from lifeevents import signals  # noqa: F401  (cache invalidation only)
