"""An enrolment keeps its cohort's provider, so a provider's list reads one index."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Enrolment = apps.get_model("apprenticeships", "Enrolment")
    for enrolment in Enrolment.objects.select_related("cohort__programme"):
        enrolment.provider_id = enrolment.cohort.programme.provider_id
        enrolment.save(update_fields=["provider"])


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0001_initial"),
        ("partnership", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="provider",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partnership.organisation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="enrolment",
            name="provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partnership.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(
                fields=["provider", "-start_on", "-id"], name="enrolment_by_provider"
            ),
        ),
    ]
