from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessinglogConfig(AppConfig):
    name = "contactcentre.processinglog"
    label = "processinglog"
    verbose_name = _("Verwerkingenlogboek")
    role_permissions = {"supervisor": ["processinglog.view_processingrecord", "processinglog.supervise"]}
    # A supervisor states the reason for looking (a complaint, an audit): it is the reference.
    purpose_checkers = {"supervision": "contactcentre.processinglog.purposes.supervision_reason_check"}
