from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_FIRST_LINE = [
    "casemanagement.view_case",
    "casemanagement.view_casestatus",
    "casemanagement.view_casetype",
    "casemanagement.view_statustype",
]
# The first line sends on what it cannot resolve, and sees what it sent.
_ESCALATE = ["casemanagement.add_escalation", "casemanagement.view_escalation"]


class CasemanagementConfig(AppConfig):
    name = "casemanagement"
    label = "casemanagement"
    verbose_name = _("Zaken")
    role_permissions = {
        "agent": [*_FIRST_LINE, *_ESCALATE],
        "counter_clerk": [*_FIRST_LINE, *_ESCALATE],
        # Supervisors also see confidential cases in full and the existence of secret ones.
        # They also follow deliveries and resend dead letters (admin).
        "supervisor": [
            *_FIRST_LINE,
            *_ESCALATE,
            "casemanagement.view_confidential_case",
            "casemanagement.view_escalationdelivery",
            "casemanagement.change_escalationdelivery",
        ],
        # Case types and their statuses are configuration: maintained in the admin.
        "functional_admin": [
            "casemanagement.view_casetype",
            "casemanagement.add_casetype",
            "casemanagement.change_casetype",
            "casemanagement.view_statustype",
            "casemanagement.add_statustype",
            "casemanagement.change_statustype",
            "casemanagement.delete_statustype",
            # Routing rules and the organisations' endpoints, secrets and calendars.
            "casemanagement.view_routingrule",
            "casemanagement.add_routingrule",
            "casemanagement.change_routingrule",
            "casemanagement.delete_routingrule",
            "casemanagement.view_secondlineendpoint",
            "casemanagement.add_secondlineendpoint",
            "casemanagement.change_secondlineendpoint",
            "casemanagement.view_escalationdelivery",
            "casemanagement.change_escalationdelivery",
            # Who works which organisation's escalations in the built-in worklist.
            "casemanagement.view_caseworker",
            "casemanagement.add_caseworker",
            "casemanagement.change_caseworker",
            "casemanagement.delete_caseworker",
        ],
        # A second-line organisation's people: its escalations, acting for it (casemanagement/worklist.py).
        "case_worker": ["casemanagement.work_worklist"],
    }
    # The processing log's check of a reference to what this app owns (contactcentre.processinglog.services).
    purpose_checkers = {
        "case": "casemanagement.purposes.case_reference_check",
        "second_line": "casemanagement.purposes.second_line_reference_check",
    }

    def ready(self) -> None:
        from casemanagement.routing_configuration import connect_invalidation

        connect_invalidation()
