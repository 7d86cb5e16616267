from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    label = "channels_app"
    verbose_name = _("Kanalen")
    # The post room delivers scans and follows them; supervisors and administrators follow them too. E-mail
    # threads are read and answered by the first line; administrators look at the e-mail quarantine.
    role_permissions = {
        "post_room": ["channels_app.add_scannedletter", "channels_app.view_scannedletter"],
        "agent": ["channels_app.view_emailthread", "channels_app.add_emailmessage"],
        "supervisor": [
            "channels_app.view_scannedletter",
            "channels_app.view_emailthread",
            "channels_app.add_emailmessage",
        ],
        "functional_admin": [
            "channels_app.view_scannedletter",
            "channels_app.view_quarantinedemail",
            "channels_app.change_quarantinedemail",
        ],
    }
