"""Rotation scheme services: cohorts and rounds, posts, rankings, matching, publishing, placing
by hand, and the eligibility rules applied on real data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, OrganisationKind, OrganisationRole
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
)
from joinedup.talent import rotations
from joinedup.talent.models import Placement, RoundStatus


@pytest.fixture
def scheme(world):
    return rotations.create_scheme(
        actor=world.actor("partnership_lead"),
        name="Leaders of tomorrow",
        rounds=3,
        placement_months=8,
    )


@pytest.fixture
def cohort(world, scheme):
    cohort = rotations.create_cohort(
        actor=world.actor("partnership_lead"),
        scheme=scheme,
        name="2027",
        starts_on=dt.date(2027, 1, 31),
    )
    for email in ("sam.staff@barnet.test", "pat.staff@lnwh.test"):
        rotations.add_participant(actor=world.actor("partnership_lead"), cohort=cohort, email=email)
    return cohort


def participant(cohort, email):
    return cohort.participants.get(person__email=email)


def first_round(cohort):
    return cohort.rotation_rounds.get(number=1)


def test_a_cohort_gets_its_rounds_back_to_back_from_its_start(cohort):
    dates = list(cohort.rotation_rounds.values_list("number", "starts_on", "ends_on"))
    assert dates == [
        (1, dt.date(2027, 1, 31), dt.date(2027, 9, 29)),
        (2, dt.date(2027, 9, 30), dt.date(2028, 5, 30)),
        (3, dt.date(2028, 5, 31), dt.date(2029, 1, 30)),
    ]
    assert AuditEvent.objects.filter(action="rotation_cohort.created").count() == 1


def test_only_the_partnership_lead_creates_schemes_and_cohorts(world, scheme):
    with pytest.raises(PermissionDenied):
        rotations.create_scheme(actor=world.actor("own_admin"), name="Mine")
    with pytest.raises(PermissionDenied):
        rotations.create_cohort(
            actor=world.actor("own_admin"), scheme=scheme, name="X", starts_on=dt.date(2027, 1, 1)
        )


def test_bad_scheme_input_names_each_field(world):
    with pytest.raises(ValidationError) as caught:
        rotations.create_scheme(
            actor=world.actor("partnership_lead"), name="", rounds="many", placement_months=0
        )
    assert set(caught.value.message_dict) == {"name", "rounds", "placement_months"}


def test_participants_are_people_working_at_a_member_organisation(world, cohort):
    home = participant(cohort, "sam.staff@barnet.test").home_organisation
    assert home == world.own
    with pytest.raises(ValidationError) as caught:
        rotations.add_participant(
            actor=world.actor("partnership_lead"),
            cohort=cohort,
            email="oscar.outsider@manchester.test",
        )
    assert "email" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        rotations.add_participant(
            actor=world.actor("partnership_lead"), cohort=cohort, email="sam.staff@barnet.test"
        )
    assert "already" in caught.value.message_dict["email"][0]


def offer(world, persona, rotation_round, title, capacity=1):
    return rotations.add_post(
        actor=world.actor(persona), rotation_round=rotation_round, title=title, capacity=capacity
    )


def test_a_participant_may_not_rank_a_post_at_their_home_organisation(world, cohort):
    round_one = first_round(cohort)
    at_home = offer(world, "own_ld_lead", round_one, "Policy officer")
    away = offer(world, "partner_ld_lead", round_one, "Service improvement")
    sam = participant(cohort, "sam.staff@barnet.test")
    assert rotations.eligible_posts(sam, round_one) == [away]
    with pytest.raises(ValidationError) as caught:
        rotations.set_preferences(
            actor=world.actor("own_staff"),
            participant=sam,
            rotation_round=round_one,
            post_ids=[at_home.pk],
        )
    assert "posts" in caught.value.message_dict


def test_only_the_participant_ranks_their_posts(world, cohort):
    round_one = first_round(cohort)
    away = offer(world, "partner_ld_lead", round_one, "Service improvement")
    with pytest.raises(PermissionDenied):
        rotations.set_preferences(
            actor=world.actor("own_line_manager"),
            participant=participant(cohort, "sam.staff@barnet.test"),
            rotation_round=round_one,
            post_ids=[away.pk],
        )


def test_only_the_posts_host_ranks_participants_for_it(world, cohort):
    post = offer(world, "partner_ld_lead", first_round(cohort), "Service improvement")
    sam = participant(cohort, "sam.staff@barnet.test")
    with pytest.raises(PermissionDenied):
        rotations.set_host_ranking(actor=world.actor("own_ld_lead"), post=post, participant_ids=[])
    with pytest.raises(ValidationError):
        # Pat works for the host: not eligible for its post.
        rotations.set_host_ranking(
            actor=world.actor("partner_ld_lead"),
            post=post,
            participant_ids=[participant(cohort, "pat.staff@lnwh.test").pk],
        )
    rotations.set_host_ranking(
        actor=world.actor("partner_admin"), post=post, participant_ids=[sam.pk]
    )
    assert rotations.host_ranking(post) == [sam]


def test_the_matching_places_participants_stably_and_only_in_eligible_posts(world, cohort):
    round_one = first_round(cohort)
    council = offer(world, "own_ld_lead", round_one, "Policy officer")
    trust = offer(world, "partner_ld_lead", round_one, "Service improvement")
    sam = participant(cohort, "sam.staff@barnet.test")
    pat = participant(cohort, "pat.staff@lnwh.test")
    rotations.set_preferences(
        actor=world.actor("own_staff"),
        participant=sam,
        rotation_round=round_one,
        post_ids=[trust.pk],
    )
    rotations.set_preferences(
        actor=world.actor("partner_staff"),
        participant=pat,
        rotation_round=round_one,
        post_ids=[council.pk],
    )
    summary = rotations.run_matching(
        actor=world.actor("partnership_lead"), rotation_round=round_one
    )
    assert summary == {"matched": 2, "unmatched": 0, "replaced": 0}
    placed = dict(Placement.objects.values_list("participant_id", "post_id"))
    assert placed == {sam.pk: trust.pk, pat.pk: council.pk}
    round_one.refresh_from_db()
    assert round_one.status == RoundStatus.MATCHED


def test_running_the_matching_again_replaces_the_unpublished_result(world, cohort):
    round_one = first_round(cohort)
    trust = offer(world, "partner_ld_lead", round_one, "Service improvement")
    sam = participant(cohort, "sam.staff@barnet.test")
    lead = world.actor("partnership_lead")
    rotations.run_matching(actor=lead, rotation_round=round_one)
    assert not Placement.objects.exists()
    rotations.place_by_hand(
        actor=lead,
        rotation_round=round_one,
        participant_id=sam.pk,
        post_id=trust.pk,
        reason="Ranked late",
    )
    summary = rotations.run_matching(actor=lead, rotation_round=round_one)
    assert summary["replaced"] == 1
    assert not Placement.objects.exists()
    assert AuditEvent.objects.filter(action="rotation_round.matched").count() == 2


def test_only_the_lead_runs_and_publishes_and_a_round_is_matched_before_publishing(world, cohort):
    round_one = first_round(cohort)
    with pytest.raises(PermissionDenied):
        rotations.run_matching(actor=world.actor("own_admin"), rotation_round=round_one)
    with pytest.raises(ValidationError):
        rotations.publish_round(actor=world.actor("partnership_lead"), rotation_round=round_one)


def test_publishing_tells_participants_and_hosts_and_closes_the_round(
    world, cohort, django_capture_on_commit_callbacks
):
    round_one = first_round(cohort)
    trust = offer(world, "partner_ld_lead", round_one, "Service improvement")
    sam = participant(cohort, "sam.staff@barnet.test")
    rotations.set_preferences(
        actor=world.actor("own_staff"),
        participant=sam,
        rotation_round=round_one,
        post_ids=[trust.pk],
    )
    lead = world.actor("partnership_lead")
    rotations.run_matching(actor=lead, rotation_round=round_one)
    with django_capture_on_commit_callbacks(execute=True):
        rotations.publish_round(actor=lead, rotation_round=round_one)
    recipients = {message.to[0]: message for message in mail.outbox}
    assert "Service improvement" in recipients["sam.staff@barnet.test"].body
    assert "not found you a post" in recipients["pat.staff@lnwh.test"].body
    assert {"pia.learning@lnwh.test", "pam.admin@lnwh.test"} <= set(recipients)
    with pytest.raises(ValidationError):
        rotations.run_matching(actor=lead, rotation_round=round_one)
    with pytest.raises(ValidationError):
        offer(world, "own_ld_lead", round_one, "Too late")


def test_placing_by_hand_needs_a_free_eligible_place_and_a_reason(
    world, cohort, django_capture_on_commit_callbacks
):
    round_one = first_round(cohort)
    council = offer(world, "own_ld_lead", round_one, "Policy officer")
    trust = offer(world, "partner_ld_lead", round_one, "Service improvement")
    sam = participant(cohort, "sam.staff@barnet.test")
    pat = participant(cohort, "pat.staff@lnwh.test")
    lead = world.actor("partnership_lead")
    with pytest.raises(ValidationError):
        rotations.place_by_hand(
            actor=lead,
            rotation_round=round_one,
            participant_id=sam.pk,
            post_id=trust.pk,
            reason="x",
        )
    rotations.run_matching(actor=lead, rotation_round=round_one)
    rotations.publish_round(actor=lead, rotation_round=round_one)
    with pytest.raises(ValidationError) as caught:
        rotations.place_by_hand(
            actor=lead,
            rotation_round=round_one,
            participant_id=sam.pk,
            post_id=council.pk,
            reason="",
        )
    assert set(caught.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as caught:
        rotations.place_by_hand(
            actor=lead,
            rotation_round=round_one,
            participant_id=sam.pk,
            post_id=council.pk,
            reason="x",
        )
    assert "home organisation" in caught.value.message_dict["post"][0]
    with django_capture_on_commit_callbacks(execute=True):
        placement = rotations.place_by_hand(
            actor=lead,
            rotation_round=round_one,
            participant_id=sam.pk,
            post_id=trust.pk,
            reason="Missed the deadline",
        )
    assert placement.manual and placement.reason == "Missed the deadline"
    assert any(message.to == ["sam.staff@barnet.test"] for message in mail.outbox)
    event = AuditEvent.objects.get(action="rotation_placement.placed_by_hand")
    assert event.changes == {"round": round_one.pk, "participant": sam.pk, "post": trust.pk}
    # Pat works for the trust: its post is at Pat's home organisation.
    with pytest.raises(ValidationError) as caught:
        rotations.place_by_hand(
            actor=lead,
            rotation_round=round_one,
            participant_id=pat.pk,
            post_id=trust.pk,
            reason="x",
        )
    assert "post" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        rotations.place_by_hand(
            actor=lead,
            rotation_round=round_one,
            participant_id=sam.pk,
            post_id=trust.pk,
            reason="x",
        )
    assert "already has a placement" in caught.value.message_dict["participant"][0]


def test_a_full_post_takes_no_one_by_hand(world, cohort):
    round_one = first_round(cohort)
    icb_post = rotations.add_post(
        actor=_icb_host(world), rotation_round=round_one, title="Commissioning", capacity=1
    )
    sam = participant(cohort, "sam.staff@barnet.test")
    pat = participant(cohort, "pat.staff@lnwh.test")
    lead = world.actor("partnership_lead")
    rotations.run_matching(actor=lead, rotation_round=round_one)
    rotations.place_by_hand(
        actor=lead, rotation_round=round_one, participant_id=sam.pk, post_id=icb_post.pk, reason="x"
    )
    with pytest.raises(ValidationError) as caught:
        rotations.place_by_hand(
            actor=lead,
            rotation_round=round_one,
            participant_id=pat.pk,
            post_id=icb_post.pk,
            reason="x",
        )
    assert "no free place" in caught.value.message_dict["post"][0]


def _icb_host(world):
    OrganisationRoleFactory(
        person=world.partnership_lead, organisation=world.icb, role=OrganisationRole.LD_LEAD
    )
    return world.actor("partnership_lead")


def test_the_last_round_refuses_a_third_placement_in_the_same_sector(world, cohort):
    """Sam (a council) has two health placements; in round 3 another health post is refused."""
    lead = world.actor("partnership_lead")
    sam = participant(cohort, "sam.staff@barnet.test")
    rounds = list(cohort.rotation_rounds.order_by("number"))
    trusts = []
    for index, name in enumerate(("North trust", "South trust", "East trust")):
        trust = OrganisationFactory(name=name, kind=OrganisationKind.NHS_TRUST)
        MembershipFactory(partnership=world.partnership, organisation=trust)
        lead_there = EmploymentFactory(organisation=trust, person__email=f"ld{index}@trust.test")
        OrganisationRoleFactory(
            person=lead_there.person, organisation=trust, role=OrganisationRole.LD_LEAD
        )
        trusts.append((trust, lead_there.person))
    posts = []
    for rotation_round, (trust, host) in zip(rounds, trusts, strict=True):
        posts.append(
            rotations.add_post(
                actor=Actor(person=host, organisation=trust),
                rotation_round=rotation_round,
                title=f"Post at {trust.name}",
            )
        )
    for rotation_round, post in zip(rounds[:2], posts[:2], strict=True):
        rotations.set_preferences(
            actor=world.actor("own_staff"),
            participant=sam,
            rotation_round=rotation_round,
            post_ids=[post.pk],
        )
        rotations.run_matching(actor=lead, rotation_round=rotation_round)
        rotations.publish_round(actor=lead, rotation_round=rotation_round)
    assert Placement.objects.filter(participant=sam).count() == 2
    assert rotations.eligible_posts(sam, rounds[2]) == []
    assert "two sectors" in rotations.eligibility_refusal(sam, posts[2])
    periods = list(rotations.published_placement_periods(people=[sam.person_id]))
    assert [(row["sector"], row["starts_on"]) for row in periods] == [
        ("health", dt.date(2027, 1, 31)),
        ("health", dt.date(2027, 9, 30)),
    ]


def test_the_hosts_ranking_decides_between_two_participants_for_one_place(world, cohort):
    round_one = first_round(cohort)
    icb_post = rotations.add_post(
        actor=_icb_host(world), rotation_round=round_one, title="Commissioning", capacity=1
    )
    sam = participant(cohort, "sam.staff@barnet.test")
    pat = participant(cohort, "pat.staff@lnwh.test")
    for persona, who in (("own_staff", sam), ("partner_staff", pat)):
        rotations.set_preferences(
            actor=world.actor(persona),
            participant=who,
            rotation_round=round_one,
            post_ids=[icb_post.pk],
        )
    # Unranked, the host takes whoever asks in the order they joined: Sam.
    data = rotations.matching_input(round_one)
    assert data.posts[str(icb_post.pk)] == [str(sam.pk), str(pat.pk)]
    rotations.set_host_ranking(
        actor=world.actor("partnership_lead"), post=icb_post, participant_ids=[pat.pk]
    )
    # Ranked: Pat first, then Sam (who asked but was not ranked).
    data = rotations.matching_input(round_one)
    assert data.posts[str(icb_post.pk)] == [str(pat.pk), str(sam.pk)]
    rotations.run_matching(actor=world.actor("partnership_lead"), rotation_round=round_one)
    assert list(Placement.objects.values_list("participant_id", flat=True)) == [pat.pk]
    assert list(rotations.unplaced(round_one)) == [sam]


def test_a_preference_that_became_ineligible_is_left_out_of_the_matching(world, cohort):
    """Sam ranked the trust's post in round 2, then was placed at the trust in round 1: the
    matching of round 2 must not place Sam there again."""
    lead = world.actor("partnership_lead")
    round_one, round_two = cohort.rotation_rounds.order_by("number")[:2]
    sam = participant(cohort, "sam.staff@barnet.test")
    later = offer(world, "partner_ld_lead", round_two, "Workforce planning")
    rotations.set_preferences(
        actor=world.actor("own_staff"),
        participant=sam,
        rotation_round=round_two,
        post_ids=[later.pk],
    )
    now = offer(world, "partner_ld_lead", round_one, "Service improvement")
    rotations.run_matching(actor=lead, rotation_round=round_one)
    rotations.place_by_hand(
        actor=lead, rotation_round=round_one, participant_id=sam.pk, post_id=now.pk, reason="x"
    )
    assert rotations.matching_input(round_two).applicants[str(sam.pk)] == []
    summary = rotations.run_matching(actor=lead, rotation_round=round_two)
    assert summary["matched"] == 0
    assert not Placement.objects.filter(round=round_two).exists()
