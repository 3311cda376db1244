"""The demo's pooled levy: a trust losing funds next spring, charities that need apprentices.

`joinedup demo` calls `load()` after the partnership demo exists. The figures are illustrative,
not any organisation's real levy. London North West University Healthcare NHS Trust pays more levy
than it spends: its declarations for 2024-25 (both PAYE schemes) and 2025-26 (its main payroll)
are imported, and its nurses' apprenticeships are paid for, so funds that landed in March to May
2025 are forecast to expire in March to May 2027. Its bank staff payroll's 2025-26 declarations
are left for the levy officer to import from `docs/examples/levy-declarations-2025-26.csv`
(`declarations_csv(BANK_SCHEME, "25-26")` writes the same file). Barnet spends all it pays;
two charities with accounts for receiving transfers, and Barnet, have apprenticeship needs for the
partnership lead's optimiser run.

Everything is written through the services, so the ledger and the audit log are consistent. The
trust's account is the marker: when it exists, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import PERSONAS
from joinedup.partnership.models import Employment, Organisation, Person

from . import declarations, optimising, services
from .models import Commitment, Declaration, LedgerEntry, LevyAccount, Need
from .pledge_rules import add_months

TRUST = "R1K"
BARNET = "E09000003"
ICB = "Z9B2Z"
CHARITY = "Canalside Carers Network"
YOUTH_CHARITY = "Northway Youth Trust"
MAIN_SCHEME = "475/LNW0001"
BANK_SCHEME = "475/LNW0002"
BARNET_SCHEME = "083/LBB0001"
SCHEME_NAMES = {
    MAIN_SCHEME: "Main payroll",
    BANK_SCHEME: "Bank and locum staff payroll",
    BARNET_SCHEME: "Council payroll",
}
# The levy due each payroll month (so the year-to-date figure grows by it), by scheme and year.
MONTHLY_LEVY = {
    (MAIN_SCHEME, "24-25"): Decimal(60000),
    (BANK_SCHEME, "24-25"): Decimal(4000),
    (MAIN_SCHEME, "25-26"): Decimal(62000),
    (BANK_SCHEME, "25-26"): Decimal(4200),
    (BARNET_SCHEME, "24-25"): Decimal(8000),
    (BARNET_SCHEME, "25-26"): Decimal(8000),
}
DEMO_FILES = {
    TRUST: ((MAIN_SCHEME, "24-25"), (BANK_SCHEME, "24-25"), (MAIN_SCHEME, "25-26")),
    BARNET: ((BARNET_SCHEME, "24-25"), (BARNET_SCHEME, "25-26")),
}
EXAMPLE_FILE = (BANK_SCHEME, "25-26")


@dataclass(frozen=True)
class Cohort:
    """Apprentices starting together on one standard: one commitment each."""

    reference: str
    apprentices: int
    provider: str
    code: str
    title: str
    level: int
    start: dt.date
    months: int
    price: Decimal


COHORTS = {
    TRUST: (
        Cohort("RN24", 20, "University of West London", "ST0781",
               "Registered nurse degree (NMC 2018)", 6, dt.date(2024, 5, 1), 48, Decimal(27000)),
        Cohort("NA24", 20, "Buckinghamshire New University", "ST0827",
               "Nursing associate (NMC 2018)", 5, dt.date(2024, 5, 1), 24, Decimal(15000)),
        Cohort("NA26", 20, "Buckinghamshire New University", "ST0827",
               "Nursing associate (NMC 2018)", 5, dt.date(2026, 5, 1), 24, Decimal(15000)),
    ),
    BARNET: (
        Cohort("SW24", 12, "Middlesex University", "ST0510", "Social worker (degree)", 6,
               dt.date(2024, 9, 1), 36, Decimal(24000)),
        Cohort("OM24", 10, "Barnet and Southgate College", "ST0385",
               "Operations / departmental manager", 5, dt.date(2024, 5, 1), 30, Decimal(7000)),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class NeedPlan:
    """A partner's planned apprenticeship; it starts `months_ahead` months after this one."""

    organisation: str
    code: str
    title: str
    level: int
    months_ahead: int
    duration: int
    apprentices: int
    band: Decimal
    priority: int
    job_role: str
    location: str


NEEDS = (
    NeedPlan(CHARITY, "ST0005", "Adult care worker", 2, 2, 12, 2, Decimal(3000), 3,
             "Care worker", "Brent"),
    NeedPlan(YOUTH_CHARITY, "ST0384", "Team leader / supervisor", 3, 3, 12, 1, Decimal(5000), 2,
             "Youth work team leader", "Harrow"),
    NeedPlan(BARNET, "ST0510", "Social worker (degree)", 6, 9, 36, 1, Decimal(24000), 1,
             "Social worker", "Barnet"),
)  # fmt: skip


