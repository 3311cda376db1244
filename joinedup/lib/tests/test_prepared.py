"""The prepared cursor: on PostgreSQL a statement run often is prepared on the server, and its
statements are logged, counted and fail like any other; elsewhere it is an ordinary cursor."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from joinedup.lib.prepared import prepared_cursor

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT %s + 1, %s"
THRESHOLD = 5
only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Prepared statements are PostgreSQL's."
)


def _run(value: int) -> tuple:
    with prepared_cursor() as cursor:
        cursor.execute(STATEMENT, [value, "a"])
        return cursor.fetchone()


def test_results_and_parameters_are_those_of_an_ordinary_cursor():
    assert _run(41) == (42, "a")


def test_its_statements_are_counted_and_logged_with_their_parameters_prepared_or_not():
    with CaptureQueriesContext(connection) as queries:
        for value in range(THRESHOLD * 2):
            _run(value)

    assert [query["sql"] for query in queries] == [
        f"SELECT {value} + 1, 'a'" for value in range(THRESHOLD * 2)
    ]


def test_a_bad_statement_fails_with_djangos_error_and_the_connection_goes_on():
    with pytest.raises(DatabaseError), transaction.atomic(), prepared_cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM no_such_table WHERE %s", [True])

    assert _run(1) == (2, "a")


@only_postgresql
def test_postgresql_prepares_a_statement_run_often():
    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [statement for (statement,) in cursor.fetchall() if "+ 1" in statement]

    for value in range(THRESHOLD):
        _run(value)
    assert prepared() == []

    _run(THRESHOLD)

    assert prepared() == ["SELECT $1 + 1, $2"]


@only_postgresql
def test_djangos_own_statements_are_never_prepared():
    for value in range(THRESHOLD * 2):
        list(connection.introspection.table_names())
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s + 2", [value])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)


@only_postgresql
def test_a_parameter_the_log_cannot_write_fails_as_the_database_fails_it():
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(DataError),
        transaction.atomic(),
        prepared_cursor() as cursor,
    ):
        cursor.execute(STATEMENT, [1, "nul \x00 inside"])

    assert STATEMENT in [query["sql"] for query in queries]
