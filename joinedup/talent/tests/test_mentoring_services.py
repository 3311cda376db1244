"""Mentoring services: sign-ups, the lead's matching (run, publish, discard), meetings and the
end of a pairing, with their rules, refusals and audit entries (talent/mentoring_services.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from joinedup.partnership.models import AuditEvent
from joinedup.talent import mentoring_services as services
from joinedup.talent.models import (
    MatchingRunStatus,
    MentoringPair,
    PairStatus,
    SkillStatus,
)

from .mentoring_data import lead_actor, mentee, mentor, person_at


@pytest.fixture
def lead(world):
    return lead_actor(world)


def test_a_mentor_signs_up_for_their_acting_organisation_with_skills_resolved(world):
    actor = world.actor("partner_staff")
    signup = mentor(actor, skills="Budgeting,  budgeting, Leading teams", capacity="3")
    assert signup.organisation == world.partner and signup.partnership == world.partnership
    assert signup.capacity == 3
    assert sorted(signup.skills.values_list("name", flat=True)) == ["Budgeting", "Leading teams"]
    assert set(signup.skills.values_list("status", flat=True)) == {SkillStatus.FREE}
    event = AuditEvent.objects.get(action="mentoring.signed_up")
    assert event.changes["capacity"] == 3 and event.object_id == str(signup.pk)


@pytest.mark.parametrize(
    ("role", "fields", "field", "message"),
    [
        ("mentor", {"skills": ""}, "skills", "Enter at least one skill you can offer"),
        ("mentor", {"skills": "A", "capacity": "11"}, "capacity", "from 1 to 10"),
        ("mentor", {"skills": "A", "capacity": "two"}, "capacity", "whole number"),
        ("mentee", {"aspirations": ""}, "aspirations", "Enter what you want to grow"),
        ("mentee", {"aspirations": "x" * 2_001}, "aspirations", "2,000 characters"),
        ("mentee", {"aspirations": "a", "skills": ["x" * 101]}, "skills", "100 characters"),
        ("boss", {}, "role", "Choose mentor or mentee"),
    ],
)
def test_bad_sign_ups_are_refused_naming_the_field(world, role, fields, field, message):
    with pytest.raises(ValidationError) as error:
        services.sign_up(actor=world.actor("own_staff"), role=role, **fields)
    assert message in " ".join(error.value.message_dict[field])


def test_one_active_sign_up_per_role_and_a_withdrawn_one_may_be_renewed(world):
    actor = world.actor("own_staff")
    first = mentee(actor)
    with pytest.raises(ValidationError) as error:
        mentee(actor)
    assert "already signed up" in error.value.message_dict["role"][0]
    services.withdraw(actor=actor, signup=first)
    assert AuditEvent.objects.filter(action="mentoring.withdrawn").count() == 1
    with pytest.raises(ValidationError):
        services.withdraw(actor=actor, signup=first)
    assert mentee(actor).active


def test_only_the_person_withdraws_their_sign_up(world):
    signup = mentee(world.actor("own_staff"))
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=world.actor("own_admin"), signup=signup)


def test_only_the_mentoring_lead_runs_a_matching(world):
    with pytest.raises(PermissionDenied):
        services.run_matching(actor=world.actor("partnership_lead"), partnership=world.partnership)


def test_the_lead_matches_a_mentee_to_the_mentor_of_the_skill_they_want_in_another_sector(
    world, lead
):
    wanted = mentor(person_at(world.partner, "Hana Health"), skills="Budgeting")
    mentor(person_at(world.own, "Carl Council"), skills="Gardening")
    colleague = mentor(person_at(world.icb, "Ivy Icb"), skills="Budgeting")
    seeker = mentee(world.actor("own_staff"), wants="budgeting; presenting")
    # The mentee's colleague at the council (same organisation) is never proposed.
    matching = services.run_matching(actor=lead, partnership=world.partnership)
    pair = matching.pairs.get()
    assert (pair.mentee, pair.mentor) == (seeker, wanted)
    assert pair.status == PairStatus.PROPOSED
    # Budgeting wanted (3) + another sector (2) + both asked for one (2).
    assert pair.fit == 7 and matching.total_fit == 7
    assert pair.reasons[0] == "Has skills the mentee wants to grow: Budgeting"
    assert "Different sectors: Local government and Health" in pair.reasons
    assert colleague.pk != pair.mentor_id
    event = AuditEvent.objects.get(action="mentoring.matching_run")
    assert event.changes == {
        "mentees": 1,
        "mentors": 3,
        "pairs": 1,
        "unmatched": 0,
        "total_fit": 7,
    }


def test_mentoring_never_pairs_two_people_of_one_organisation(world, lead):
    mentor(person_at(world.own, "Carl Council"), skills="Budgeting", capacity=5)
    mentee(world.actor("own_staff"))
    mentee(world.actor("own_admin"))
    matching = services.run_matching(actor=lead, partnership=world.partnership)
    assert not matching.pairs.exists()
    assert matching.unmatched_mentees == 2


def _paired(world, lead, django_capture_on_commit_callbacks):
    guide = mentor(person_at(world.partner, "Hana Health"), capacity=2)
    seeker = mentee(world.actor("own_staff"))
    matching = services.run_matching(actor=lead, partnership=world.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_matching(actor=lead, matching=matching)
    return guide, seeker, matching


def test_publishing_makes_pairs_active_and_tells_both_people(
    world, lead, django_capture_on_commit_callbacks
):
    guide, seeker, matching = _paired(world, lead, django_capture_on_commit_callbacks)
    matching.refresh_from_db()
    assert matching.status == MatchingRunStatus.PUBLISHED and matching.published_at
    assert matching.pairs.get().status == PairStatus.ACTIVE
    told = sorted(message.to[0] for message in mail.outbox)
    assert told == sorted([guide.person.email, seeker.person.email])
    to_mentee = next(m for m in mail.outbox if m.to == [seeker.person.email])
    assert "Hana Health" in to_mentee.body and "/talent/mentoring/pairs/" in to_mentee.body
    assert AuditEvent.objects.filter(action="mentoring.matching_published").count() == 1
    with pytest.raises(ValidationError):
        services.publish_matching(actor=lead, matching=matching)


def test_signups_in_active_pairs_are_not_matched_again_and_capacity_is_what_is_left(
    world, lead, django_capture_on_commit_callbacks
):
    guide, seeker, _ = _paired(world, lead, django_capture_on_commit_callbacks)
    second = mentee(world.actor("own_admin"))
    third = mentee(world.actor("own_ld_lead"))
    matching = services.run_matching(actor=lead, partnership=world.partnership)
    # The mentor takes two: one place is taken by the active pair, so one more mentee.
    pairs = list(matching.pairs.all())
    assert len(pairs) == 1 and pairs[0].mentor == guide
    assert pairs[0].mentee in (second, third) and matching.unmatched_mentees == 1


def test_a_draft_is_refused_when_sign_ups_changed_and_can_be_discarded(world, lead):
    mentor(person_at(world.partner, "Hana Health"))
    seeker = mentee(world.actor("own_staff"))
    matching = services.run_matching(actor=lead, partnership=world.partnership)
    services.withdraw(actor=world.actor("own_staff"), signup=seeker)
    with pytest.raises(ValidationError) as error:
        services.publish_matching(actor=lead, matching=matching)
    assert "run the matching again" in error.value.messages[0]
    matching.refresh_from_db()
    assert matching.status == MatchingRunStatus.DRAFT
    services.discard_matching(actor=lead, matching=matching)
    matching.refresh_from_db()
    assert matching.status == MatchingRunStatus.DISCARDED
    with pytest.raises(ValidationError):
        services.discard_matching(actor=lead, matching=matching)


def test_either_member_logs_meetings_and_ends_the_pairing_and_they_are_not_paired_again(
    world, lead, django_capture_on_commit_callbacks
):
    guide, seeker, matching = _paired(world, lead, django_capture_on_commit_callbacks)
    pair = matching.pairs.get()
    today = timezone.localdate()
    services.log_meeting(actor=world.actor("own_staff"), pair=pair, met_on=today, minutes="45")
    guide_actor = type(lead)(person=guide.person, organisation=world.partner)
    services.log_meeting(actor=guide_actor, pair=pair, met_on=today.isoformat(), minutes=30)
    assert pair.meetings.count() == 2
    with pytest.raises(PermissionDenied):
        services.log_meeting(actor=lead, pair=pair, met_on=today, minutes=30)
    with pytest.raises(ValidationError) as error:
        services.log_meeting(
            actor=guide_actor, pair=pair, met_on=today + dt.timedelta(days=1), minutes=0
        )
    assert set(error.value.message_dict) == {"met_on", "minutes"}
    with pytest.raises(ValidationError) as error:
        services.end_pairing(actor=guide_actor, pair=pair, reason=" ")
    assert "end_reason" in error.value.message_dict
    services.end_pairing(actor=guide_actor, pair=pair, reason="Goals met")
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED and pair.end_reason == "Goals met"
    with pytest.raises(ValidationError):
        services.log_meeting(actor=guide_actor, pair=pair, met_on=today, minutes=30)
    assert AuditEvent.objects.filter(action="mentoring.meeting_logged").count() == 2
    assert AuditEvent.objects.filter(action="mentoring.pair_ended").count() == 1
    # The mentee waits again, but not for the same mentor.
    again = services.run_matching(actor=lead, partnership=world.partnership)
    assert not again.pairs.exists() and again.unmatched_mentees == 1
    assert MentoringPair.objects.filter(status=PairStatus.ACTIVE).count() == 0


def test_running_a_matching_asks_as_many_queries_for_twelve_sign_ups_as_for_two(world, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from joinedup.partnership.access import forget

    organisations = [world.own, world.partner, world.icb]

    def sign_up_some(count: int, start: int) -> None:
        for number in range(start, start + count):
            home = organisations[number % 3]
            mentor(
                person_at(home, f"Mentor M{number}"), skills=f"Skill {number % 2 + 1}", capacity=2
            )
            mentee(person_at(organisations[(number + 1) % 3], f"Mentee E{number}"), wants="Skill 1")

    sign_up_some(1, 0)
    forget(lead)
    with CaptureQueriesContext(connection) as small:
        services.run_matching(actor=lead, partnership=world.partnership)
    sign_up_some(5, 1)
    forget(lead)  # the lead's roles are read once per request: read them again, as then
    with CaptureQueriesContext(connection) as large:
        found = services.run_matching(actor=lead, partnership=world.partnership)
    assert found.pairs.count() == 6
    assert len(large) == len(small)
