"""A constructed partnership for the optimiser tests: a trust with expiring levy, a charity need.

The trust (the standing world's partner, an NHS trust) had £20,000 land in April of the last
allowance year and has spent none, so all of it expires 24 months later (funds landing before
August 2026 expire after 24 months). Its transfer allowance this year is half of that, £10,000.
The charity, a voluntary-sector member, needs a care worker apprentice from next month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from joinedup.levy.allowance import allowance_year_start
from joinedup.levy.models import EntryKind, LedgerEntry, LevyAccount, Need
from joinedup.levy.tests.factories import LevyAccountFactory, NeedFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, OrganisationKind, OrganisationRole, Person
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    PersonFactory,
)
from joinedup.partnership.tests.world import World

LANDED = Decimal("20000")


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Pooling:
    today: dt.date
    trust: Organisation
    charity: Organisation
    trust_account: LevyAccount
    charity_account: LevyAccount
    trust_officer: Person
    need: Need

    @property
    def landed(self) -> dt.date:
        """April of the allowance year before today's, whose funds in set today's allowance."""
        return dt.date(allowance_year_start(self.today).year - 1, 4, 1)

    @property
    def expiry_month(self) -> dt.date:
        return add_months(self.landed, 24)

    def officer(self) -> Actor:
        return Actor(person=self.trust_officer, organisation=self.trust)


def levy_officer(organisation: Organisation, email: str) -> Person:
    """A person employed at the organisation as its levy officer."""
    person = PersonFactory(email=email)
    EmploymentFactory(person=person, organisation=organisation, job_title="Levy officer")
    OrganisationRoleFactory(
        person=person, organisation=organisation, role=OrganisationRole.LEVY_OFFICER
    )
    return person


def fund(account: LevyAccount, month: dt.date, amount: Decimal, key: str) -> None:
    LedgerEntry.objects.create(
        account=account, kind=EntryKind.FUNDS_IN, month=month, amount=amount, key=key
    )


def build_pooling(world: World, today: dt.date | None = None) -> Pooling:
    today = today or timezone.localdate()
    trust = world.partner
    charity = OrganisationFactory(name="Barnet Carers Centre", kind=OrganisationKind.VCSE)
    MembershipFactory(partnership=world.partnership, organisation=charity)
    trust_account = LevyAccountFactory(organisation=trust)
    charity_account = LevyAccountFactory(organisation=charity)
    fund(trust_account, dt.date(allowance_year_start(today).year - 1, 4, 1), LANDED, "pooling")
    need = NeedFactory(
        partnership=world.partnership,
        organisation=charity,
        standard_title="Adult care worker",
        level=2,
        start_month=add_months(today, 1),
        duration_months=12,
        apprentices=1,
        funding_band=Decimal("6000"),
        priority=3,
        job_role="Care worker",
        location="Barnet",
    )
    return Pooling(
        today=today,
        trust=trust,
        charity=charity,
        trust_account=trust_account,
        charity_account=charity_account,
        trust_officer=levy_officer(trust, "tia.levy@lnwh.test"),
        need=need,
    )
