"""The levy pages that would grow with history or with the partnership come a page at a time: the
statement by whole tax years, the partnership view 10 accounts a page (totals of every account)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.levy import queries
from joinedup.levy.models import EntryKind, LedgerEntry
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.levy.views.partnership import PAGE_SIZE
from joinedup.partnership.tests.factories import MembershipFactory, OrganisationFactory

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def fund(account, month: dt.date, amount: str, key: str) -> None:
    LedgerEntry.objects.create(
        account=account, kind=EntryKind.FUNDS_IN, month=month, amount=Decimal(amount), key=key
    )


def test_statement_pages_are_whole_tax_years_of_at_least_twelve_months():
    days = [dt.date(2023, 4, 1) + dt.timedelta(days=31 * n) for n in range(44)]
    months = [day.replace(day=1) for day in reversed(days)]
    pages = queries.statement_pages(months)
    assert [page.years for page in pages] == [(2026, 2025), (2024,), (2023,)]
    assert [len(page.months) for page in pages] == [20, 12, 12]
    assert [month for page in pages for month in page.months] == months
    assert queries.statement_pages([]) == []


def test_a_statement_page_equals_that_part_of_the_whole_statement(db):
    account = LevyAccountFactory()
    for year in range(2019, 2027):
        for month, amount in ((4, "100.5"), (9, "-20.25"), (1, "7")):
            day = dt.date(year + (month < 4), month, 1)
            if day <= TODAY:
                fund(account, day, amount, f"f:{day}")
    whole = queries.statement(account)
    pages = queries.statement_pages(queries.statement_months(account))
    assert len(pages) == 2  # 2026-27 back to 2022-23 (14 months), then 2019-20 to 2021-22
    assert [row for page in pages for row in queries.statement_page(account, page)] == whole


def test_the_statement_shows_a_page_of_tax_years_and_links_to_older_ones(world, client_for):
    account = LevyAccountFactory(organisation=world.own)
    for year in range(2019, 2027):
        for month in (4, 9, 1):
            day = dt.date(year + (month < 4), month, 1)
            if day <= TODAY:
                fund(account, day, "100", f"f:{day}")
    client = client_for("own_levy_officer")
    url = reverse("levy:account", kwargs={"pk": account.pk})
    first = client.get(url).content.decode()
    # 2026-27 has two months, each year before three: back to 2022-23 the page holds 14.
    assert "September 2026" in first and "January 2023" in first
    assert "January 2022" not in first
    assert f'href="{url}?year=2021"' in first and "Older months" in first
    older = client.get(f"{url}?year=2021").content.decode()
    assert "January 2022" in older and "January 2023" not in older
    assert "£900.00" in older  # the balance at the end of January 2022: nine months of £100
    assert "Newer months" in older
    nonsense = client.get(f"{url}?year=nonsense").content.decode()
    assert "January 2023" in nonsense and "January 2022" not in nonsense


def members(world, count: int) -> list:
    accounts = []
    for number in range(count):
        organisation = OrganisationFactory(name=f"Member {number:02d}")
        MembershipFactory(partnership=world.partnership, organisation=organisation)
        account = LevyAccountFactory(organisation=organisation)
        fund(account, dt.date(2026, 1, 1), f"{1000 + number}.125", "f")
        accounts.append(account)
    return accounts


def test_the_partnership_view_pages_its_accounts_and_totals_every_one(world, client_for):
    count = PAGE_SIZE + 5
    members(world, count)
    client = client_for("partnership_lead")
    url = reverse("levy:partnership")
    first = client.get(f"{url}?sort=balance").content.decode()
    # Largest balance first: the last member leads page 1, the first is on page 2.
    last, before_last = f"Member {count - 1:02d}", f"Member {count - 2:02d}"
    assert first.index(last) < first.index(before_last)
    assert "Member 00" not in first
    assert f"page 1 of 2 ({count} accounts)" in first
    total = sum(Decimal(f"{1000 + n}.125") for n in range(count))
    assert f"£{total:,.2f}" in first  # every account's balance, to the penny
    second = client.get(f"{url}?sort=balance&page=2").content.decode()
    assert "Member 00" in second and last not in second
    assert client.get(f"{url}?sort=balance&page=99").content.decode().count("Member ") == (
        second.count("Member ")
    )


def test_the_partnership_view_takes_the_same_queries_for_few_or_many_accounts(world, client_for):
    client = client_for("partnership_lead")
    url = reverse("levy:partnership")
    members(world, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    members(world, PAGE_SIZE + 10)
    with CaptureQueriesContext(connection) as stale:
        client.get(url)  # works out and stores the new accounts' figures
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(stale) <= len(few) + 10
