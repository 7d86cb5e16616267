from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirstlineConfig(AppConfig):
    name = "contactcentre.firstline"
    label = "firstline"
    verbose_name = _("Eerste lijn")
