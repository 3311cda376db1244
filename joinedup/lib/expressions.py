"""Database expressions that Django does not provide and more than one app can use."""

from __future__ import annotations

from typing import Any

from django.db.models import Func


class ByteOrder(Func):
    """A text expression compared byte by byte, whatever the database's collation.

    PostgreSQL orders text by the database's collation unless told "C"; SQLite compares bytes
    already and has no collation of that name. Byte order is the order of Python's `str`
    comparison for UTF-8 text, so rows read in this order can be merged in Python (see
    `keyset_page` with several parts), and an index on the same expression can hand out a
    prefix's matches in order.
    """

    template = "%(expressions)s"
    arity = 1

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler, connection, template='(%(expressions)s) COLLATE "C"', **extra_context
        )
