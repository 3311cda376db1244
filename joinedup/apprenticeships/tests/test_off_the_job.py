"""The off-the-job log's rules through its service: who logs and checks, the date, hours and KSB
checks naming the field, the enrolment statuses that take time, editing and deleting only before
verification, a stale change losing to a verification, and the totals in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from joinedup.apprenticeships import off_the_job
from joinedup.apprenticeships.demo_data import BARNET
from joinedup.apprenticeships.models import (
    CheckState,
    Enrolment,
    EnrolmentStatus,
    FundingRoute,
    Ksb,
    KsbKind,
    OffTheJobEntry,
    Standard,
)
from joinedup.partnership.models import AuditEvent
from tests.access import apprenticeships_scene

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=120)


@pytest.fixture
def enrolment(world):
    """The own apprentice's active enrolment, started 120 days ago (tutor: practice_tutor)."""
    return apprenticeships_scene.enrolment(
        world,
        "own",
        status=EnrolmentStatus.ACTIVE,
        start_on=START,
        planned_end_on=START + dt.timedelta(days=730),
    )


@pytest.fixture
def ksb(enrolment) -> Ksb:
    return Ksb.objects.create(
        standard=enrolment.cohort.programme.standard,
        code="K91",
        kind=KsbKind.KNOWLEDGE,
        number=91,
        description="Leadership styles",
    )


def log(world, enrolment, persona="apprentice", **given):
    values = {
        "on": TODAY - dt.timedelta(days=1),
        "hours": Decimal("3.5"),
        "activity": "module_study",
        "ksb_ids": [],
        "reflection": "Read the first unit",
    }
    values.update(given)
    return off_the_job.log_entry(actor=world.actor(persona), enrolment=enrolment, **values)


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def test_the_apprentice_logs_time_linked_to_their_standards_ksbs(world, enrolment, ksb):
    entry = log(world, enrolment, ksb_ids=[ksb.pk])
    assert (entry.state, entry.hours, list(entry.ksbs.all())) == (
        CheckState.AWAITING,
        Decimal("3.5"),
        [ksb],
    )
    event = AuditEvent.objects.get(action="off_the_job.logged", object_id=str(entry.pk))
    assert event.changes["ksbs"] == [ksb.pk]
    assert "reflection" not in event.changes


def test_nobody_else_logs_time_for_the_apprentice(world, enrolment):
    for persona in ("practice_tutor", "own_line_manager", "own_ld_lead"):
        with pytest.raises(PermissionDenied):
            log(world, enrolment, persona=persona)
    assert not OffTheJobEntry.objects.filter(enrolment=enrolment).exists()


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({"on": TODAY + dt.timedelta(days=1)}, "on", "cannot be in the future"),
        ({"on": START - dt.timedelta(days=1)}, "on", "cannot be before the apprenticeship"),
        ({"hours": Decimal(0)}, "hours", "more than 0 and at most 24"),
        ({"hours": Decimal("24.01")}, "hours", "more than 0 and at most 24"),
        ({"hours": Decimal("1.005")}, "hours", "at most 2 decimal places"),
        ({"activity": "napping"}, "activity", "Choose the activity"),
        ({"reflection": "x" * 5001}, "reflection", "5000 characters"),
    ],
)
def test_bad_entries_are_refused_naming_the_field(world, enrolment, given, field, words):
    errors = refusal(lambda: log(world, enrolment, **given))
    assert words in " ".join(errors[field])


def test_a_ksb_of_another_standard_is_refused(world, enrolment, ksb):
    other = Standard.objects.exclude(pk=ksb.standard_id).first()
    foreign = Ksb.objects.create(
        standard=other, code="S99", kind=KsbKind.SKILL, number=99, description="Elsewhere"
    )
    errors = refusal(lambda: log(world, enrolment, ksb_ids=[ksb.pk, foreign.pk]))
    assert errors["ksbs"] == ["Choose only KSBs of the apprenticeship's standard"]


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (EnrolmentStatus.AWAITING_COMMITMENT, "has not started"),
        (EnrolmentStatus.AT_GATEWAY, "at the gateway"),
        (EnrolmentStatus.WITHDRAWN, "was withdrawn"),
        (EnrolmentStatus.COMPLETED, "is completed"),
    ],
)
def test_time_is_not_logged_before_the_start_or_after_the_practical_period(
    world, enrolment, status, words
):
    enrolment.status = status
    assert words in " ".join(refusal(lambda: log(world, enrolment))[""])


def test_on_a_break_only_days_before_the_break_are_logged(world, enrolment):
    enrolment.status = EnrolmentStatus.ON_BREAK
    enrolment.status_on = TODAY - dt.timedelta(days=10)
    errors = refusal(lambda: log(world, enrolment, on=TODAY - dt.timedelta(days=3)))
    assert "on a break from" in errors["on"][0]
    assert log(world, enrolment, on=TODAY - dt.timedelta(days=11)).pk


