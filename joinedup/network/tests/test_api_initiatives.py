"""The initiatives API (/api/v1/network/initiatives): reading the register and one initiative
with everything on it, recording and changing one, and its learning reviews; who may do what."""

from __future__ import annotations

import datetime as dt

import pytest

from joinedup.network import reviews, spread
from joinedup.network.models import Initiative, LearningReview
from joinedup.network.tests.factories import InitiativeFactory
from joinedup.partnership.tests.api_helpers import API, api_client, api_queries, organisation_client

pytestmark = pytest.mark.django_db

URL = f"{API}/network/initiatives"
NEW = {
    "title": "Warm homes on prescription",
    "summary": "GPs prescribe insulation.",
    "problem": "poverty",
    "status": "pilot",
    "levels": ["local", "nhs"],
    "places": ["E09000003"],
    "partners": [{"organisation_name": "Energy Trust", "brings": ["money"]}],
    "funding_amount": "25000.00",
}
REVIEW = {
    "reviewed_on": "2026-03-01",
    "what_worked": "Referrals from district nurses.",
    "evidence": [{"title": "Evaluation", "link": "https://example.org/eval"}],
    "measures": [
        {"name": "Homes insulated", "value": "41", "unit": "homes", "measured_on": "2026-02-01"}
    ],
}


@pytest.fixture
def initiative(world):
    return InitiativeFactory(partnership=world.partnership, owner_organisation=world.own)


def test_a_person_records_an_initiative_and_reads_it_back(world):
    client = api_client(world, "own_staff")
    response = client.post(URL, NEW, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["id"] == world.own.pk
    assert body["places"] == [{"gss_code": "E09000003", "name": "Barnet"}]
    assert body["levels"] == ["local", "nhs"]
    assert body["funding_amount"] == "25000.00"
    assert body["partners"][0]["brings"] == ["money"]
    assert client.get(f"{URL}/{body['id']}").json()["title"] == NEW["title"]


def test_a_bad_field_is_a_422_naming_it(world):
    response = api_client(world, "own_staff").post(
        URL, {**NEW, "places": ["X1"]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("places (body)")


def test_organisation_tokens_read_but_never_write(world, initiative):
    client = organisation_client(world, "own_admin")
    assert client.get(f"{URL}/{initiative.pk}").status_code == 200
    assert client.get(URL).json()["items"][0]["id"] == initiative.pk
    assert client.post(URL, NEW, content_type="application/json").status_code == 403
    answer = client.post(f"{URL}/{initiative.pk}/reviews", REVIEW, content_type="application/json")
    assert answer.status_code == 403


def test_the_outsider_sees_nothing(world, initiative):
    client = api_client(world, "outsider")
    assert client.get(f"{URL}/{initiative.pk}").status_code == 404
    assert client.get(URL).json()["items"] == []
    assert client.get(f"{URL}/{initiative.pk}/reviews").status_code == 404


def test_the_register_filters(world, initiative):
    InitiativeFactory(
        partnership=world.partnership, owner_organisation=world.partner, problem="housing"
    )
    client = api_client(world, "partner_staff")
    items = client.get(URL, {"problem": "discharge"}).json()["items"]
    assert [item["id"] for item in items] == [initiative.pk]


def test_only_editors_change_an_initiative(world):
    created = api_client(world, "own_staff").post(URL, NEW, content_type="application/json")
    pk = created.json()["id"]
    changed = {**NEW, "title": "Warm homes", "status": "scaling"}
    refused = api_client(world, "partner_admin").put(
        f"{URL}/{pk}", changed, content_type="application/json"
    )
    assert refused.status_code == 403
    answer = api_client(world, "partnership_lead").put(
        f"{URL}/{pk}", changed, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert Initiative.objects.get(pk=pk).status == "scaling"


def test_a_partner_involved_records_a_review_with_rows(world, initiative):
    client = api_client(world, "own_staff")
    response = client.post(
        f"{URL}/{initiative.pk}/reviews", REVIEW, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["author"]["id"] == world.own_staff.pk
    assert body["organisation"]["id"] == world.own.pk
    assert body["measures"] == [
        {"name": "Homes insulated", "value": "41", "unit": "homes", "measured_on": "2026-02-01"}
    ]
    listed = client.get(f"{URL}/{initiative.pk}/reviews").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


def test_a_review_row_refused_is_named(world, initiative):
    bad = {**REVIEW, "evidence": [{"title": "Evil", "link": "javascript:alert(1)"}]}
    response = api_client(world, "own_staff").post(
        f"{URL}/{initiative.pk}/reviews", bad, content_type="application/json"
    )
    assert response.status_code == 422
    assert "evidence_1_link (body): Evidence 1:" in response.json()["detail"]
    assert not LearningReview.objects.exists()


def test_a_partner_not_involved_may_not_review(world, initiative):
    response = api_client(world, "partner_staff").post(
        f"{URL}/{initiative.pk}/reviews", REVIEW, content_type="application/json"
    )
    assert response.status_code == 403


def test_an_initiative_shows_its_reviews_and_adoptions(world, initiative):
    reviews.add_review(actor=world.actor("own_staff"), initiative=initiative, data=REVIEW)
    spread.record_adoption(
        actor=world.actor("partner_staff"),
        initiative=initiative,
        data={"adopted_on": dt.date(2026, 4, 1), "local_changes": "Evening clinics."},
    )
    body = api_client(world, "partner_staff").get(f"{URL}/{initiative.pk}").json()
    assert body["reviews"][0]["what_worked"] == REVIEW["what_worked"]
    assert body["adoptions"][0]["organisation"]["id"] == world.partner.pk
    assert body["adoptions"][0]["local_changes"] == "Evening clinics."


def test_the_register_takes_the_same_queries_for_more_initiatives(world, initiative):
    client = api_client(world, "own_staff")
    few = api_queries(client, URL)
    for _ in range(5):
        InitiativeFactory(partnership=world.partnership, owner_organisation=world.own)
    assert api_queries(client, URL) == few
