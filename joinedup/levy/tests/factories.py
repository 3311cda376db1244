"""factory_boy factories for the levy app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from joinedup.levy import summaries
from joinedup.levy.models import (
    AllowanceYear,
    Commitment,
    Declaration,
    LevyAccount,
    Need,
    PayeScheme,
    Pledge,
    PledgeApplication,
)
from joinedup.partnership.tests.factories import OrganisationFactory, PartnershipFactory


class LevyAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevyAccount
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory, is_levy_payer=True)


class PayeSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayeScheme

    account = factory.SubFactory(LevyAccountFactory)
    reference = factory.Sequence(lambda n: f"{120 + n % 800:03d}/AB{n:05d}")


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    scheme = factory.SubFactory(PayeSchemeFactory)
    submission_id = factory.Sequence(lambda n: f"EPS-{n}")
    payroll_year = "25-26"
    payroll_month = 1
    levy_due_ytd = Decimal("10000")
    submitted_on = dt.date(2025, 5, 15)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    account = factory.SubFactory(LevyAccountFactory)
    reference = factory.Sequence(lambda n: f"APP-{n:04d}")
    provider = "Middlesex University"
    standard_code = "ST0480"
    standard_title = "Senior leader"
    level = 7
    start_on = dt.date(2026, 9, 1)
    planned_end_on = dt.date(2028, 8, 31)
    price = Decimal("14000")
    funding_band = Decimal("14000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """As `declarations.add_commitment` does: its schedule joins the payer's committed
        months."""
        commitment = super()._create(model_class, *args, **kwargs)
        summaries.commitments_started([commitment])
        return commitment


class AllowanceYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllowanceYear
        django_get_or_create = ("account", "starts_on")

    account = factory.SubFactory(LevyAccountFactory)
    starts_on = dt.date(2026, 4, 20)
    allowance = Decimal("100000")


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    account = factory.SubFactory(LevyAccountFactory)
    allowance_year = factory.SubFactory(
        AllowanceYearFactory, account=factory.SelfAttribute("..account")
    )
    amount = Decimal("20000")
    remaining = factory.SelfAttribute("amount")


class PledgeApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeApplication

    pledge = factory.SubFactory(PledgeFactory)
    account = factory.SubFactory(LevyAccountFactory)
    standard_code = "ST0072"
    standard_title = "Adult care worker"
    level = 2
    sector = "voluntary"
    job_role = "Care worker"
    location = "Barnet"
    apprentices = 1
    duration_months = 12
    funding_band = Decimal("6000")
    start_month = dt.date(2027, 1, 1)
    first_year_cost = Decimal("6000")
    match_score = 100


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    standard_code = "ST0072"
    standard_title = "Adult care worker"
    level = 2
    start_month = dt.date(2027, 1, 1)
    duration_months = 12
    funding_band = Decimal("6000")
