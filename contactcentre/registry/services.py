"""Writes for the registry: organisations and parties."""

from django.db import transaction

from contactcentre.registry.models import Organisation


@transaction.atomic
def organisations_import(*, rows: list[dict]) -> int:
    """Create or update organisations by code (idempotent)."""
    for row in rows:
        Organisation.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "tier": row["tier"],
                "description": row.get("description", ""),
                "regions": row.get("regions", []),
            },
        )
    return len(rows)
