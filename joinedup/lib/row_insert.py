"""Inserting one new row of a model with a statement built once per model, for the hottest writes.

`Model.save()` builds its INSERT statement afresh on every call, and on the booking path that
costs more CPU than the database spends running it. `insert_row` has Django's own compiler build
the statement the first time and reuses it, filling in the values as `save()` would (each field's
`pre_save` and `get_db_prep_save`). It sends no `pre_save`/`post_save` signals (the project uses
none), and suits models without multi-table inheritance whose values are plain values, never
expressions (an expression would be written into the statement kept for every later row).
"""

from __future__ import annotations

from django.db import connections, models
from django.db.models.sql import InsertQuery

# (model, database alias) -> (the INSERT statement, the fields it fills, the field it returns)
_STATEMENTS: dict[
    tuple[type[models.Model], str], tuple[str, list[models.Field], models.Field | None]
] = {}


def _statement(
    instance: models.Model, using: str
) -> tuple[str, list[models.Field], models.Field | None]:
    model = type(instance)
    meta = model._meta
    if meta.parents:
        raise TypeError(f"insert_row does not insert inherited models such as {model.__name__}")
    connection = connections[using]
    auto = meta.auto_field
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not auto]
    query = InsertQuery(model)
    query.insert_values(fields, [instance])
    compiler = query.get_compiler(using=using)
    if auto is not None and connection.features.can_return_columns_from_insert:
        compiler.returning_fields = [auto]
    [(sql, _)] = compiler.as_sql()
    return sql, fields, auto


def insert_row(instance: models.Model, using: str = "default") -> None:
    """Insert the new instance's row and set its primary key, as `instance.save()` would."""
    key = (type(instance), using)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = _statement(instance, using)
    sql, fields, returned = _STATEMENTS[key]
    connection = connections[using]
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returned is not None:
            if connection.features.can_return_columns_from_insert:
                value = connection.ops.fetch_returned_insert_columns(cursor, ())[0]
            else:
                table = type(instance)._meta.db_table
                value = connection.ops.last_insert_id(cursor, table, returned.column)
            setattr(instance, returned.attname, value)
    instance._state.adding = False
    instance._state.db = using
