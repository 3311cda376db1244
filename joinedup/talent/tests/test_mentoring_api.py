"""The mentoring API at /api/v1/talent/mentoring: my pairs, a pair's meetings and logging one
(field-named errors, 403 for the lead, 409 once ended), the lead's matchings; query counts."""

from __future__ import annotations

import pytest
from django.utils import timezone

from joinedup.partnership.services import create_personal_token
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    bearer,
    ids,
    organisation_client,
)
from joinedup.talent import mentoring_services
from joinedup.talent.models import PairStatus

from .mentoring_data import lead_actor, mentee, mentor, person_at

MENTORING = f"{API}/talent/mentoring"


@pytest.fixture
def lead(world):
    return lead_actor(world)


def lead_client(lead):
    _, raw = create_personal_token(actor=lead, name="Tests")
    return bearer(raw)


@pytest.fixture
def matching(world, lead, django_capture_on_commit_callbacks):
    mentor(person_at(world.partner, "Hana Health"), capacity=3)
    mentee(world.actor("own_staff"))
    mentee(world.actor("own_admin"))
    found = mentoring_services.run_matching(actor=lead, partnership=world.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        mentoring_services.publish_matching(actor=lead, matching=found)
    return found


def test_a_member_lists_their_pairs_with_fit_and_reasons(world, matching):
    pair = matching.pairs.get(mentee__person=world.own_staff)
    response = api_client(world, "own_staff").get(f"{MENTORING}/pairs")
    assert response.status_code == 200, response.content
    assert ids(response) == [pair.pk]
    item = response.json()["items"][0]
    assert item["mentor"]["name"] == "Hana Health"
    assert item["mentor"]["sector"] == "Health" and item["mentee"]["sector"] == "Local government"
    assert item["fit"] == float(pair.fit) and item["reasons"]


def test_my_pairs_ask_as_many_queries_for_one_pair_as_for_two(world, lead, matching):
    client = api_client(world, "own_staff")
    one = api_queries(client, f"{MENTORING}/pairs")
    # The mentor has both pairs.
    helper = matching.pairs.first().mentor.person
    _, raw = create_personal_token(
        actor=type(lead)(person=helper, organisation=world.partner), name="Tests"
    )
    assert api_queries(bearer(raw), f"{MENTORING}/pairs") == one


def test_a_member_logs_a_meeting_and_reads_the_log(world, matching):
    pair = matching.pairs.get(mentee__person=world.own_staff)
    client = api_client(world, "own_staff")
    url = f"{MENTORING}/pairs/{pair.pk}/meetings"
    today = timezone.localdate().isoformat()
    response = client.post(url, {"met_on": today, "minutes": 40}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["minutes"] == 40
    assert ids(client.get(url)) == [response.json()["id"]]


def test_a_bad_meeting_is_refused_naming_the_field(world, matching):
    pair = matching.pairs.get(mentee__person=world.own_staff)
    url = f"{MENTORING}/pairs/{pair.pk}/meetings"
    response = api_client(world, "own_staff").post(
        url, {"met_on": "2999-01-01", "minutes": 40}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "met_on (body)" in response.json()["detail"]


def test_the_lead_reads_meetings_but_may_not_log_one_and_an_ended_pair_takes_none(
    world, lead, matching
):
    pair = matching.pairs.get(mentee__person=world.own_staff)
    url = f"{MENTORING}/pairs/{pair.pk}/meetings"
    body = {"met_on": timezone.localdate().isoformat(), "minutes": 30}
    client = lead_client(lead)
    assert client.get(url).status_code == 200
    assert client.post(url, body, content_type="application/json").status_code == 403
    mentoring_services.end_pairing(actor=world.actor("own_staff"), pair=pair, reason="Done")
    member = api_client(world, "own_staff")
    assert member.post(url, body, content_type="application/json").status_code == 409
    assert pair.status == PairStatus.ENDED


@pytest.mark.parametrize("persona", ["partner_staff", "partnership_lead", "outsider"])
def test_a_pair_is_not_found_for_anyone_else(world, matching, persona):
    pair = matching.pairs.get(mentee__person=world.own_staff)
    response = api_client(world, persona).get(f"{MENTORING}/pairs/{pair.pk}")
    assert response.status_code == 404


def test_organisation_tokens_are_refused(world, matching):
    assert organisation_client(world, "own_admin").get(f"{MENTORING}/pairs").status_code == 403


def test_the_lead_reads_matchings_with_their_pairs(world, lead, matching):
    client = lead_client(lead)
    assert ids(client.get(f"{MENTORING}/matchings")) == [matching.pk]
    body = client.get(f"{MENTORING}/matchings/{matching.pk}").json()
    assert body["status"] == "published" and len(body["pairs"]) == 2
    assert api_client(world, "own_staff").get(f"{MENTORING}/matchings").status_code == 403
    response = api_client(world, "partnership_lead").get(f"{MENTORING}/matchings/{matching.pk}")
    assert response.status_code == 404
