"""Rotation scheme pages, through HTTP: the lead sets a scheme up, hosts offer and rank, the
participant ranks, the lead matches, publishes and places by hand; who sees what when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.talent import rotations
from joinedup.talent.models import (
    Cohort,
    HostPreference,
    ParticipantPreference,
    Placement,
    RotationPost,
    RotationScheme,
    RoundStatus,
)


@pytest.fixture
def cohort(world):
    lead = world.actor("partnership_lead")
    scheme = rotations.create_scheme(actor=lead, name="Leaders of tomorrow")
    cohort = rotations.create_cohort(
        actor=lead, scheme=scheme, name="2027", starts_on=dt.date(2027, 1, 4)
    )
    for email in ("sam.staff@barnet.test", "pat.staff@lnwh.test"):
        rotations.add_participant(actor=lead, cohort=cohort, email=email)
    return cohort


def round_one(cohort):
    return cohort.rotation_rounds.get(number=1)


def url(name, pk=None):
    return reverse(f"talent:{name}", kwargs={"pk": pk} if pk else None)


def test_the_talent_home_page_links_to_rotation_schemes(client_for):
    response = client_for("own_staff").get(reverse("talent:home"))
    assert url("rotation-schemes") in response.content.decode()


def test_the_lead_creates_a_scheme_and_a_cohort_whose_rounds_are_dated(client_for):
    lead = client_for("partnership_lead")
    response = lead.post(
        url("rotation-scheme-new"),
        {"name": "Graduates", "rounds": "3", "placement_months": "8"},
    )
    scheme = RotationScheme.objects.get(name="Graduates")
    assert response.status_code == 302
    response = lead.post(
        url("rotation-cohort-new", scheme.pk),
        {"name": "2027", "starts_on_day": "4", "starts_on_month": "1", "starts_on_year": "2027"},
    )
    cohort = Cohort.objects.get(scheme=scheme)
    assert response["Location"] == url("rotation-cohort", cohort.pk)
    page = lead.get(url("rotation-cohort", cohort.pk)).content.decode()
    assert "4 January 2027 to 3 September 2027" in page
    assert "4 May 2028 to 3 January 2029" in page


def test_bad_scheme_input_is_named_on_its_field(client_for):
    response = client_for("partnership_lead").post(
        url("rotation-scheme-new"), {"name": "", "rounds": "many", "placement_months": "99"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a name" in page
    assert "Number of rounds must be a whole number from 1 to 12" in page
    assert "Months per placement must be a whole number from 1 to 36" in page
    assert not RotationScheme.objects.exists()


def test_a_participant_is_found_by_work_email_at_a_member_organisation(client_for, cohort):
    lead = client_for("partnership_lead")
    response = lead.post(
        url("rotation-participant-new", cohort.pk), {"email": "oscar.outsider@manchester.test"}
    )
    assert "No one working at a member organisation has this e-mail address" in (
        response.content.decode()
    )
    response = lead.post(
        url("rotation-participant-new", cohort.pk), {"email": "lee.learning@barnet.test"}
    )
    assert response.status_code == 302
    assert cohort.participants.count() == 3


def test_schemes_are_listed_for_the_partnership_and_not_for_outsiders(client_for, cohort):
    assert (
        "Leaders of tomorrow"
        in client_for("own_staff").get(url("rotation-schemes")).content.decode()
    )
    assert (
        "Leaders of tomorrow"
        not in client_for("outsider").get(url("rotation-schemes")).content.decode()
    )
    scheme = cohort.scheme
    assert client_for("outsider").get(url("rotation-scheme", scheme.pk)).status_code == 404


def test_the_scheme_list_asks_the_same_number_of_queries_for_many_schemes(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("own_staff")
    client.get(url("rotation-schemes"))
    for index in range(30):
        RotationScheme.objects.create(partnership=world.partnership, name=f"Scheme {index}")
    with django_assert_max_num_queries(12):
        response = client.get(url("rotation-schemes"))
    assert response.content.decode().count('href="/talent/rotations/') >= 30


def offer(client, rotation_round, title):
    response = client.post(
        url("rotation-post-new", rotation_round.pk), {"title": title, "capacity": "1"}
    )
    assert response.status_code == 302, response.content.decode()
    return RotationPost.objects.get(title=title)


def test_a_participant_sees_only_eligible_posts_and_duplicate_ranks_are_named(client_for, cohort):
    rotation_round = round_one(cohort)
    at_home = offer(client_for("own_ld_lead"), rotation_round, "Policy officer")
    trust = offer(client_for("partner_ld_lead"), rotation_round, "Service improvement")
    icb_post = rotations.add_post(
        actor=_icb_host(cohort), rotation_round=rotation_round, title="Commissioning"
    )
    sam = client_for("own_staff")
    page = sam.get(url("rotation-preferences", rotation_round.pk)).content.decode()
    assert "Service improvement" in page and "Commissioning" in page
    assert at_home.title not in page
    response = sam.post(
        url("rotation-preferences", rotation_round.pk),
        {f"rank_{trust.pk}": "1", f"rank_{icb_post.pk}": "1"},
    )
    assert "Rank 1 is given to two posts" in response.content.decode()
    response = sam.post(
        url("rotation-preferences", rotation_round.pk),
        {f"rank_{trust.pk}": "2", f"rank_{icb_post.pk}": "1"},
    )
    assert response.status_code == 302
    ranked = ParticipantPreference.objects.order_by("rank").values_list("post_id", flat=True)
    assert list(ranked) == [icb_post.pk, trust.pk]


def _icb_host(cohort):
    from joinedup.partnership.actor import Actor
    from joinedup.partnership.models import Organisation, OrganisationRole, Person
    from joinedup.partnership.tests.factories import OrganisationRoleFactory

    person = Person.objects.get(email="paula.lead@icb.test")
    icb = Organisation.objects.get(name__contains="Integrated Care Board")
    OrganisationRoleFactory(person=person, organisation=icb, role=OrganisationRole.LD_LEAD)
    return Actor(person=person, organisation=icb)


def test_the_round_from_rankings_to_published_placements(
    client_for, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    rotation_round = round_one(cohort)
    council = offer(client_for("own_ld_lead"), rotation_round, "Policy officer")
    trust = offer(client_for("partner_ld_lead"), rotation_round, "Service improvement")
    sam, pat = client_for("own_staff"), client_for("partner_staff")
    sam.post(url("rotation-preferences", rotation_round.pk), {f"rank_{trust.pk}": "1"})
    pat.post(url("rotation-preferences", rotation_round.pk), {f"rank_{council.pk}": "1"})
    host = client_for("partner_ld_lead")
    page = host.get(url("rotation-post-ranking", trust.pk)).content.decode()
    assert "Sam" in page
    sam_id = cohort.participants.get(person__email="sam.staff@barnet.test").pk
    response = host.post(url("rotation-post-ranking", trust.pk), {f"rank_{sam_id}": "1"})
    assert response.status_code == 302
    assert HostPreference.objects.filter(post=trust, participant_id=sam_id).exists()

    lead = client_for("partnership_lead")
    response = lead.post(url("rotation-match", rotation_round.pk))
    assert response.status_code == 302
    assert Placement.objects.count() == 2
    # Before publication only the lead sees the result.
    assert (
        "Result (not yet published)"
        in lead.get(url("rotation-round", rotation_round.pk)).content.decode()
    )
    round_page = sam.get(url("rotation-round", rotation_round.pk)).content.decode()
    assert "Service improvement, London North West" not in round_page
    assert "you will be told your placement" in round_page

    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(url("rotation-publish", rotation_round.pk))
    assert response.status_code == 302
    rotation_round.refresh_from_db()
    assert rotation_round.status == RoundStatus.PUBLISHED
    assert {message.to[0] for message in mailoutbox} >= {
        "sam.staff@barnet.test",
        "pat.staff@lnwh.test",
        "pia.learning@lnwh.test",
        "lee.learning@barnet.test",
    }
    page = sam.get(url("rotation-round", rotation_round.pk)).content.decode()
    assert "Service improvement" in page and 'id="my-placement"' in page
    hosted = host.get(url("rotation-post-ranking", trust.pk)).content.decode()
    assert "Placed in this post" in hosted and "Sam" in hosted
    # Pat's placement is not shown to Sam.
    assert "Policy officer, London Borough of Barnet" not in page


def test_the_lead_places_an_unmatched_participant_by_hand(client_for, cohort):
    rotation_round = round_one(cohort)
    trust = offer(client_for("partner_ld_lead"), rotation_round, "Service improvement")
    lead = client_for("partnership_lead")
    lead.post(url("rotation-match", rotation_round.pk))
    sam_id = cohort.participants.get(person__email="sam.staff@barnet.test").pk
    pat_id = cohort.participants.get(person__email="pat.staff@lnwh.test").pk
    response = lead.post(url("rotation-place", rotation_round.pk), {"participant": str(pat_id)})
    page = response.content.decode()
    assert "Choose a post" in page and "Enter the reason" in page
    response = lead.post(
        url("rotation-place", rotation_round.pk),
        {"participant": str(pat_id), "post": str(trust.pk), "reason": "Ranked nothing"},
    )
    assert "cannot take this post" in response.content.decode()
    response = lead.post(
        url("rotation-place", rotation_round.pk),
        {"participant": str(sam_id), "post": str(trust.pk), "reason": "Ranked nothing"},
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.manual and placement.reason == "Ranked nothing"
    assert (
        "By hand: Ranked nothing"
        in lead.get(url("rotation-round", rotation_round.pk)).content.decode()
    )


def test_a_member_who_is_not_the_lead_may_not_run_the_matching(client_for, cohort):
    rotation_round = round_one(cohort)
    assert client_for("own_admin").post(url("rotation-match", rotation_round.pk)).status_code == 403
    assert client_for("outsider").post(url("rotation-match", rotation_round.pk)).status_code == 404
    assert (
        client_for("own_staff").get(url("rotation-post-new", rotation_round.pk)).status_code == 403
    )
