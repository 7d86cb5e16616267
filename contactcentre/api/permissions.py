"""Deny by default. Endpoints declare, per HTTP method, the scope an API client needs and the
Django permissions a person needs; a method that is not declared is refused for both."""

from rest_framework.permissions import BasePermission

from contactcentre.principal import Principal


class IsAuthenticatedPersonOrClient(BasePermission):
    """The default for every endpoint: a logged-in person or an authenticated API client."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Principal)


class ScopeOrRolePermission(BasePermission):
    """`view.required_scopes = {"GET": "cases:read"}` for clients,
    `view.required_perms = {"GET": ("casemanagement.view_case",)}` for people."""

    message = "U heeft geen toegang tot deze functie."

    def has_permission(self, request, view) -> bool:
        principal = request.user
        if not isinstance(principal, Principal):  # anonymous
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        if principal.is_organisation:
            scope = getattr(view, "required_scopes", {}).get(method)
            return bool(scope) and principal.has_scope(scope)
        perms = getattr(view, "required_perms", {}).get(method)
        return perms is not None and principal.has_perms(perms)


def scopes(read: str | None = None, write: str | None = None) -> dict[str, str]:
    """Scope map for the usual read/write split."""
    mapping = {}
    if read:
        mapping["GET"] = read
    if write:
        mapping.update({"POST": write, "PUT": write, "PATCH": write, "DELETE": write})
    return mapping
