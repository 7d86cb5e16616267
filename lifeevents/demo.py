"""Demo data: the Dutch kennisbank (life events and published articles) shipped in data/kennisbank."""

from contactcentre import kennisbank
from lifeevents.services import kennisbank_import


def seed() -> list[str]:
    counts = kennisbank_import(directory=kennisbank.KENNISBANK_DIR)
    return [
        "Kennisbank: {life_events} levensgebeurtenissen, {created} nieuwe en {updated} gewijzigde artikelen.".format(
            life_events=counts["life_events"], created=counts["articles_created"], updated=counts["articles_updated"]
        )
    ]
