"""Invariant 1 for pledges: approvals made at once never overdraw a pledge, and pledges made at
once never commit more than the transfer allowance.

Each thread goes through the real service on its own database connection, so these need a
database with two writers: a file-based SQLite test database or PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection

from joinedup.levy import pledges
from joinedup.levy.models import (
    AllowanceYear,
    ApplicationStatus,
    Pledge,
    PledgeApplication,
)
from joinedup.levy.services import allowance_for
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.levy.tests.pledge_setup import (
    ALLOWANCE,
    DAY,
    application_fields,
    funded_account,
    levy_officer,
)
from joinedup.partnership.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
)

AT_ONCE = 6


def needs_two_writers() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "needs a file-based SQLite test database (DATABASE_TEST_NAME=/tmp/name.sqlite3) "
            "or PostgreSQL (DATABASE_URL): an in-memory database cannot have two writers"
        )


def all_at_once(calls: list[Callable[[], object]]) -> tuple[int, list[BaseException]]:
    """Run every call at the same moment, each on its own connection; count those that worked."""
    start = threading.Barrier(len(calls))
    done: list[object] = []
    errors: list[BaseException] = []

    def worker(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            done.append(call())
        except BaseException as error:  # noqa: BLE001 - reported by the callers' assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return len(done), errors


def sender_and_partner():
    partnership = PartnershipFactory()
    sender, partner = OrganisationFactory(), OrganisationFactory()
    for organisation in (sender, partner):
        MembershipFactory(partnership=partnership, organisation=organisation)
    return sender, partner


@pytest.mark.django_db(transaction=True)
def test_approvals_at_once_never_overdraw_a_pledge():
    needs_two_writers()
    sender, partner = sender_and_partner()
    account = funded_account(sender)
    officer = levy_officer(sender)
    applicant = LevyAccountFactory(organisation=partner)
    applicant_officer = levy_officer(partner)
    # £20,000 pays for three applications of £6,000; six are approved at once.
    pledge = pledges.create_pledge(actor=officer, account=account, amount=Decimal(20000), on=DAY)
    applications = [
        pledges.apply_to_pledge(
            actor=applicant_officer,
            pledge=pledge,
            account=applicant,
            on=DAY,
            **application_fields(),
        )
        for _ in range(AT_ONCE)
    ]

    done, errors = all_at_once(
        [
            lambda a=application: pledges.approve_application(actor=officer, application=a, on=DAY)
            for application in applications
        ]
    )

    assert done == 3
    assert len(errors) == AT_ONCE - 3
    assert all(isinstance(error, pledges.PledgeRefused) for error in errors), errors
    pledge.refresh_from_db()
    approved = PledgeApplication.objects.filter(pledge=pledge, status=ApplicationStatus.APPROVED)
    assert approved.count() == 3
    assert pledge.remaining == Decimal(2000)


@pytest.mark.django_db(transaction=True)
def test_pledges_at_once_never_commit_more_than_the_allowance():
    needs_two_writers()
    sender, _ = sender_and_partner()
    account = funded_account(sender)
    officer = levy_officer(sender)
    allowance_for(account, DAY)
    # An allowance of £50,000 takes two pledges of £20,000; six are made at once.
    done, errors = all_at_once(
        [
            lambda: pledges.create_pledge(
                actor=officer, account=account, amount=Decimal(20000), on=DAY
            )
            for _ in range(AT_ONCE)
        ]
    )

    assert done == 2
    assert all(isinstance(error, pledges.PledgeRefused) for error in errors), errors
    year = AllowanceYear.objects.get(account=account)
    assert year.allowance == ALLOWANCE
    assert year.committed == Decimal(40000)
    assert Pledge.objects.filter(account=account).count() == 2
