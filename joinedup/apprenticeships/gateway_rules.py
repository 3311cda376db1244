"""The gateway checklist as plain logic (no Django): fed the facts about one enrolment, it says
which of the six items are met and why, in words that name the numbers and the gaps.

The six items, in order: all modules passed; every KSB evidenced and signed off; off-the-job
hours met; the workplace project signed off by its sponsor; the employer agrees; the provider
agrees. The employer and the provider agree only once the first four are met (`ready`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

MODULES = "modules"
KSBS = "ksbs"
HOURS = "off_the_job"
PROJECT = "project"
EMPLOYER = "employer"
PROVIDER = "provider"
ORDER = (MODULES, KSBS, HOURS, PROJECT, EMPLOYER, PROVIDER)
READINESS = (MODULES, KSBS, HOURS, PROJECT)
TITLES = {
    MODULES: "All modules passed",
    KSBS: "Every KSB evidenced and signed off",
    HOURS: "Off-the-job hours met",
    PROJECT: "Workplace project signed off",
    EMPLOYER: "The employer agrees",
    PROVIDER: "The provider agrees",
}
# The names in a "why" are cut after this many, so a long list stays readable.
NAMES_SHOWN = 10


@dataclass(frozen=True)
class ModuleResult:
    title: str
    passed: bool
    why: str = ""


@dataclass(frozen=True)
class KsbCoverage:
    code: str
    covered: bool


@dataclass(frozen=True)
class Agreement:
    by: str
    on: dt.date


@dataclass(frozen=True)
class Facts:
    modules: Sequence[ModuleResult]
    ksbs: Sequence[KsbCoverage]
    required_hours: Decimal
    verified_hours: Decimal
    project_state: str | None = None
    project_submitted_on: dt.date | None = None
    project_signed_off_on: dt.date | None = None
    employer: Agreement | None = None
    provider: Agreement | None = None


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    met: bool
    why: str


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def hours_text(hours: Decimal) -> str:
    """Hours as people write them: 400, 12.5 (never 400.00)."""
    text = f"{hours:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"


def modules_item(modules: Sequence[ModuleResult]) -> Item:
    """Met when the programme has modules and every one is passed."""
    if not modules:
        return Item(MODULES, TITLES[MODULES], False, "The programme has no modules yet")
    failed = [module for module in modules if not module.passed]
    if not failed:
        return Item(MODULES, TITLES[MODULES], True, f"All {len(modules)} modules passed")
    named = [f"{m.title} ({m.why})" if m.why else m.title for m in failed]
    verb = "has" if len(failed) == 1 else "have"
    why = f"{len(failed)} of {len(modules)} modules {verb} not been passed: {_names(named)}"
    return Item(MODULES, TITLES[MODULES], False, why)


def ksbs_item(ksbs: Sequence[KsbCoverage]) -> Item:
    """Met when the standard has KSBs and each has at least one signed-off item of evidence."""
    if not ksbs:
        return Item(KSBS, TITLES[KSBS], False, "The standard has no KSBs recorded yet")
    gaps = [row.code for row in ksbs if not row.covered]
    if not gaps:
        why = f"All {len(ksbs)} KSBs have signed-off evidence"
        return Item(KSBS, TITLES[KSBS], True, why)
    verb = "has" if len(gaps) == 1 else "have"
    why = f"{len(gaps)} of {len(ksbs)} KSBs {verb} no signed-off evidence: {_names(gaps)}"
    return Item(KSBS, TITLES[KSBS], False, why)


def hours_item(required: Decimal, verified: Decimal) -> Item:
    """Met when the tutor has verified at least the required off-the-job hours."""
    if verified >= required:
        why = f"{hours_text(verified)} hours verified, of the {hours_text(required)} required"
        return Item(HOURS, TITLES[HOURS], True, why)
    why = (
        f"{hours_text(verified)} of the {hours_text(required)} required off-the-job hours "
        f"verified: {hours_text(required - verified)} to go"
    )
    return Item(HOURS, TITLES[HOURS], False, why)


PROJECT_WHY = {
    None: "No workplace project has been proposed yet",
    "proposed": "The project's scope is waiting for the practice tutor's approval",
    "approved": "The scope is approved; the project has not been submitted yet",
}


def project_item(
    state: str | None, submitted_on: dt.date | None, signed_off_on: dt.date | None
) -> Item:
    """Met when the sponsor has signed the project off."""
    if state == "signed_off":
        when = f" on {_date(signed_off_on)}" if signed_off_on else ""
        return Item(PROJECT, TITLES[PROJECT], True, f"Signed off by the sponsor{when}")
    if state == "submitted":
        when = f" on {_date(submitted_on)}" if submitted_on else ""
        why = f"Submitted{when}; waiting for the sponsor to sign it off"
        return Item(PROJECT, TITLES[PROJECT], False, why)
    why = PROJECT_WHY.get(state, f"The project is {state}")
    return Item(PROJECT, TITLES[PROJECT], False, why)


def agreement_item(key: str, agreement: Agreement | None, ready: bool) -> Item:
    """Met when the party has agreed; before that, says what it waits for."""
    who = "employer's L&D lead" if key == EMPLOYER else "provider's programme leader"
    if agreement is not None:
        why = f"Agreed by {agreement.by} on {_date(agreement.on)}"
        return Item(key, TITLES[key], True, why)
    if not ready:
        why = f"The {who} agrees once the modules, KSBs, hours and project are all met"
        return Item(key, TITLES[key], False, why)
    return Item(key, TITLES[key], False, f"Waiting for the {who} to agree")


def ready(items: Sequence[Item]) -> bool:
    """The first four items are met, so the employer and provider may agree."""
    return all(item.met for item in items if item.key in READINESS)


def checklist(facts: Facts) -> list[Item]:
    """The six items in order, each met or not with its why."""
    first = [
        modules_item(facts.modules),
        ksbs_item(facts.ksbs),
        hours_item(facts.required_hours, facts.verified_hours),
        project_item(facts.project_state, facts.project_submitted_on, facts.project_signed_off_on),
    ]
    all_ready = ready(first)
    return [
        *first,
        agreement_item(EMPLOYER, facts.employer, all_ready),
        agreement_item(PROVIDER, facts.provider, all_ready),
    ]


def passed(items: Sequence[Item]) -> bool:
    """Every item is met."""
    return bool(items) and all(item.met for item in items)
