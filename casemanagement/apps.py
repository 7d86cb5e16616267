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
    # The processing log's check of a reference to what this app owns (contactcentre.processinglog.services).
    purpose_checkers = {
        "case": "casemanagement.purposes.case_reference_check",
        "second_line": "casemanagement.purposes.second_line_reference_check",
    }
