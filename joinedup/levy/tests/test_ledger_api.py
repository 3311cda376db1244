"""The levy ledger API: accounts, an account's figures, statement, forecast and allowance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from joinedup.levy.models import EntryKind, LedgerEntry
from joinedup.levy.tests.factories import CommitmentFactory, LevyAccountFactory
from joinedup.partnership.tests.api_helpers import API, api_client, api_queries, ids

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def post_entry(account, kind, month, amount):
    return LedgerEntry.objects.create(
        account=account,
        kind=kind,
        month=month,
        amount=Decimal(amount),
        key=f"{kind}:{month:%Y-%m}:{amount}",
    )


@pytest.fixture
def accounts(world):
    own = LevyAccountFactory(organisation=world.own)
    post_entry(own, EntryKind.FUNDS_IN, dt.date(2025, 1, 1), "1000")
    post_entry(own, EntryKind.FUNDS_IN, dt.date(2025, 3, 1), "2000")
    post_entry(own, EntryKind.FUNDS_IN, dt.date(2026, 9, 1), "500")
    post_entry(own, EntryKind.PAYMENT, dt.date(2025, 6, 1), "-300")
    CommitmentFactory(
        account=own,
        start_on=dt.date(2027, 2, 1),
        planned_end_on=dt.date(2027, 3, 31),
        price=Decimal("1000"),
        funding_band=Decimal("1000"),
    )
    partner = LevyAccountFactory(organisation=world.partner)
    outsider = LevyAccountFactory(organisation=world.outsider_org)
    return {"own": own, "partner": partner, "outsider": outsider}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("own_levy_officer", ["own"]),
        ("own_admin", ["own"]),
        ("own_staff", []),
        ("partner_admin", ["partner"]),
        ("partnership_lead", ["own", "partner"]),
        ("outsider", ["outsider"]),
    ],
)
def test_the_list_holds_the_accounts_whose_figures_the_caller_reads(world, accounts, persona, seen):
    response = api_client(world, persona).get(f"{API}/levy/accounts")
    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(accounts[which].pk for which in seen)


def test_the_list_pages_with_a_cursor_and_refuses_a_made_up_one(world, accounts):
    client = api_client(world, "partnership_lead")
    first = client.get(f"{API}/levy/accounts?limit=1").json()
    second = client.get(f"{API}/levy/accounts?limit=1&cursor={first['next']}").json()
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert client.get(f"{API}/levy/accounts?cursor=nonsense").status_code == 422


def test_an_accounts_figures_are_decimal_strings(world, accounts):
    body = api_client(world, "own_levy_officer").get(f"{API}/levy/accounts/{accounts['own'].pk}")
    assert body.json() | {"opened_on": None} == {
        "id": accounts["own"].pk,
        "organisation": {"id": world.own.pk, "name": world.own.name},
        "english_fraction": "1.00000",
        "opened_on": None,
        "balance": "3200.00000",
        "forecast_expiry": "2200.00000",
        "next_expiry_month": "2027-01",
        "next_expiry_amount": "700.00000",
        "remaining_allowance": "0",
    }


def test_the_statement_is_newest_first_with_closing_balances(world, accounts):
    url = f"{API}/levy/accounts/{accounts['own'].pk}/statement"
    body = api_client(world, "own_admin").get(url).json()
    assert body["balance"] == "3200.00000"
    assert [month["month"] for month in body["months"]] == [
        "2026-09",
        "2025-06",
        "2025-03",
        "2025-01",
    ]
    assert body["months"][1]["payments"] == "-300.00000"
    assert body["months"][1]["closing_balance"] == "2700.00000"


def test_the_forecast_gives_24_months_with_the_hand_worked_expiries(world, accounts):
    url = f"{API}/levy/accounts/{accounts['own'].pk}/forecast"
    body = api_client(world, "partnership_lead").get(url).json()
    assert len(body["months"]) == 24
    assert body["total"] == "2200.00000"
    expiring = {row["month"]: row["expiring"] for row in body["months"] if row["expiring"] != "0"}
    assert expiring == {"2027-01": "700.00000", "2027-03": "1000.00000", "2027-09": "500.00000"}
    march = next(row for row in body["months"] if row["month"] == "2027-03")
    assert march["landed"] == ["2025-03"]
    assert march["save_by_then"] == "1700.00000"
    assert body["committed"] == {"2027-02": "400.00000", "2027-03": "600.00000"}


def test_the_allowance_says_what_it_rests_on(world, accounts):
    post_entry(accounts["own"], EntryKind.FUNDS_IN, dt.date(2025, 6, 1), "10000")
    url = f"{API}/levy/accounts/{accounts['own'].pk}/allowance"
    body = api_client(world, "own_levy_officer").get(url).json()
    assert body["starts_on"] == "2026-04-20"
    assert body["ends_on"] == "2027-04-19"
    assert body["previous_year_funds_in"] == "10000.00000"
    assert Decimal(body["share"]) == Decimal("0.5")
    assert body["allowance"] == "5000.00000"
    assert body["remaining"] == "5000.00000"


@pytest.mark.parametrize(
    "path",
    ["", "/statement", "/forecast", "/allowance"],
)
def test_another_organisations_account_is_not_found(world, accounts, path):
    client = api_client(world, "partner_admin")
    response = client.get(f"{API}/levy/accounts/{accounts['own'].pk}{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"} or "detail" in response.json()


@pytest.mark.parametrize("pk", ["0", "-1", "abc", "99999999999999999999999", "1.5"])
def test_a_bad_account_id_is_a_clear_error_never_a_500(world, accounts, pk):
    response = api_client(world, "own_levy_officer").get(f"{API}/levy/accounts/{pk}/forecast")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()


def test_account_reads_take_the_same_queries_with_more_history(world, accounts):
    client = api_client(world, "own_levy_officer")
    pk = accounts["own"].pk
    before = {
        path: api_queries(client, f"{API}/levy/accounts/{pk}{path}")
        for path in ("", "/statement", "/forecast", "/allowance")
    }
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            account=accounts["own"],
            kind=EntryKind.FUNDS_IN,
            month=dt.date(2015 + n // 12, n % 12 + 1, 1),
            amount=Decimal("100"),
            key=f"history:{n}",
        )
        for n in range(100)
    )
    after = {
        path: api_queries(client, f"{API}/levy/accounts/{pk}{path}")
        for path in ("", "/statement", "/forecast", "/allowance")
    }
    assert after == before
