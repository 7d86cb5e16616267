from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirstlineConfig(AppConfig):
    """The pipeline has no models of its own; its endpoints use the permissions of the apps it
    orchestrates (registry.view_party, casemanagement.view_case, interactions.*_contactmoment)."""

    name = "contactcentre.firstline"
    label = "firstline"
    verbose_name = _("Eerste lijn")
