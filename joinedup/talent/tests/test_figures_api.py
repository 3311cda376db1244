"""The figures at /api/v1/talent/figures: translators and leakage, exact shares, field-named
errors, and who may read them."""

from __future__ import annotations

from joinedup.partnership.models import Destination
from joinedup.partnership.tests.api_helpers import API, api_client, api_queries, organisation_client

from .figures_data import leave, second

TRANSLATORS = f"{API}/talent/figures/translators"
LEAKAGE = f"{API}/talent/figures/leakage"


def test_the_lead_reads_translator_shares_exactly_with_their_denominators(world):
    second(world, "own_staff", world.partner, started_days_ago=200)
    response = api_client(world, "partnership_lead").get(TRANSLATORS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "partnership"
    assert body["partnership"]["id"] == world.partnership.pk
    own = next(row for row in body["organisations"] if row["label"] == world.own.name)
    assert own["staff"] == {"count": 1, "of": 6, "share": "1/6", "percent": "16.7"}
    assert own["senior_staff"] == {"count": 0, "of": 0, "share": None, "percent": None}
    assert body["organisations"][-1]["organisation"] is None  # each person once
    assert body["over_time"][-1]["live"] is True
    assert body["moves"] == [
        {"source": world.own.name, "destination": world.partner.name, "moves": 0, "secondments": 1}
    ]


def test_leakage_gives_counts_and_shares_of_the_known_and_of_all(world):
    leave(world, "own_admin", Destination.PARTNER, to=world.partner)
    leave(world, "own_levy_officer", Destination.RETIRED)
    body = api_client(world, "own_ld_lead").get(LEAKAGE).json()
    assert body["scope"] == "organisation"
    assert [row["label"] for row in body["by_organisation"]] == [world.own.name]
    total = body["total"]
    assert (total["leavers"], total["known"]) == (2, 1)
    assert total["share_of_known"]["retained"]["share"] == "1/1"
    assert total["share_of_all"]["retired"] == {
        "count": 1,
        "of": 2,
        "share": "1/2",
        "percent": "50.0",
    }
    assert body["buckets"]["left_public_service"] == "Left public service"


def test_bad_dates_are_named(world):
    client = api_client(world, "partnership_lead")
    bad = client.get(TRANSLATORS, {"as_of": "2026-02-31"})
    assert bad.status_code == 422
    assert "as_of" in bad.content.decode()
    backwards = client.get(LEAKAGE, {"start": "2026-06-01", "end": "2026-01-01"})
    assert backwards.status_code == 422
    assert backwards.json()["detail"].startswith("end (query)")
    far = client.get(LEAKAGE, {"start": "1990-01-01"})
    assert far.status_code == 422 and "start (query)" in far.json()["detail"]


def test_staff_and_organisation_tokens_are_refused(world):
    assert api_client(world, "own_staff").get(TRANSLATORS).status_code == 403
    assert organisation_client(world, "own_admin").get(LEAKAGE).status_code == 403
    assert api_client(world, "anonymous").get(LEAKAGE).status_code == 401


def test_the_figures_ask_as_many_queries_with_more_leavers_and_secondments(world):
    client = api_client(world, "partnership_lead")
    second(world, "own_staff", world.icb, started_days_ago=300)
    leave(world, "own_admin", Destination.PARTNER, to=world.partner)
    small = (api_queries(client, TRANSLATORS), api_queries(client, LEAKAGE))
    for persona in ("own_ld_lead", "own_levy_officer", "partner_staff"):
        second(world, persona, world.icb, started_days_ago=120)
        leave(world, persona, Destination.PRIVATE)
    assert (api_queries(client, TRANSLATORS), api_queries(client, LEAKAGE)) == small
