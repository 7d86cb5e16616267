"""Case.updated_at and the index of the organisations' feed. Existing cases get the time of the
migration: a feed read with an earlier `modified_since` returns them all, which is the safe side."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casemanagement", "0002_case_list_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="gewijzigd"),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["organisation", "updated_at", "id"], name="case_org_updated_idx"),
        ),
    ]
