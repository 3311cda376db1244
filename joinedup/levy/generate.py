"""Synthetic levy accounts at scale for benchmarks: `joinedup generate_levy --employers N ...`.

Employers are the organisations of the benchmark partnership that `joinedup generate` made (so
run it first with at least as many organisations), largest first. Each gets a levy account with
one to three PAYE schemes (the largest three), a monthly declaration per scheme for each payroll
month of the last `years` tax years up to today (the current one last, its months whose cut-off
has passed) (a year-to-date figure, submitted on the 15th of the month
the tax month ends, sometimes corrected two days later, sometimes "no payment for period"), and
its share of the apprentices: commitments starting over those years, twelve to 48 months long,
the largest employer taking a tenth of them.

Declarations and commitments are written as `partnership.generate` writes people (ids chosen
here, `COPY` on PostgreSQL, `bulk_create` elsewhere). The ledger is then posted account by
account through the services themselves (`sync_funds_in`, then `post_due_entries`: payments,
expiries), so it is exactly what the service would hold, its monthly summary (`LedgerMonth`)
included; commitments whose planned end month has passed are then marked completed, as their
completion payment is in. The committed months (`CommittedMonth`) are worked out set-based
(`summaries.rebuild_committed`) once the commitments are written and again once they are
marked. Then `ANALYZE`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused, _next_id, _Writer
from joinedup.partnership.models import Organisation

from . import services, summaries
from .models import (
    Commitment,
    CommitmentStatus,
    Declaration,
    LedgerEntry,
    LevyAccount,
    PayeScheme,
)

PROVIDERS = (
    "North College", "City University", "Care Skills Ltd", "Blue Light Training",
    "Digital Academy", "Health Education Partners",
)  # fmt: skip
STANDARDS = (
    ("ST0216", "Nursing associate", 5, Decimal(15_000)),
    ("ST0005", "Adult care worker", 2, Decimal(3_000)),
    ("ST0384", "Business administrator", 3, Decimal(5_000)),
    ("ST0119", "Software developer", 4, Decimal(18_000)),
    ("ST0313", "Chartered manager", 6, Decimal(22_000)),
    ("ST0781", "Registered nurse degree", 6, Decimal(26_000)),
)  # fmt: skip
LARGEST_SHARE = 0.10  # of the commitments, for the largest employer
CORRECTED = 0.03  # declarations corrected before the cut-off
NO_PAYMENT = 0.01  # declarations of "no payment for period"


@dataclass(frozen=True)
class LevyResult:
    accounts: int
    schemes: int
    declarations: int
    commitments: int
    entries: int


def _tax_years(today: dt.date, years: int) -> list[int]:
    """The first calendar years of the last `years` tax years, the current one last."""
    current = today.year if today >= dt.date(today.year, 4, 6) else today.year - 1
    return list(range(current - years + 1, current + 1))


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


class _Levy:
    """Schemes, declarations and commitments, drawn from one seeded random source."""

    def __init__(self, accounts: list[LevyAccount], years: list[int], today: dt.date, seed: int):
        self.rng = random.Random(seed)
        self.accounts = accounts
        self.years = years
        self.today = today
        self.first_declaration = _next_id(Declaration)
        self.first_commitment = _next_id(Commitment)
        # Monthly levy per scheme: log-normal around £6,000; the largest employer's much more.
        self.monthly = {
            account.pk: Decimal(f"{self.rng.lognormvariate(8.7, 0.7):.2f}") * (6 if i == 0 else 1)
            for i, account in enumerate(accounts)
        }
        self.schemes: list[PayeScheme] = []
        first_scheme = _next_id(PayeScheme)
        for index, account in enumerate(accounts):
            for _ in range(3 if index == 0 else self.rng.randint(1, 3)):
                pk = first_scheme + len(self.schemes)
                self.schemes.append(
                    PayeScheme(
                        id=pk,
                        account=account,
                        reference=f"{100 + pk % 900}/SC{pk:06d}",
                        name=f"Payroll {pk}",
                    )
                )

    def declaration_rows(self) -> Iterator[dict]:
        pk = self.first_declaration
        for scheme in self.schemes:
            monthly = self.monthly[scheme.account_id]
            for year in self.years:
                payroll_year = f"{year % 100:02d}-{(year + 1) % 100:02d}"
                ytd = Decimal(0)
                for month in range(1, 13):
                    ends = dt.date(year + (month + 3) // 12, (month + 3) % 12 + 1, 5)
                    if ends.replace(day=20) >= self.today:
                        break  # the month's cut-off is still ahead
                    ytd += (monthly * Decimal(self.rng.uniform(0.85, 1.15))).quantize(
                        Decimal("0.01")
                    )
                    figure = None if self.rng.random() < NO_PAYMENT else ytd
                    corrected = self.rng.random() < CORRECTED and figure is not None
                    for offset, amount in ((0, figure), (2, ytd * Decimal("1.01")))[
                        : 2 if corrected else 1
                    ]:
                        yield {
                            "id": pk,
                            "scheme_id": scheme.pk,
                            "submission_id": f"S{pk}",
                            "payroll_year": payroll_year,
                            "payroll_month": month,
                            "levy_due_ytd": None
                            if amount is None
                            else amount.quantize(Decimal("0.01")),
                            "submitted_on": ends.replace(day=15 + offset),
                            "entered_at": timezone.now(),
                        }
                        pk += 1

    def commitment_rows(self, count: int) -> Iterator[dict]:
        """`count` apprenticeships: a tenth the largest employer's, the rest spread by levy."""
        others = self.accounts[1:] or self.accounts
        weights = [float(self.monthly[account.pk]) for account in others]
        # From May of the first year: the co-investment rates start with the levy, in May 2017.
        first_month = dt.date(self.years[0], 5, 1)
        span = (self.today.year - first_month.year) * 12 + self.today.month - first_month.month
        for offset in range(count):
            pk = self.first_commitment + offset
            if offset < int(count * LARGEST_SHARE) or len(self.accounts) == 1:
                account = self.accounts[0]
            else:
                account = self.rng.choices(others, weights)[0]
            index = self.rng.randrange(span + 1)
            start = dt.date(first_month.year + (4 + index) // 12, (4 + index) % 12 + 1, 1)
            start += dt.timedelta(days=self.rng.randrange(28))
            months = self.rng.randint(12, 48)
            end_month = dt.date(start.year + (start.month - 1 + months) // 12,
                                (start.month - 1 + months) % 12 + 1, 1)  # fmt: skip
            code, title, level, band = self.rng.choice(STANDARDS)
            yield {
                "id": pk,
                "account_id": account.pk,
                "reference": f"APP-{pk:06d}",
                "provider": self.rng.choice(PROVIDERS),
                "standard_code": code,
                "standard_title": title,
                "level": level,
                "start_on": start,
                "planned_end_on": _month_end(end_month),
                "price": band * Decimal(self.rng.choice(("0.9", "1", "1", "1.1"))),
                "funding_band": band,
                "status": CommitmentStatus.ACTIVE,
                "created_at": timezone.now(),
            }


def scale_employers(count: int, partnership_name: str = SCALE_PARTNERSHIP) -> list[Organisation]:
    """The benchmark partnership's `count` largest organisations, largest first."""
    return list(
        Organisation.objects.filter(memberships__partnership__name=partnership_name).order_by(
            "-headcount", "pk"
        )[:count]
    )


def generate_levy(
    *,
    employers: int,
    years: int,
    commitments: int,
    partnership_name: str = SCALE_PARTNERSHIP,
    seed: int = 1,
    today: dt.date | None = None,
    progress: bool = True,
) -> LevyResult:
    """Levy accounts for `employers` organisations of the benchmark partnership, with `years` tax
    years of declarations, `commitments` apprenticeships and the ledger they give."""
    if settings.PRODUCTION:
        raise GenerateRefused(
            "Synthetic levy accounts are never added to a production installation."
        )
    if employers < 1 or years < 1 or commitments < 0:
        raise GenerateRefused("Give at least one employer and one year, and no negative count.")
    organisations = scale_employers(employers, partnership_name)
    if len(organisations) < employers:
        raise GenerateRefused(
            f'Generate people first: "{partnership_name}" needs {employers} organisations.'
        )
    if LevyAccount.objects.filter(organisation__in=organisations).exists():
        raise GenerateRefused("These organisations already have levy accounts.")
    today = today or timezone.localdate()
    with transaction.atomic():
        accounts = LevyAccount.objects.bulk_create(
            [
                LevyAccount(organisation=organisation, opened_on=dt.date(today.year - years, 4, 6))
                for organisation in organisations
            ]
        )
        levy = _Levy(accounts, _tax_years(today, years), today, seed)
        PayeScheme.objects.bulk_create(levy.schemes)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with tqdm(unit=" rows", disable=not progress, desc="Declarations, commitments") as bar:
            writer = _Writer(bar)
            declarations = writer.write(Declaration, levy.declaration_rows())
            written = writer.write(Commitment, levy.commitment_rows(commitments))
            writer.reset_sequences(PayeScheme, Declaration, Commitment)
    ids = [account.pk for account in accounts]
    summaries.rebuild_committed(ids)
    for account in tqdm(accounts, unit=" accounts", disable=not progress, desc="Ledger"):
        services.sync_funds_in(account)
        services.post_due_entries(account, today)
    Commitment.objects.filter(
        account__in=accounts,
        status=CommitmentStatus.ACTIVE,
        planned_end_on__lt=today.replace(day=1),
    ).update(status=CommitmentStatus.COMPLETED)
    summaries.rebuild_committed(ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return LevyResult(
        accounts=len(accounts),
        schemes=len(levy.schemes),
        declarations=declarations,
        commitments=written,
        entries=LedgerEntry.objects.filter(account__in=accounts).count(),
    )