def submitted_on(payroll_year: str, payroll_month: int) -> dt.date:
    """The 15th of the calendar month in which the payroll month ends: before its cut-off."""
    start_year = 2000 + int(payroll_year[:2])
    index = start_year * 12 + 3 + payroll_month  # months since year 0; April is index 3
    return dt.date(index // 12, index % 12 + 1, 15)


def declarations_csv(scheme: str, payroll_year: str) -> str:
    """A year of one scheme's declarations as the import file (docs/LEVY_IMPORT.md)."""
    monthly = MONTHLY_LEVY[(scheme, payroll_year)]
    number = scheme.split("/")[1]
    lines = ["id,scheme,payroll_year,payroll_month,levy_due_ytd,submitted_at"]
    for month in range(1, 13):
        lines.append(
            f"EPS-{number}-{payroll_year}-{month:02d},{scheme},{payroll_year},{month},"
            f"{monthly * month:.2f},{submitted_on(payroll_year, month).isoformat()}"
        )
    return "\n".join(lines) + "\n"


def _persona(key: str, organisation: Organisation) -> Person | None:
    """The demo persona's person, found by name at their organisation."""
    given, family = next(p.name for p in PERSONAS if p.key == key).split(" ", 1)
    employment = (
        Employment.objects.current()
        .filter(organisation=organisation, person__given_name=given, person__family_name=family)
        .select_related("person")
        .first()
    )
    return employment.person if employment else None


def _account(actor: Actor, organisation: Organisation, today: dt.date) -> LevyAccount:
    """Open the account and fill it: schemes, the year files imported, the apprenticeships."""
    account = services.open_account(actor=actor, organisation=organisation)
    files = DEMO_FILES.get(organisation.official_code, ())
    for scheme in sorted({scheme for scheme, _ in files}):
        declarations.add_scheme(
            actor=actor, account=account, reference=scheme, name=SCHEME_NAMES[scheme]
        )
    for scheme, year in files:
        declarations.import_declarations(
            actor=actor,
            account=account,
            file_name=f"levy-declarations-{scheme.replace('/', '-')}-{year}.csv",
            data=declarations_csv(scheme, year).encode(),
        )
    for cohort in COHORTS.get(organisation.official_code, ()):
        end = add_months(cohort.start.replace(day=1), cohort.months) - dt.timedelta(days=1)
        for number in range(1, cohort.apprentices + 1):
            declarations.add_commitment(
                actor=actor,
                account=account,
                reference=f"{cohort.reference}-{number:02d}",
                provider=cohort.provider,
                standard_code=cohort.code,
                standard_title=cohort.title,
                level=cohort.level,
                start_on=cohort.start,
                planned_end_on=end,
                price=cohort.price,
                funding_band=cohort.price,
            )
    if files:
        services.post_due_entries(account, today)
        services.allowance_for(account, today)
    return account


def load() -> dict[str, int]:
    """Create the demo levy accounts and needs unless the trust already has an account."""
    organisations = {
        o.official_code or o.name: o
        for o in Organisation.objects.filter(official_code__in=[TRUST, BARNET, ICB])
        | Organisation.objects.filter(is_fictional=True, name__in=[CHARITY, YOUTH_CHARITY])
    }
    trust = organisations.get(TRUST)
    if len(organisations) != 5 or trust is None or LevyAccount.objects.filter(organisation=trust):
        return {}
    officers = {
        TRUST: _persona("partner_levy_officer", trust),
        BARNET: _persona("own_levy_officer", organisations[BARNET]),
    }
    lead = _persona("partnership_lead", organisations[ICB])
    if None in officers.values() or lead is None:
        return {}
    today = timezone.localdate()
    before = {
        model: model.objects.count()
        for model in (LevyAccount, Declaration, Commitment, LedgerEntry, Need)
    }
    for code, person in officers.items():
        _account(Actor(person=person, organisation=organisations[code]), organisations[code], today)
    planner = Actor(person=lead, organisation=organisations[ICB])
    for name in (CHARITY, YOUTH_CHARITY):
        services.open_account(actor=planner, organisation=organisations[name])
    for need in NEEDS:
        optimising.create_need(
            actor=planner,
            organisation=organisations[need.organisation],
            standard_code=need.code,
            standard_title=need.title,
            level=need.level,
            start_month=add_months(today.replace(day=1), need.months_ahead),
            duration_months=need.duration,
            apprentices=need.apprentices,
            funding_band=need.band,
            priority=need.priority,
            job_role=need.job_role,
            location=need.location,
        )
    names = {
        LevyAccount: "levy accounts",
        Declaration: "levy declarations",
        Commitment: "levy commitments",
        LedgerEntry: "levy ledger entries",
        Need: "levy needs",
    }
    return {names[model]: model.objects.count() - count for model, count in before.items()}
