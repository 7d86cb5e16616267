"""Admin pages that only show: audit trails and records that change only through their services."""


class ReadOnlyAdminMixin:
    """No adding, changing or deleting in the admin, for ModelAdmin and inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
