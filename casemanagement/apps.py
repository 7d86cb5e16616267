from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasemanagementConfig(AppConfig):
    name = "casemanagement"
    label = "casemanagement"
    verbose_name = _("Zaken")
