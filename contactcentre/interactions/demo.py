"""Demo data for contacts: the work queues callbacks land in, and which demo staff work which queue."""

from django.contrib.auth import get_user_model

from contactcentre.interactions.services import work_queue_ensure
from contactcentre.interactions.work_items import agent_skill_set

QUEUES = [
    ("kcc-terugbellen", "Terugbellen klantcontactcentrum", "Terugbelverzoeken voor het algemene KCC-team."),
    ("balie-afspraken", "Balie: terugbellen voor afspraak", "Burgers die een afspraak aan de balie willen."),
    ("specialisten-inkomen", "Specialisten werk en inkomen", "Vragen over bijstand, schulden en toeslagen."),
]
# The door queues themselves come with the schema (migration 0006_door_queues).
SKILLS = {
    "agent": ["kcc-terugbellen", "specialisten-inkomen", "email", "sms", "web", "post"],
    "balie": ["balie-afspraken", "post", "post-triage"],
    "teamleider": ["kcc-terugbellen", "email", "sms", "web", "post", "post-triage", "supervision"],
}


def seed() -> list[str]:
    for code, name, description in QUEUES:
        work_queue_ensure(code=code, name=name, description=description)
    users = get_user_model().objects.filter(username__in=SKILLS)
    for user in users:
        agent_skill_set(user=user, queue_codes=SKILLS[user.username])
    return [f"Contactmomenten: {len(QUEUES)} werkbakken, vaardigheden voor {len(users)} medewerkers."]
