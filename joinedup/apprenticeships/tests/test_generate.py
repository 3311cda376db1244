"""Synthetic apprenticeships for benchmarks (`generate.generate_apprenticeships`), small size."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from joinedup.apprenticeships import access
from joinedup.apprenticeships.generate import (
    PROGRAMMES,
    generate_apprenticeships,
    intakes,
)
from joinedup.apprenticeships.models import (
    SIGNING_ORDER,
    Cohort,
    CommitmentStatement,
    Enrolment,
    EnrolmentStatus,
    FundingRoute,
    Programme,
    ProgrammeRole,
    ProgrammeStaff,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused, generate
from joinedup.partnership.models import (
    Employment,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
)

TODAY = dt.date(2026, 12, 1)
ENROLMENTS = 150


@pytest.fixture
def generated(db):
    generate(people=400, organisations=5, largest=120, progress=False)
    return generate_apprenticeships(enrolments=ENROLMENTS, today=TODAY, progress=False)


def enrolments():
    return Enrolment.objects.select_related(
        "cohort__programme__partnership", "cohort__programme__standard", "employment"
    )


def test_counts_and_the_largest_employers_share(generated):
    assert generated.enrolments == Enrolment.objects.count() == ENROLMENTS
    assert generated.programmes == Programme.objects.count() == len(PROGRAMMES)
    assert generated.cohorts == Cohort.objects.count() == len(PROGRAMMES) * len(intakes(TODAY))
    assert generated.statements == CommitmentStatement.objects.count() >= ENROLMENTS
    largest = (
        Organisation.objects.filter(memberships__partnership__name=SCALE_PARTNERSHIP)
        .order_by("-headcount", "pk")
        .first()
    )
    assert Enrolment.objects.filter(employer=largest).count() == ENROLMENTS // 5
    employers = set(Enrolment.objects.values_list("employer_id", flat=True))
    assert len(employers) == 5 and generated.provider.pk not in employers
    codes = set(Programme.objects.values_list("standard__reference_code", flat=True))
    assert "ST0480" in codes and codes == {spec[0] for spec in PROGRAMMES}
    assert Programme.objects.get(standard__reference_code="ST0480").modules.count() == 6


def test_every_enrolment_is_consistent(generated):
    partnership = Programme.objects.first().partnership
    members = set(
        partnership.memberships.filter(left_on__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )
    tutors = set(
        ProgrammeStaff.objects.filter(role=ProgrammeRole.TUTOR).values_list(
            "programme_id", "person_id"
        )
    )
    current = set(Employment.objects.current(TODAY).values_list("pk", flat=True))
    apprentices = Counter()
    for e in enrolments():
        programme = e.cohort.programme
        assert programme.partnership_id == partnership.pk
        assert programme.provider_id == generated.provider.pk
        assert e.employer_id in members and e.employer_id != generated.provider.pk
        assert e.employment.organisation_id == e.employer_id
        assert e.employment.person_id == e.apprentice_id
        assert e.employment_id in current
        assert (programme.pk, e.practice_tutor_id) in tutors
        assert e.line_manager_id not in (None, e.apprentice_id)
        assert e.start_on >= e.cohort.starts_on and e.planned_end_on > e.start_on
        assert e.planned_off_the_job_hours >= e.required_off_the_job_hours > 0
        assert e.created_at.date() <= min(e.start_on, TODAY)
        apprentices[e.apprentice_id] += 1
    assert max(apprentices.values()) == 1


def test_status_is_the_latest_of_a_dated_history(generated):
    statuses = Counter()
    for e in Enrolment.objects.prefetch_related("history"):
        steps = list(e.history.all())
        assert steps[0].status == EnrolmentStatus.AWAITING_COMMITMENT
        assert [s.effective_on for s in steps] == sorted(s.effective_on for s in steps)
        assert steps[-1].status == e.status and steps[-1].effective_on == e.status_on
        assert e.status_on <= TODAY
        if e.start_on > TODAY:
            assert e.status == EnrolmentStatus.AWAITING_COMMITMENT
        statuses[e.status] += 1
    assert statuses[EnrolmentStatus.ACTIVE] and statuses[EnrolmentStatus.COMPLETED]
    assert statuses[EnrolmentStatus.AWAITING_COMMITMENT]


def test_statements_are_signed_in_turn_before_anything_starts(generated):
    leads = dict(
        OrganisationRoleGrant.objects.filter(role=OrganisationRole.LD_LEAD).values_list(
            "organisation_id", "person_id"
        )
    )
    for e in Enrolment.objects.prefetch_related("commitment_statements__signatures"):
        versions = sorted(e.commitment_statements.all(), key=lambda s: s.version)
        assert [s.version for s in versions] == list(range(1, len(versions) + 1))
        latest = versions[-1]
        for statement in versions:
            signatures = sorted(statement.signatures.all(), key=lambda s: s.signed_at)
            assert [s.party for s in signatures] == list(SIGNING_ORDER[: len(signatures)])
            people = [s.person_id for s in signatures]
            assert (
                people
                == [e.apprentice_id, leads[e.employer_id], generated.leader.pk][: len(signatures)]
            )
            assert (statement.fully_signed_at is not None) == (len(signatures) == 3)
            assert all(s.signed_at.date() <= TODAY for s in signatures)
        if e.status != EnrolmentStatus.AWAITING_COMMITMENT:
            assert latest.fully_signed_at is not None
            assert versions[0].fully_signed_at.date() <= e.start_on
        else:
            assert latest.fully_signed_at is None


def test_funding_follows_the_level_7_rule_and_the_levy_accounts(generated):
    for e in enrolments():
        level_7_late = e.cohort.programme.standard.level == 7 and e.start_on >= dt.date(2026, 1, 1)
        if e.funding_route == FundingRoute.PRIVATE:
            assert level_7_late
            assert e.funding_reason == "Not eligible for levy funding under the Level 7 rule"
            assert "Aged" in e.eligibility_reason
        assert (e.levy_account_id is not None) == (e.funding_route == FundingRoute.LEVY)
        assert (e.transfer_from_id is not None) == (e.funding_route == FundingRoute.TRANSFER)
        assert "Aged" not in e.funding_reason


def test_the_access_rules_list_them_for_the_provider_and_each_employer(generated):
    leader = Actor(person=generated.leader, organisation=generated.provider)
    assert access.provider_enrolments(leader).count() == ENROLMENTS
    for grant in OrganisationRoleGrant.objects.filter(role=OrganisationRole.LD_LEAD).exclude(
        organisation=generated.provider
    ):
        lead = Actor(person=grant.person, organisation=grant.organisation)
        mine = access.employer_enrolments(lead, grant.organisation)
        assert mine.count() == Enrolment.objects.filter(employer=grant.organisation).count()


def test_the_same_seed_gives_the_same_data(db):
    generate(people=400, organisations=5, largest=120, progress=False)

    def fingerprint():
        return list(
            Enrolment.objects.order_by("reference").values_list(
                "reference", "apprentice_id", "employer_id", "cohort__name",
                "cohort__programme__standard__reference_code", "status", "funding_route",
                "price", "planned_off_the_job_hours",
            )
        )  # fmt: skip

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        generate_apprenticeships(enrolments=60, today=TODAY, progress=False)
        first = fingerprint()
        raise Rollback
    generate_apprenticeships(enrolments=60, today=TODAY, progress=False)
    assert fingerprint() == first and len(first) == 60


def test_it_refuses_a_second_run(generated):
    with pytest.raises(GenerateRefused, match="already has"):
        generate_apprenticeships(enrolments=10, today=TODAY, progress=False)


def test_it_refuses_more_apprentices_than_staff(db):
    generate(people=40, organisations=2, largest=20, progress=False)
    with pytest.raises(GenerateRefused, match="Generate more people"):
        generate_apprenticeships(enrolments=200, today=TODAY, progress=False)


def test_the_command_says_why_it_refuses(db):
    with pytest.raises(CommandError, match="Generate people first"):
        call_command("generate_apprenticeships", enrolments=5, stdout=io.StringIO())


def test_the_command_adds_them(db):
    generate(people=200, organisations=3, largest=60, progress=False)
    out = io.StringIO()
    call_command("generate_apprenticeships", enrolments=30, verbosity=0, stdout=out)
    assert "30 enrolments" in out.getvalue() and Enrolment.objects.count() == 30
