from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "contactcentre.api"
    label = "api"
    verbose_name = _("API-plumbing")
    role_permissions = {
        "supervisor": ["api.view_apiclient"],
        "functional_admin": ["api.view_apiclient", "api.add_apiclient", "api.change_apiclient"],
    }

    def ready(self) -> None:
        from contactcentre.api import schema  # noqa: F401  (registers the OpenAPI auth extensions)
