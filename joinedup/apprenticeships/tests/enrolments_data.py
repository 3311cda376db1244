"""A scene for the enrolment tests: the partner trust provides a Senior Leader cohort in the
standing partnership, with the `practice_tutor` persona named its tutor and `programme_leader`
its leader; the own organisation (Barnet) has a levy account. Statements and payments are
replaced by recorders (`fakes`), so these tests check the enrolment rules and the calls made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from joinedup.apprenticeships import enrolments
from joinedup.apprenticeships.models import (
    SIGNING_ORDER,
    CommitmentStatement,
    ProgrammeRole,
    ProgrammeStaff,
    Signature,
    Standard,
)
from joinedup.apprenticeships.tests.factories import CohortFactory, ProgrammeFactory
from joinedup.levy.models import LevyAccount

START = dt.date(2026, 9, 1)
END = dt.date(2028, 8, 31)
YOUNG = dt.date(2005, 3, 1)  # 21 at the start: the levy may pay under the Level 7 rule
OLDER = dt.date(1990, 3, 14)  # 36 at the start: privately funded under the Level 7 rule
OFF_THE_JOB = 400


class Recorder:
    """Stands in for `statements` and `payments`: remembers each call; `issue` makes a version."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def issue(self, enrolment, *, actor, reason):
        self.calls.append(("issue", enrolment.pk, reason))
        version = enrolment.commitment_statements.count() + 1
        return CommitmentStatement.objects.create(
            enrolment=enrolment,
            version=version,
            content={"reference": enrolment.reference},
            reason=reason,
        )

    def __getattr__(self, name: str):
        if name not in ("start", "pause", "resume", "stop", "complete", "move", "change_terms"):
            raise AttributeError(name)

        def hook(enrolment, **kwargs):
            if name == "change_terms":
                terms = (kwargs["price"], kwargs["planned_end_on"])
                self.calls.append((name, enrolment.pk, kwargs["on"], *terms))
            else:
                self.calls.append((name, enrolment.pk, kwargs.get("on")))

        return hook

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


@pytest.fixture(name="fakes")
def fakes_fixture(monkeypatch):
    statements, payments = Recorder(), Recorder()
    monkeypatch.setattr(enrolments, "_statements", lambda: statements)
    monkeypatch.setattr(enrolments, "_payments", lambda: payments)
    return statements, payments


@pytest.fixture(name="cohort")
def cohort_fixture(world):
    Standard.objects.filter(reference_code="ST0480").update(off_the_job_hours=OFF_THE_JOB)
    programme = ProgrammeFactory(
        partnership=world.partnership,
        provider=world.partner,
        created_by=world.person("programme_leader"),
    )
    for persona, role in (
        ("programme_leader", ProgrammeRole.LEADER),
        ("practice_tutor", ProgrammeRole.TUTOR),
    ):
        ProgrammeStaff.objects.create(programme=programme, person=world.person(persona), role=role)
    return CohortFactory(programme=programme, starts_on=START, ends_on=END)


@pytest.fixture(name="own_levy")
def own_levy_fixture(world):
    return LevyAccount.objects.create(organisation=world.own)


def enrol(world, cohort, *, persona="apprentice", born=YOUNG, **changes):
    """The own L&D lead enrols the persona (found by work e-mail) on the cohort."""
    actor = world.actor("own_ld_lead")
    values = {
        "actor": actor,
        "cohort": cohort,
        "employment": enrolments.find_apprentice(actor, world.person(persona).email),
        "line_manager": None,
        "practice_tutor": world.person("practice_tutor"),
        "start_on": START,
        "planned_end_on": END,
        "price": Decimal(14000),
        "hours_per_week": Decimal(37),
        "date_of_birth": born,
        "care_leaver": False,
        "ehc_plan": False,
        "levy_account": enrolments.employer_account(world.own),
        "transfer_from": None,
    }
    values.update(changes)
    return enrolments.enrol(**values)


def sign_all(world, enrolment) -> None:
    """All three sign the latest version (rows written directly: the statements are faked)."""
    latest = enrolment.commitment_statements.order_by("-version").first()
    people = {"apprentice": enrolment.apprentice, "employer": world.person("own_ld_lead")}
    for party in SIGNING_ORDER:
        Signature.objects.create(
            statement=latest,
            party=party,
            person=people.get(party, world.person("programme_leader")),
        )


def activated(world, cohort, **changes):
    """An enrolment whose statement all three signed, made active."""
    made = enrol(world, cohort, **changes)
    sign_all(world, made)
    return enrolments.activate(made, actor=world.actor("programme_leader"), on=START)
