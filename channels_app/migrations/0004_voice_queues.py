"""The queues the phone door puts callers and callback requests in (VOICE_DEFAULT_QUEUE and
VOICE_CALLBACK_QUEUE's defaults): they must exist wherever the door runs, like the other door queues
(interactions 0006_door_queues). Names stay editable in the admin; agents get the skill per queue."""

from django.db import migrations

VOICE_QUEUES = [
    ("telefoon", "Telefoon", "Bellers die een medewerker willen spreken."),
    ("kcc-terugbellen", "Terugbellen klantcontactcentrum", "Terugbelverzoeken voor het algemene KCC-team."),
]


def create(apps, schema_editor):
    WorkQueue = apps.get_model("interactions", "WorkQueue")
    for code, name, description in VOICE_QUEUES:
        WorkQueue.objects.get_or_create(code=code, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("channels_app", "0003_voice_calls")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
