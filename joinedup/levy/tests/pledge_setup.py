"""What the pledge tests share: a sender with levy funds, levy officers, an application's fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from joinedup.levy.models import EntryKind, LedgerEntry, LevyAccount
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, OrganisationRole
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory

# A day in the 2026-27 allowance year (from 20 April 2026), whose allowance is half of the funds
# that landed from April 2025 to March 2026.
DAY = dt.date(2026, 6, 1)
FUNDS = Decimal("100000")
ALLOWANCE = Decimal("50000")


def funded_account(organisation: Organisation, funds: Decimal = FUNDS) -> LevyAccount:
    """The organisation's account with `funds` landed in June 2025 (allowance: half of it)."""
    account = LevyAccountFactory(organisation=organisation)
    LedgerEntry.objects.create(
        account=account,
        kind=EntryKind.FUNDS_IN,
        month=dt.date(2025, 6, 1),
        amount=funds,
        key=f"test-funds-in-{account.pk}",
    )
    return account


def levy_officer(organisation: Organisation, email: str | None = None) -> Actor:
    """A new levy officer of the organisation, acting for it."""
    employment = EmploymentFactory(
        organisation=organisation,
        **({"person__email": email} if email else {}),
    )
    OrganisationRoleFactory(
        person=employment.person, organisation=organisation, role=OrganisationRole.LEVY_OFFICER
    )
    return Actor(person=employment.person, organisation=organisation)


def application_fields(**overrides: object) -> dict[str, object]:
    """An application for one adult care worker for a year: first-year cost £6,000."""
    fields: dict[str, object] = {
        "standard_code": "ST0005",
        "standard_title": "Adult care worker",
        "level": 2,
        "sector": "health",
        "job_role": "Care worker",
        "location": "Barnet",
        "apprentices": 1,
        "duration_months": 12,
        "funding_band": Decimal("6000"),
        "start_month": dt.date(2026, 9, 1),
    }
    fields.update(overrides)
    return fields
