from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifeeventsConfig(AppConfig):
    name = "lifeevents"
    label = "lifeevents"
    verbose_name = _("Levensgebeurtenissen")
