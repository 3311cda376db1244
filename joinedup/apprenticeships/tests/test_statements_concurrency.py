"""Statements under concurrency: two versions made at once get the next two numbers, and two of
the employer's L&D leads signing at once sign once for the employer.

Each thread calls the real service on its own database connection, so these need a database with
two writers: a file-based SQLite test database or PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from joinedup.apprenticeships import statements
from joinedup.apprenticeships.models import Party
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import OrganisationRole
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory

from .statement_scene import build_scene

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _two_writers() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "needs a file-based SQLite test database (DATABASE_TEST_NAME=/tmp/name.sqlite3) "
            "or PostgreSQL (DATABASE_URL): an in-memory database cannot have two writers"
        )


def at_once(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run the calls at the same moment, each on its own connection."""
    start = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []

    def worker(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            results.append(call())
        except BaseException as error:  # noqa: BLE001 - reported by the callers' assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_two_versions_made_at_once_are_numbered_one_after_the_other():
    scene = build_scene()
    results, errors = at_once(
        [
            lambda: statements.issue(scene.enrolment, actor=scene.employer, reason="One"),
            lambda: statements.issue(scene.enrolment, actor=scene.provider, reason="Two"),
        ]
    )
    assert errors == []
    assert sorted(statement.version for statement in results) == [1, 2]


def test_two_employer_leads_signing_at_once_sign_once():
    scene = build_scene()
    statement = statements.issue(scene.enrolment, actor=scene.employer, reason="Enrolled")
    statements.sign(actor=scene.apprentice, statement=statement)
    employer = scene.enrolment.employer
    other = EmploymentFactory(organisation=employer).person
    OrganisationRoleFactory(person=other, organisation=employer, role=OrganisationRole.LD_LEAD)
    second = Actor(person=other, organisation=employer)
    results, errors = at_once(
        [
            lambda: statements.sign(actor=scene.employer, statement=statement),
            lambda: statements.sign(actor=second, statement=statement),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "already signed for the employer" in errors[0].messages[0]
    assert statement.signatures.filter(party=Party.EMPLOYER).count() == 1
