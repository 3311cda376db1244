"""Mentoring pages through HTTP: signing up (bad input named), the lead's run, review table,
publish and discard, a pair's page with meetings and its end, and who is told nothing (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.talent.models import (
    MatchingRunStatus,
    MentoringMatching,
    MentoringRole,
    MentoringSignup,
    PairStatus,
)

from .mentoring_data import client_of, lead_actor, mentee, mentor, person_at


@pytest.fixture
def lead(world):
    return lead_actor(world)


def test_the_talent_home_links_to_mentoring(client_for):
    page = client_for("own_staff").get(reverse("talent:home"))
    assert reverse("talent:mentoring") in page.content.decode()


def test_staff_ask_for_a_mentor_and_see_their_sign_up(world, client_for):
    client = client_for("own_staff")
    answer = client.post(
        reverse("talent:mentoring-ask"),
        {
            "aspirations": "Budgeting, Commissioning",
            "skills": "Casework",
            "prefers_other_sector": "on",
        },
    )
    assert answer.status_code == 302
    signup = MentoringSignup.objects.get(person=world.own_staff)
    assert signup.role == MentoringRole.MENTEE and signup.organisation == world.own
    page = client.get(reverse("talent:mentoring")).content.decode()
    assert reverse("talent:mentoring-withdraw", args=[signup.pk]) in page
    assert reverse("talent:mentoring-ask") not in page


def test_a_bad_capacity_is_named_on_the_form(client_for):
    page = client_for("partner_staff").post(
        reverse("talent:mentoring-offer"), {"skills": "Budgeting", "capacity": "eleven"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and "Mentees at once must be a whole number" in text
    assert not MentoringSignup.objects.exists()


def test_withdrawing_a_sign_up(world, client_for):
    signup = mentee(world.actor("own_staff"))
    client = client_for("own_staff")
    assert client.get(reverse("talent:mentoring-withdraw", args=[signup.pk])).status_code == 200
    assert client.post(reverse("talent:mentoring-withdraw", args=[signup.pk])).status_code == 302
    signup.refresh_from_db()
    assert not signup.active


def test_another_persons_sign_up_is_not_found(world, client_for):
    signup = mentee(world.actor("own_staff"))
    page = client_for("own_admin").get(reverse("talent:mentoring-withdraw", args=[signup.pk]))
    assert page.status_code == 404


def test_the_lead_runs_reviews_and_publishes_a_matching(world, lead):
    mentor(person_at(world.partner, "Hana Health"), skills="Budgeting")
    mentee(world.actor("own_staff"), wants="Budgeting")
    mentee(person_at(world.partner, "Nia Nurse"), wants="Budgeting")
    client = client_of(lead)
    page = client.get(reverse("talent:mentoring-lead")).content.decode()
    assert 'id="count-mentees">2<' in page and 'id="count-places">1<' in page
    answer = client.post(reverse("talent:mentoring-lead"))
    matching = MentoringMatching.objects.get()
    assert answer["Location"] == reverse("talent:mentoring-matching", args=[matching.pk])
    review = client.get(answer["Location"]).content.decode()
    assert "Sam Staff" in review and "Hana Health" in review
    assert "London Borough of Barnet" in review and "Local government; Health" in review
    assert "Has skills the mentee wants to grow: Budgeting" in review
    # The trust's mentee cannot have the trust's mentor: listed as unmatched.
    assert "Nia Nurse" in review.split('id="unmatched"')[1]
    answer = client.post(reverse("talent:mentoring-matching-publish", args=[matching.pk]))
    assert answer.status_code == 302
    matching.refresh_from_db()
    assert matching.status == MatchingRunStatus.PUBLISHED


def test_a_refused_publication_is_shown_on_the_review_page(world, lead):
    mentor(person_at(world.partner, "Hana Health"))
    signup = mentee(world.actor("own_staff"))
    client = client_of(lead)
    client.post(reverse("talent:mentoring-lead"))
    matching = MentoringMatching.objects.get()
    signup.active = False
    signup.save()
    page = client.post(reverse("talent:mentoring-matching-publish", args=[matching.pk]))
    assert page.status_code == 200
    assert "run the matching again" in page.content.decode()
    assert (
        client.post(reverse("talent:mentoring-matching-discard", args=[matching.pk])).status_code
        == 302
    )
    matching.refresh_from_db()
    assert matching.status == MatchingRunStatus.DISCARDED


@pytest.mark.parametrize("persona", ["own_staff", "partnership_lead", "outsider"])
def test_only_the_mentoring_lead_reaches_the_lead_page_and_matchings(
    world, client_for, lead, persona
):
    matching = MentoringMatching.objects.create(partnership=world.partnership)
    client = client_for(persona)
    assert client.get(reverse("talent:mentoring-lead")).status_code == 403
    assert client.get(reverse("talent:mentoring-matching", args=[matching.pk])).status_code == 404


@pytest.fixture
def pair(world, lead, django_capture_on_commit_callbacks):
    from joinedup.talent import mentoring_services

    mentor(person_at(world.partner, "Hana Health"))
    mentee(world.actor("own_staff"))
    matching = mentoring_services.run_matching(actor=lead, partnership=world.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        mentoring_services.publish_matching(actor=lead, matching=matching)
    return matching.pairs.select_related("mentor__person").get()


def test_a_member_logs_a_meeting_and_ends_the_pairing(world, client_for, pair):
    client = client_for("own_staff")
    page = client.get(reverse("talent:mentoring-pair", args=[pair.pk])).content.decode()
    assert "Hana Health" in page and "No meetings logged yet" in page
    today = timezone.localdate()
    url = reverse("talent:mentoring-meeting-new", args=[pair.pk])
    bad = client.post(
        url, {"met_on_day": "31", "met_on_month": "2", "met_on_year": "2026", "minutes": "x"}
    )
    assert bad.status_code == 200
    assert "Date you met must be a real date" in bad.content.decode()
    bad = client.post(
        url,
        {"met_on_day": "1", "met_on_month": "1", "met_on_year": "2026", "minutes": "x"},
    )
    assert "Minutes must be a whole number" in bad.content.decode()
    answer = client.post(
        url,
        {
            "met_on_day": today.day,
            "met_on_month": today.month,
            "met_on_year": today.year,
            "minutes": "50",
            "notes": "Goals for the year",
        },
    )
    assert answer.status_code == 302
    page = client.get(reverse("talent:mentoring-pair", args=[pair.pk])).content.decode()
    assert "Goals for the year" in page
    end = reverse("talent:mentoring-pair-end", args=[pair.pk])
    assert "Enter why the pairing is ending" in client.post(end, {}).content.decode()
    assert client.post(end, {"end_reason": "Moving on"}).status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED


def test_the_lead_reads_a_pair_but_may_not_log_its_meetings(pair, lead):
    client = client_of(lead)
    assert client.get(reverse("talent:mentoring-pair", args=[pair.pk])).status_code == 200
    assert client.get(reverse("talent:mentoring-meeting-new", args=[pair.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["own_admin", "partner_staff", "partnership_lead", "outsider"])
def test_a_pair_is_not_found_for_anyone_else(client_for, pair, persona):
    assert (
        client_for(persona).get(reverse("talent:mentoring-pair", args=[pair.pk])).status_code == 404
    )


def test_the_mentor_sees_the_pair_on_their_mentoring_page(world, pair):
    client = client_of(Actor(person=pair.mentor.person, organisation=world.partner))
    page = client.get(reverse("talent:mentoring")).content.decode()
    assert reverse("talent:mentoring-pair", args=[pair.pk]) in page and "Sam Staff" in page


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lead_and_review_pages_ask_as_many_queries_for_three_pairs_as_for_one(world, lead):
    from joinedup.talent import mentoring_services

    mentor(person_at(world.partner, "Hana Health"), capacity=5)
    mentee(world.actor("own_staff"))
    client = client_of(lead)
    small = mentoring_services.run_matching(actor=lead, partnership=world.partnership)
    lead_page = _queries(client, reverse("talent:mentoring-lead"))
    review = _queries(client, reverse("talent:mentoring-matching", args=[small.pk]))
    home = _queries(client_of(world.actor("own_staff")), reverse("talent:mentoring"))
    mentee(world.actor("own_admin"), skills="Casework, Budgeting")
    mentee(world.actor("own_ld_lead"), skills="Coaching")
    large = mentoring_services.run_matching(actor=lead, partnership=world.partnership)
    assert large.pairs.count() == 3
    assert _queries(client, reverse("talent:mentoring-lead")) == lead_page
    assert _queries(client, reverse("talent:mentoring-matching", args=[large.pk])) == review
    mentoring_services.publish_matching(actor=lead, matching=large)
    assert _queries(client_of(world.actor("own_staff")), reverse("talent:mentoring")) == home
