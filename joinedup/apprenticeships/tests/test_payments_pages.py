"""The levy officer sees an enrolment's payment schedule in the council's ledger pages, with a
link back to the enrolment only for those who may see it; the enrolment's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from joinedup.apprenticeships import payments
from joinedup.apprenticeships.models import FundingRoute
from joinedup.apprenticeships.tests.factories import CohortFactory, EnrolmentFactory
from joinedup.levy import services
from joinedup.levy.models import EntryKind, LedgerEntry
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.partnership.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(world):
    """A levy-funded enrolment of the own organisation, started, with two months posted."""
    account = LevyAccountFactory(organisation=world.own)
    LedgerEntry.objects.create(
        account=account,
        kind=EntryKind.FUNDS_IN,
        month=dt.date(2026, 1, 1),
        amount=Decimal(50000),
        key="funds_in:test",
    )
    cohort = CohortFactory(starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 8, 31))
    enrolment = EnrolmentFactory(
        cohort=cohort,
        employment=EmploymentFactory(organisation=world.own),
        funding_route=FundingRoute.LEVY,
        levy_account=account,
    )
    payments.start(enrolment, actor=None)
    services.post_due_entries(account, dt.date(2026, 10, 15))
    return enrolment


def test_the_levy_officer_sees_the_schedule_with_the_months_posted_and_the_enrolment(
    started, client_for
):
    page = client_for("own_levy_officer").get(
        reverse("levy:setup-commitment", kwargs={"pk": started.levy_commitment_id})
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Instalment 1 of 12" in text
    assert text.count(">Posted<") == 2
    assert "Completion payment (expected" in text
    assert f"Enrolment {started.reference}" in text
    assert reverse("apprenticeships:enrolment", args=[started.pk]) in text


def test_the_partnership_lead_sees_the_schedule_but_no_link_to_the_enrolment(started, client_for):
    page = client_for("partnership_lead").get(
        reverse("levy:setup-commitment", kwargs={"pk": started.levy_commitment_id})
    )
    if page.status_code == 404:
        pytest.skip("the partnership lead does not oversee this account's levy")
    text = page.content.decode()
    assert "Instalment 1 of 12" in text
    assert started.reference in text  # the commitment's own reference
    assert reverse("apprenticeships:enrolment", args=[started.pk]) not in text


def test_a_break_shows_on_the_ledger_page_with_what_is_held(started, client_for):
    payments.pause(started, actor=None, on=dt.date(2026, 12, 10))
    text = (
        client_for("own_levy_officer")
        .get(reverse("levy:setup-commitment", kwargs={"pk": started.levy_commitment_id}))
        .content.decode()
    )
    assert "Break in learning on 10 December 2026" in text
    assert "Held until the apprentice returns" in text


def test_the_enrolment_rows_say_which_months_are_on_the_ledger(started):
    rows = payments.schedule_rows(started)
    assert [row.posted for row in rows[:3]] == [True, True, False]
    assert rows[0].month == "September 2026"
    assert sum(row.amount for row in rows) == Decimal(14000)


def test_after_a_move_the_enrolment_page_says_what_was_paid_before_and_shows_the_rest(
    started, client_for, world
):
    LevyAccountFactory(organisation=world.partner)
    started.employer = world.partner
    started.levy_account = world.partner.levy_account
    started.save()
    payments.move(started, actor=None, on=dt.date(2027, 1, 1))

    # The new employer's L&D lead.
    page = client_for("partner_ld_lead").get(
        reverse("apprenticeships:enrolment", args=[started.pk])
    )
    text = page.content.decode()
    assert "£3,733.33 of the price was paid before the apprentice moved employer" in text
    assert f"{world.partner.name} levy account" in text
    assert "September 2026" not in text[text.index('id="schedule"') :]