def test_editing_a_queried_entry_sends_it_back_to_the_tutor(world, enrolment):
    entry = log(world, enrolment)
    off_the_job.check_entry(
        actor=world.actor("practice_tutor"), entry=entry, decision="query", note="Which unit?"
    )
    off_the_job.edit_entry(
        actor=world.actor("apprentice"),
        entry=entry,
        on=entry.on,
        hours=Decimal(4),
        activity="module_study",
        ksb_ids=[],
        reflection="Unit 2: leading change",
    )
    entry.refresh_from_db()
    assert (entry.state, entry.hours, entry.reflection) == (
        CheckState.AWAITING,
        Decimal(4),
        "Unit 2: leading change",
    )


def test_a_verified_entry_is_neither_edited_nor_deleted(world, enrolment):
    entry = log(world, enrolment)
    off_the_job.check_entry(actor=world.actor("practice_tutor"), entry=entry, decision="accept")
    apprentice = world.actor("apprentice")
    with pytest.raises(ValidationError, match="verified"):
        off_the_job.delete_entry(actor=apprentice, entry=entry)
    with pytest.raises(ValidationError, match="verified"):
        off_the_job.edit_entry(
            actor=apprentice, entry=entry, on=entry.on, hours=Decimal(1), activity="other"
        )
    assert OffTheJobEntry.objects.get(pk=entry.pk).hours == Decimal("3.5")


def test_a_stale_change_loses_to_a_verification_made_meanwhile(world, enrolment):
    entry = log(world, enrolment)
    stale = OffTheJobEntry.objects.select_related("enrolment").get(pk=entry.pk)
    off_the_job.check_entry(actor=world.actor("practice_tutor"), entry=entry, decision="accept")
    apprentice = world.actor("apprentice")
    with pytest.raises(ValidationError, match="just been verified"):
        off_the_job.edit_entry(
            actor=apprentice, entry=stale, on=stale.on, hours=Decimal(9), activity="other"
        )
    with pytest.raises(ValidationError, match="just been verified"):
        off_the_job.delete_entry(actor=apprentice, entry=stale)
    assert OffTheJobEntry.objects.get(pk=entry.pk).state == CheckState.ACCEPTED


def test_the_apprentice_deletes_an_entry_awaiting_the_tutor(world, enrolment, ksb):
    entry = log(world, enrolment, ksb_ids=[ksb.pk])
    off_the_job.delete_entry(actor=world.actor("apprentice"), entry=entry)
    assert not OffTheJobEntry.objects.filter(enrolment=enrolment).exists()


def test_the_tutor_or_a_programme_leader_checks_and_a_query_needs_a_note(world, enrolment):
    first, second = log(world, enrolment), log(world, enrolment, hours=Decimal(2))
    tutor = world.actor("practice_tutor")
    assert refusal(lambda: off_the_job.check_entry(actor=tutor, entry=first, decision="query"))[
        "note"
    ] == ["Say what the apprentice should change or explain"]
    assert "decision" in refusal(
        lambda: off_the_job.check_entry(actor=tutor, entry=first, decision="maybe")
    )
    for persona in ("apprentice", "own_line_manager", "own_ld_lead"):
        with pytest.raises(PermissionDenied):
            off_the_job.check_entry(actor=world.actor(persona), entry=first, decision="accept")
    off_the_job.check_entry(actor=tutor, entry=first, decision="accept")
    off_the_job.check_entry(
        actor=world.actor("programme_leader"), entry=second, decision="query", note="Evidence?"
    )
    second.refresh_from_db()
    assert (second.state, second.tutor_note, second.checked_by) == (
        CheckState.QUERIED,
        "Evidence?",
        world.person("programme_leader"),
    )
    with pytest.raises(ValidationError, match="already been verified"):
        off_the_job.check_entry(actor=tutor, entry=first, decision="query", note="Undo")


def test_totals_count_every_entry_as_logged_and_accepted_ones_as_verified(
    world, enrolment, django_assert_num_queries
):
    accepted = log(world, enrolment, hours=Decimal("7.25"))
    queried = log(world, enrolment, hours=Decimal(2))
    log(world, enrolment, hours=Decimal(1))
    tutor = world.actor("practice_tutor")
    off_the_job.check_entry(actor=tutor, entry=accepted, decision="accept")
    off_the_job.check_entry(actor=tutor, entry=queried, decision="query", note="Which?")
    with django_assert_num_queries(1):
        hours = off_the_job.totals(enrolment)
    assert hours == off_the_job.Totals(
        required=Decimal(400),
        planned=Decimal(400),
        logged=Decimal("10.25"),
        verified=Decimal("7.25"),
    )
    assert not hours.met
    assert off_the_job.totals(apprenticeships_scene.enrolment(world, "partner")).logged == 0


def test_the_demo_gives_sam_verified_queried_and_awaiting_entries(demo):
    sam = Enrolment.objects.get(
        cohort__name="September 2026",
        funding_route=FundingRoute.LEVY,
        employer__official_code=BARNET,
    )
    states = list(sam.off_the_job.order_by("on", "id").values_list("state", flat=True))
    assert states == [CheckState.ACCEPTED] * 3 + [CheckState.QUERIED, CheckState.AWAITING]
    assert off_the_job.totals(sam).verified == Decimal(19)
