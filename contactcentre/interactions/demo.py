"""Demo data for contacts: the work queues callbacks land in."""

from contactcentre.interactions.services import work_queue_ensure

QUEUES = [
    ("kcc-terugbellen", "Terugbellen klantcontactcentrum", "Terugbelverzoeken voor het algemene KCC-team."),
    ("balie-afspraken", "Balie: terugbellen voor afspraak", "Burgers die een afspraak aan de balie willen."),
    ("specialisten-inkomen", "Specialisten werk en inkomen", "Vragen over bijstand, schulden en toeslagen."),
]


def seed() -> list[str]:
    for code, name, description in QUEUES:
        work_queue_ensure(code=code, name=name, description=description)
    return [f"Contactmomenten: {len(QUEUES)} werkbakken."]
