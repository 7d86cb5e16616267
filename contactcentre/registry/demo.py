"""Demo data for the registry."""

from contactcentre import kennisbank
from contactcentre.registry.services import organisations_import


def seed() -> None:
    organisations_import(rows=kennisbank.load("organisations"))
