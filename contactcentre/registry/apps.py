from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_FIRST_LINE = [
    "registry.view_party",
    "registry.change_base_data",
    "registry.view_organisation",
    "registry.view_consent",
    "registry.change_consent",
    "registry.view_basedatachange",
]


class RegistryConfig(AppConfig):
    name = "contactcentre.registry"
    label = "registry"
    verbose_name = _("Register")
    role_permissions = {
        "agent": list(_FIRST_LINE),
        "counter_clerk": list(_FIRST_LINE),
        # Supervisors look, they do not change a person's data.
        "supervisor": [
            "registry.view_party",
            "registry.view_organisation",
            "registry.view_consent",
            "registry.view_basedatachange",
            "registry.view_datasourcerule",
        ],
        "functional_admin": [
            "registry.view_organisation",
            "registry.change_organisation",
            "registry.view_datasourcerule",
            "registry.add_datasourcerule",
            "registry.change_datasourcerule",
        ],
    }
