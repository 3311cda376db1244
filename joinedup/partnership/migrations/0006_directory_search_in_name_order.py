"""An index that hands out the people whose family name starts with a word, in name order.

A searched directory page is ordered by family and given names upper-cased and compared byte by
byte (`queries._name_keys`). With this index PostgreSQL walks a word's family-name matches in
that order and stops after the page, instead of fetching and sorting every match: "Barker" has
2,507 at 500,000 people. It also serves the prefix condition itself, so it replaces the family
name's pattern index of migration 0002. SQLite needs neither, so this does nothing there.
"""

from django.db import migrations

NAME_ORDER = (
    "partnership_person_family_bytes",
    '(UPPER(family_name) COLLATE "C"), (UPPER(given_name) COLLATE "C"), id',
)
FAMILY_PATTERN = ("partnership_person_family_upper", "UPPER(family_name) text_pattern_ops")


def _swap(schema_editor, create: tuple[str, str], drop: tuple[str, str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    name, expression = create
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON partnership_person ({expression})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {drop[0]}")


def forwards(apps, schema_editor) -> None:
    _swap(schema_editor, NAME_ORDER, FAMILY_PATTERN)


def backwards(apps, schema_editor) -> None:
    _swap(schema_editor, FAMILY_PATTERN, NAME_ORDER)


class Migration(migrations.Migration):
    dependencies = [("partnership", "0005_calendar_token_index")]

    operations = [migrations.RunPython(forwards, backwards)]
