"""The public register: the list and its filters, a public initiative's summary page, and the
open-data export (CSV and JSON), for anyone signed in or not; and the privacy test: none of it
holds a person's name, e-mail or id, or anything of an initiative not marked public."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.network.models import (
    Adoption,
    Evidence,
    InitiativePartner,
    InitiativePlace,
    InitiativeSponsor,
    InitiativeStatus,
    LearningReview,
    OutcomeMeasure,
    Problem,
)
from joinedup.network.open_data import LICENCE
from joinedup.network.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

SECRET = "Confidential pilot for the chief executive only"


@pytest.fixture
def scene(world):
    """A public initiative with a sponsor person, a review author and an adoption recorder, and
    a private one."""
    public = InitiativeFactory(
        partnership=world.partnership,
        owner_organisation=world.own,
        title="Discharge to assess",
        is_public=True,
        status=InitiativeStatus.SCALING,
        problem=Problem.DISCHARGE,
        created_by=world.own_admin,
        funding_amount=Decimal("125000.00"),
        started_on=dt.date(2025, 4, 1),
    )
    InitiativePlace.objects.create(initiative=public, gss_code="E09000003", name="Barnet")
    InitiativePartner.objects.create(
        initiative=public, organisation=world.partner, brings_staff=True
    )
    InitiativeSponsor.objects.create(
        initiative=public, organisation=world.icb, person=world.partnership_lead, role="Sponsor"
    )
    review = LearningReview.objects.create(
        initiative=public,
        organisation=world.partner,
        author=world.partner_staff,
        reviewed_on=dt.date(2026, 1, 10),
        what_worked='=HYPERLINK("http://evil.example")',
        what_did_not="Weekends.",
        place_relationships="A shared director.",
    )
    Evidence.objects.create(review=review, title="Evaluation", url="https://example.org/e")
    OutcomeMeasure.objects.create(
        review=review,
        name="Delayed days",
        value=Decimal("312.5"),
        unit="days",
        measured_on=dt.date(2026, 1, 1),
    )
    Adoption.objects.create(
        initiative=public,
        organisation=world.icb,
        adopted_on=dt.date(2026, 2, 1),
        local_changes="Run by the ICB's own teams.",
        recorded_by=world.mentoring_lead,
    )
    private = InitiativeFactory(
        partnership=world.partnership, owner_organisation=world.own, title=SECRET
    )
    LearningReview.objects.create(
        initiative=private,
        organisation=world.own,
        author=world.own_staff,
        reviewed_on=dt.date(2026, 1, 1),
        what_worked="Private lesson",
    )
    return public, private


def _people(world) -> list[str]:
    """Everything that identifies the people in the scene."""
    found = []
    for persona in (
        "partnership_lead",
        "partner_staff",
        "mentoring_lead",
        "own_admin",
        "own_staff",
    ):
        person = world.person(persona)
        found += [person.full_name, person.email]
    return found


def _pages(world, scene) -> dict[str, str]:
    public, private = scene
    anonymous = Client()
    return {
        "list": anonymous.get(reverse("network:public-initiatives")).content.decode(),
        "page": anonymous.get(
            reverse("network:public-initiative", args=[public.pk])
        ).content.decode(),
        "csv": anonymous.get(reverse("network:open-data-csv")).content.decode("utf-8-sig"),
        "json": anonymous.get(reverse("network:open-data-json")).content.decode(),
        "api": anonymous.get("/api/v1/network/public/initiatives").content.decode(),
        "api_one": anonymous.get(
            f"/api/v1/network/public/initiatives/{public.pk}"
        ).content.decode(),
    }


def test_public_pages_and_exports_hold_no_person_and_nothing_private(world, scene):
    for name, text in _pages(world, scene).items():
        assert "Discharge to assess" in text, name
        for identifying in _people(world):
            assert identifying not in text, (name, identifying)
        assert SECRET not in text, name
        assert "Private lesson" not in text, name
    data = json.loads(_pages(world, scene)["json"])
    keys = set(_all_keys(data))
    assert not keys & {"person", "author", "recorded_by", "created_by", "email", "role"}
    assert data["initiatives"][0]["sponsors"] == [{"organisation": world.icb.name}]
    review = data["initiatives"][0]["learning_reviews"][0]
    assert set(review) == {
        "reviewed_on",
        "organisation",
        "what_worked",
        "what_did_not",
        "place_factors",
        "frontline_buy_in",
        "reporting_burden",
        "outcome_measures",
    }


def _all_keys(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _all_keys(value)
    elif isinstance(data, list):
        for value in data:
            yield from _all_keys(value)


def test_the_json_export_states_the_open_government_licence(scene):
    data = Client().get(reverse("network:open-data-json")).json()
    assert data["licence"] == {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }
    (record,) = data["initiatives"]
    assert record["places"] == [{"gss_code": "E09000003", "name": "Barnet"}]
    assert record["funding"] == {"amount_gbp": "125000.00", "source": ""}
    assert record["learning_reviews"][0]["outcome_measures"] == [
        {"name": "Delayed days", "value": "312.5", "unit": "days", "measured_on": "2026-01-01"}
    ]
    assert (
        record["adoptions"][0]["organisation"] == "NHS West and North London Integrated Care Board"
    )


def test_the_csv_export_neutralises_formulas_and_links_its_licence(scene):
    public, _ = scene
    response = Client().get(reverse("network:open-data-csv"))
    assert response.status_code == 200
    assert LICENCE["url"] in response["Link"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "id"
    assert len(rows) == 2
    assert rows[1][1] == "Discharge to assess"
    assert rows[1][rows[0].index("learning_reviews")] == "1"
    assert all(not cell.startswith(("=", "+", "@")) for cell in rows[1])


def test_a_private_initiative_has_no_public_page(scene):
    _public, private = scene
    assert Client().get(reverse("network:public-initiative", args=[private.pk])).status_code == 404
    answer = Client().get(f"/api/v1/network/public/initiatives/{private.pk}")
    assert answer.status_code == 404


def test_the_public_list_filters_by_problem_status_and_place(world, scene):
    public, _ = scene
    other = InitiativeFactory(
        partnership=world.partnership,
        owner_organisation=world.partner,
        title="Warm homes",
        is_public=True,
        problem=Problem.POVERTY,
        status=InitiativeStatus.PILOT,
    )
    url = reverse("network:public-initiatives")

    def titles(**query) -> list[str]:
        text = Client().get(url, query).content.decode()
        return [title for title in ("Discharge to assess", "Warm homes") if title in text]

    assert titles() == ["Discharge to assess", "Warm homes"]
    assert titles(problem="poverty") == ["Warm homes"]
    assert titles(status="scaling") == ["Discharge to assess"]
    assert titles(place="barnet") == ["Discharge to assess"]
    assert titles(place="E09000003") == ["Discharge to assess"]
    assert other.pk


def test_the_public_export_takes_the_same_queries_for_more_initiatives(world, scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        Client().get(reverse("network:open-data-json"))
    for _ in range(5):
        InitiativeFactory(
            partnership=world.partnership, owner_organisation=world.own, is_public=True
        )
    with CaptureQueriesContext(connection) as more:
        Client().get(reverse("network:open-data-json"))
    assert len(more) == len(few)
