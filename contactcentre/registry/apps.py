from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "contactcentre.registry"
    label = "registry"
    verbose_name = _("Register")
    role_permissions = {
        "agent": ["registry.view_party", "registry.view_organisation"],
        "counter_clerk": ["registry.view_party", "registry.view_organisation"],
        "supervisor": ["registry.view_party", "registry.view_organisation"],
        "functional_admin": ["registry.view_organisation", "registry.change_organisation"],
    }
