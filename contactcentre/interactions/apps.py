from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_FIRST_LINE = [
    "interactions.view_contactmoment",
    "interactions.add_contactmoment",
    "interactions.change_contactmoment",
    "interactions.view_callbackrequest",
    "interactions.add_callbackrequest",
    "interactions.change_callbackrequest",
    "interactions.view_workqueue",
    "interactions.view_workitem",
    "interactions.change_workitem",
]


class InteractionsConfig(AppConfig):
    name = "contactcentre.interactions"
    label = "interactions"
    verbose_name = _("Contactmomenten")
    role_permissions = {
        "agent": _FIRST_LINE,
        # Only counter clerks check identity documents (a visit then reaches assurance "high").
        "counter_clerk": [*_FIRST_LINE, "interactions.check_identity_document"],
        # Supervisors run the queues: they may also reassign and cancel callbacks and manage queues.
        "supervisor": [
            *_FIRST_LINE,
            "interactions.change_workqueue",
            "interactions.delete_callbackrequest",
            "interactions.assign_callbackrequest",
            "interactions.reassign_workitem",
            "interactions.view_notification",
            "interactions.close_others_contactmoment",
            "interactions.view_live_board",
        ],
        "functional_admin": [
            "interactions.view_workqueue",
            "interactions.add_workqueue",
            "interactions.change_workqueue",
            # The outbox: see what failed and send it again.
            "interactions.view_notification",
            "interactions.change_notification",
        ],
    }
    # The processing log's check of a reference to what this app owns (contactcentre.processinglog.services).
    purpose_checkers = {"contact": "contactcentre.interactions.purposes.contact_reference_check"}
