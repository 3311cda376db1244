"""Load the standards of the 2021 list and the default funding rules (see `reference.py`)."""

from django.db import migrations

from joinedup.apprenticeships import reference


def load(apps, schema_editor):
    Standard = apps.get_model("apprenticeships", "Standard")
    FundingRule = apps.get_model("apprenticeships", "FundingRule")
    known = set(Standard.objects.values_list("reference_code", flat=True))
    Standard.objects.bulk_create(
        Standard(**row) for row in reference.standard_rows() if row["reference_code"] not in known
    )
    for rule in reference.DEFAULT_FUNDING_RULES:
        FundingRule.objects.get_or_create(
            kind=rule["kind"], applies_from=rule["applies_from"], defaults=rule
        )


class Migration(migrations.Migration):
    dependencies = [("apprenticeships", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
