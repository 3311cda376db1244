"""A cursor for a long statement run often, which PostgreSQL may parse and plan once.

Django binds parameters on the client: every statement is sent as text, then parsed and planned
afresh. For the library search's ranking statement (several kilobytes, with a dozen
subqueries) that took longer than running it. This cursor binds parameters on the server, so
psycopg prepares a statement once it has been run `prepare_threshold` times on a connection
(`settings.DATABASES`), and PostgreSQL may then keep one plan for it. Only statements run through
this cursor are prepared: Django's own cursors never are.

A connection pooler in transaction mode must keep prepared statements per client (PgBouncer 1.21
or later: `max_prepared_statements`), see docs/DEPLOY.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
from django.db.backends.utils import CursorWrapper
from psycopg.errors import DataError


class _LoggedPreparedCursor(CursorDebugWrapper):
    """Logs each statement with its parameters written in, as Django's own cursors do: psycopg
    keeps no text of a statement it runs prepared, which Django would log as None."""

    def execute(self, sql: str, params: Any = None) -> Any:
        try:
            logged = self.db.ops.compose_sql(sql, params)
        except DataError:
            # Parameters psycopg cannot write into text, as Django's own logging gives up on:
            # the statement is logged without them and still runs.
            logged = sql
        with self.debug_sql(logged, params):
            return CursorWrapper.execute(self, sql, params)


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A cursor binding parameters on the server on PostgreSQL; an ordinary one elsewhere.

    It goes through Django's cursor wrapper, so its statements are logged and counted like any
    other, and database errors come as Django's."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    cursor = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        wrapped = _LoggedPreparedCursor(cursor, connection)
    else:
        wrapped = connection.make_cursor(cursor)
    with wrapped:
        yield wrapped
