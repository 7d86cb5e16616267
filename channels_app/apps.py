from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    label = "channels_app"
    verbose_name = _("Kanalen")
    # E-mail threads are read and answered by the first line; their messages are written by the doors.
    role_permissions = {
        "agent": ["channels_app.view_emailthread", "channels_app.add_emailmessage"],
        "supervisor": ["channels_app.view_emailthread", "channels_app.add_emailmessage"],
        "functional_admin": ["channels_app.view_quarantinedemail", "channels_app.change_quarantinedemail"],
    }
