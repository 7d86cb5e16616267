"""The queues the doors put their work in: they must exist wherever the doors run, so they are data
that comes with the schema, not demo data. Names stay editable in the admin; codes are what the
doors address."""

from django.db import migrations

DOOR_QUEUES = [
    ("email", "E-mail", "Nieuwe e-mails van burgers en bedrijven."),
    ("post", "Post", "Gescande brieven die herkend zijn."),
    ("post-triage", "Post: beoordelen", "Gescande brieven die de herkenning niet zeker wist."),
    ("sms", "Sms", "Sms-berichten die het systeem niet zelf kon beantwoorden."),
    ("web", "Vragen via de website", "Vragen uit het portaal die de zoekfunctie niet beantwoordde."),
    ("supervision", "Signalen teamleider", "Escalaties die hun termijn naderen of overschrijden, blokkades."),
]


def create(apps, schema_editor):
    WorkQueue = apps.get_model("interactions", "WorkQueue")
    for code, name, description in DOOR_QUEUES:
        WorkQueue.objects.get_or_create(code=code, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("interactions", "0005_work_items")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
