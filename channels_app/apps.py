from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_COUNTER_SETUP = [
    f"channels_app.{action}_{model}"
    for model in ("office", "counterservice", "appointment")
    for action in ("view", "add", "change", "delete")
]


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    label = "channels_app"
    verbose_name = _("Kanalen")
    # The post room delivers scans and follows them; supervisors and administrators follow them too. E-mail
    # threads are read and answered by the first line; administrators look at the e-mail quarantine.
    role_permissions = {
        "post_room": ["channels_app.add_scannedletter", "channels_app.view_scannedletter"],
        # Counter clerks call, serve and finish the tickets of the offices they are a clerk of.
        # Agents (during a call) and clerks book appointments at the counter; agents and supervisors
        # read e-mail threads and reply.
        "agent": ["channels_app.add_appointment", "channels_app.view_emailthread", "channels_app.add_emailmessage"],
        "counter_clerk": [
            "channels_app.call_ticket",
            "channels_app.view_ticket",
            "channels_app.view_appointment",
            "channels_app.add_appointment",
        ],
        "supervisor": [
            "channels_app.view_scannedletter",
            "channels_app.view_ticket",
            "channels_app.view_office",
            "channels_app.view_emailthread",
            "channels_app.add_emailmessage",
        ],
        # Offices, their services and clerks, and appointments are set up in the admin; the e-mail
        # quarantine is looked after there.
        "functional_admin": [
            *_COUNTER_SETUP,
            "channels_app.view_ticket",
            "channels_app.view_scannedletter",
            "channels_app.view_quarantinedemail",
            "channels_app.change_quarantinedemail",
        ],
    }

    def ready(self):
        # The senders are registered in every process that loads this app, so a wake-up by name
        # (contactcentre/wakeups.py) runs them in-process where tasks are eager instead of
        # publishing a message for a worker that is not there.
        from channels_app import tasks  # noqa: F401
