"""The rotation schemes API at /api/v1/talent/schemes: the list, and a round's result for the
caller as participant and as host, readable once published (the lead before that too)."""

from __future__ import annotations

import datetime as dt

import pytest

from joinedup.partnership.tests.api_helpers import API, api_client, api_queries, organisation_client
from joinedup.talent import rotations
from joinedup.talent.models import RotationScheme

SCHEMES = f"{API}/talent/schemes"


@pytest.fixture
def matched_round(world):
    lead = world.actor("partnership_lead")
    scheme = rotations.create_scheme(actor=lead, name="Leaders of tomorrow")
    cohort = rotations.create_cohort(
        actor=lead, scheme=scheme, name="2027", starts_on=dt.date(2027, 1, 4)
    )
    for email in ("sam.staff@barnet.test", "pat.staff@lnwh.test"):
        rotations.add_participant(actor=lead, cohort=cohort, email=email)
    rotation_round = cohort.rotation_rounds.get(number=1)
    trust = rotations.add_post(
        actor=world.actor("partner_ld_lead"), rotation_round=rotation_round, title="Improvement"
    )
    sam = cohort.participants.get(person__email="sam.staff@barnet.test")
    rotations.set_preferences(
        actor=world.actor("own_staff"),
        participant=sam,
        rotation_round=rotation_round,
        post_ids=[trust.pk],
    )
    rotations.run_matching(actor=lead, rotation_round=rotation_round)
    return rotation_round


def results(rotation_round):
    return f"{SCHEMES}/rounds/{rotation_round.pk}/results"


def test_the_list_holds_the_partnerships_schemes_only(world):
    RotationScheme.objects.create(partnership=world.partnership, name="Ours")
    RotationScheme.objects.create(partnership=world.other_partnership, name="Theirs")
    names = [item["name"] for item in api_client(world, "own_staff").get(SCHEMES).json()["items"]]
    assert names == ["Ours"]


def test_the_list_asks_the_same_number_of_queries_for_many_schemes(world):
    client = api_client(world, "own_staff")
    RotationScheme.objects.create(partnership=world.partnership, name="One")
    few = api_queries(client, SCHEMES)
    for index in range(40):
        RotationScheme.objects.create(partnership=world.partnership, name=f"Scheme {index}")
    assert api_queries(client, SCHEMES) == few


def test_before_publication_only_the_lead_reads_a_result(world, matched_round):
    response = api_client(world, "own_staff").get(results(matched_round))
    assert response.status_code == 409
    assert "not published" in response.json()["detail"]
    lead = api_client(world, "partnership_lead").get(results(matched_round)).json()
    assert [p["participant"]["name"] for p in lead["placements"]] == ["Sam Staff"]


def test_after_publication_the_participant_and_the_host_read_their_part(world, matched_round):
    rotations.publish_round(actor=world.actor("partnership_lead"), rotation_round=matched_round)
    sam = api_client(world, "own_staff").get(results(matched_round)).json()
    assert sam["placement"]["post"]["title"] == "Improvement"
    assert sam["placement"]["starts_on"] == "2027-01-04"
    assert sam["hosted"] == []
    pat = api_client(world, "partner_staff").get(results(matched_round)).json()
    assert pat["placement"] is None and pat["placements"] == []
    host = api_client(world, "partner_ld_lead").get(results(matched_round)).json()
    assert [p["participant"]["name"] for p in host["hosted"]] == ["Sam Staff"]
    token = organisation_client(world, "partner_admin").get(results(matched_round)).json()
    assert token["placements"] == []
    assert api_client(world, "outsider").get(results(matched_round)).status_code == 404
