from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    label = "channels_app"
    verbose_name = _("Kanalen")
    role_permissions = {
        # The post room delivers scans and follows them; supervisors and administrators follow them too.
        "post_room": ["channels_app.add_scannedletter", "channels_app.view_scannedletter"],
        "supervisor": ["channels_app.view_scannedletter"],
        "functional_admin": ["channels_app.view_scannedletter"],
    }

    def ready(self):
        # The senders are registered in every process that loads this app, so a wake-up by name
        # (contactcentre/wakeups.py) runs them in-process where tasks are eager instead of
        # publishing a message for a worker that is not there.
        from channels_app import tasks  # noqa: F401
