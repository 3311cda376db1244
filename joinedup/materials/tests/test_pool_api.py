"""The trainer pool API: searching the pool, and a trainer's own offer and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.materials.models import TrainerAvailability, TrainerOffer
from joinedup.materials.tests.pool_factories import (
    AccreditationFactory,
    TrainerAvailabilityFactory,
    TrainerOfferFactory,
)
from joinedup.partnership.tests.api_helpers import API, api_client, api_queries, organisation_client
from joinedup.partnership.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db

POOL = f"{API}/trainers/pool"
ME = f"{POOL}/me"


def today() -> dt.date:
    return timezone.localdate()


def days(count: int) -> str:
    return (today() + dt.timedelta(days=count)).isoformat()


@pytest.fixture
def programme(world):
    return ProgrammeFactory(host=world.partner, delivered_by_accredited_trainers=True)


def accredit(person, programme, **fields):
    fields.setdefault("accredited_on", today() - dt.timedelta(days=10))
    return AccreditationFactory(person=person, programme=programme, **fields)


def pooled(person, organisation, programme, **fields):
    accredit(person, programme)
    offer = TrainerOfferFactory(person=person, organisation=organisation, **fields)
    TrainerAvailabilityFactory(
        offer=offer, starts_on=today(), ends_on=today() + dt.timedelta(days=60)
    )
    return offer


def put_json(client, url, body):
    return client.put(url, body, content_type="application/json")


def post_json(client, url, body):
    return client.post(url, body, content_type="application/json")


# --- My offer -------------------------------------------------------------------------------------


def test_trainer_joins_reads_and_leaves_through_the_api(world, programme):
    accredit(world.own_staff, programme)
    client = api_client(world, "own_staff")
    assert client.get(ME).status_code == 404
    response = put_json(client, ME, {"days_per_month": 3, "partners": [world.partner.pk]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["in_pool"] is True
    assert body["employer"]["id"] == world.own.pk
    assert body["days_per_month"] == 3
    assert [p["id"] for p in body["partners"]] == [world.partner.pk]
    assert client.get(ME).json() == body
    left = client.delete(ME)
    assert left.status_code == 200
    assert left.json()["in_pool"] is False
    assert client.delete(ME).status_code == 409


def test_joining_without_accreditation_is_a_409(world):
    response = put_json(api_client(world, "own_staff"), ME, {"days_per_month": 2})
    assert response.status_code == 409
    assert "current accreditation" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days_per_month": 0}, "days_per_month"),
        ({"days_per_month": 10**30}, "days_per_month"),
        ({"partners": [999999]}, "partners"),
        ({"note": "bad \x00 note"}, "note"),
        ({"partners": "all"}, "partners"),
    ],
)
def test_offer_fields_are_named_when_refused(world, programme, body, field):
    accredit(world.own_staff, programme)
    response = put_json(api_client(world, "own_staff"), ME, body)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert not TrainerOffer.objects.exists()


def test_organisation_tokens_have_no_offer(world):
    client = organisation_client(world, "own_admin")
    assert client.get(ME).status_code == 403
    assert put_json(client, ME, {}).status_code == 403
    assert client.get(POOL).status_code == 403


def test_trainer_adds_and_removes_dates(world, programme):
    pooled(world.own_staff, world.own, programme)
    TrainerAvailability.objects.all().delete()
    client = api_client(world, "own_staff")
    response = post_json(client, f"{ME}/availability", {"starts_on": days(1), "ends_on": days(3)})
    assert response.status_code == 201, response.content
    added = response.json()
    merged = post_json(client, f"{ME}/availability", {"starts_on": days(4), "ends_on": days(6)})
    assert merged.json()["starts_on"] == days(1)
    assert merged.json()["ends_on"] == days(6)
    assert client.delete(f"{ME}/availability/{added['id']}").status_code == 404
    assert client.delete(f"{ME}/availability/{merged.json()['id']}").status_code == 204
    assert not TrainerAvailability.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"starts_on": "2027-02-30", "ends_on": "2027-03-01"}, 422, "starts_on"),
        ({"starts_on": "2020-01-01", "ends_on": "2020-01-02"}, 422, "starts_on (body)"),
        ({"starts_on": days(5), "ends_on": days(4)}, 422, "ends_on (body)"),
        ({"starts_on": days(5), "ends_on": "9999-12-31"}, 422, "ends_on (body)"),
        ({"ends_on": days(4)}, 422, "starts_on"),
    ],
)
def test_date_refusals_name_the_field(world, programme, body, status, text):
    pooled(world.own_staff, world.own, programme)
    response = post_json(api_client(world, "own_staff"), f"{ME}/availability", body)
    assert response.status_code == status
    assert text in str(response.json()["detail"])


def test_dates_need_the_pool(world):
    response = post_json(
        api_client(world, "own_staff"),
        f"{ME}/availability",
        {"starts_on": days(1), "ends_on": days(2)},
    )
    assert response.status_code == 409


def test_nobody_removes_another_trainers_dates(world, programme):
    offer = pooled(world.own_staff, world.own, programme)
    found = offer.availability.get()
    response = api_client(world, "partner_staff").delete(f"{ME}/availability/{found.pk}")
    assert response.status_code == 404
    assert TrainerAvailability.objects.filter(pk=found.pk).exists()


# --- Searching ------------------------------------------------------------------------------------


def test_ld_lead_searches_the_pool(world, programme):
    pooled(world.own_staff, world.own, programme, days_per_month=2)
    response = api_client(world, "partner_ld_lead").get(POOL)
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["id"] == world.own_staff.pk
    assert item["employer"]["name"] == "London Borough of Barnet"
    assert item["days_per_month"] == 2
    assert [a["programme"]["id"] for a in item["accredited_for"]] == [programme.pk]
    assert item["availability"][0]["starts_on"] == today().isoformat()


def test_search_filters_as_the_page_does(world, programme):
    other = ProgrammeFactory(host=world.own, delivered_by_accredited_trainers=True)
    pooled(world.own_staff, world.own, programme, partners=[world.partner])
    second = EmploymentFactory(organisation=world.icb).person
    pooled(second, world.icb, other)
    hidden = EmploymentFactory(organisation=world.icb).person
    pooled(hidden, world.icb, other, partners=[world.own])
    client = api_client(world, "partner_ld_lead")

    def found(**query) -> set[int]:
        response = client.get(POOL, query)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert found() == {world.own_staff.pk, second.pk}
    assert found(programme=programme.pk) == {world.own_staff.pk}
    assert found(organisation=world.icb.pk) == {second.pk}
    assert found(available_from=days(5), available_to=days(10)) == {world.own_staff.pk, second.pk}
    assert found(available_from=days(59), available_to=days(61)) == set()


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ({"programme": 99999}, "programme (query)"),
        ({"programme": 0}, "programme"),
        ({"organisation": 99999}, "organisation (query)"),
        ({"available_to": "2027-01-01"}, "available_from (query)"),
        ({"available_from": "2027-01-02", "available_to": "2027-01-01"}, "available_to (query)"),
        ({"available_from": "2027-01-01", "available_to": "2028-06-01"}, "within a year"),
        ({"available_from": "soon"}, "available_from"),
        ({"cursor": "junk"}, "cursor"),
        ({"limit": 0}, "limit"),
    ],
)
def test_search_refusals_name_the_filter(world, query, text):
    response = api_client(world, "own_ld_lead").get(POOL, query)
    assert response.status_code == 422
    assert text in str(response.json()["detail"])


def test_staff_without_a_searching_role_are_refused(world):
    assert api_client(world, "own_staff").get(POOL).status_code == 403


def test_cursor_pages_walk_every_trainer_once(world, programme):
    people = [EmploymentFactory(organisation=world.own).person for _ in range(7)]
    for person in people:
        pooled(person, world.own, programme)
    client = api_client(world, "partner_ld_lead")
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get(POOL, query).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(p.pk for p in people)


def test_search_asks_as_many_queries_for_many_trainers(world, programme):
    pooled(world.own_staff, world.own, programme)
    client = api_client(world, "partner_ld_lead")
    few = api_queries(client, POOL)
    for _ in range(10):
        person = EmploymentFactory(organisation=world.own).person
        pooled(person, world.own, programme)
        accredit(person, ProgrammeFactory(host=world.own))
    assert api_queries(client, POOL) == few
