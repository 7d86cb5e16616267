from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_FIRST_LINE = [
    "casemanagement.view_case",
    "casemanagement.view_casestatus",
    "casemanagement.view_casetype",
    "casemanagement.view_statustype",
]


class CasemanagementConfig(AppConfig):
    name = "casemanagement"
    label = "casemanagement"
    verbose_name = _("Zaken")
    role_permissions = {
        "agent": _FIRST_LINE,
        "counter_clerk": _FIRST_LINE,
        # Supervisors also see confidential cases in full and the existence of secret ones.
        "supervisor": [*_FIRST_LINE, "casemanagement.view_confidential_case"],
        # Case types and their statuses are configuration: maintained in the admin.
        "functional_admin": [
            "casemanagement.view_casetype",
            "casemanagement.add_casetype",
            "casemanagement.change_casetype",
            "casemanagement.view_statustype",
            "casemanagement.add_statustype",
            "casemanagement.change_statustype",
            "casemanagement.delete_statustype",
        ],
    }

    def ready(self) -> None:
        from casemanagement.purposes import case_reference_holds_deferred
        from contactcentre.processinglog.purposes import Purpose
        from contactcentre.processinglog.services import purpose_reference_checker_register

        purpose_reference_checker_register(purpose=Purpose.CASE, check=case_reference_holds_deferred)
