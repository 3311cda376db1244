"""The levy ledger pages in Chromium, each checked with axe: a levy officer opens the account from
the levy home, then reads the statement, a month's entries, the forecast, the allowance and the
rules. Today is pinned to 15 November 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from joinedup.levy.models import EntryKind, LedgerEntry, LevyAccount
from joinedup.levy.tests.factories import CommitmentFactory
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def pinned(browser_world, monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return browser_world


def test_a_levy_officer_opens_the_account_and_reads_its_pages(page, pinned, sign_in):
    # The run's first page (templates and static files still cold) may outlast the default.
    page.goto("/accounts/login/", timeout=60_000)
    sign_in("own_levy_officer")
    page.goto("/levy/")
    check_accessibility(page)
    page.get_by_role("button", name="Open the levy account").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("levy account")
    account = LevyAccount.objects.get(organisation=pinned.own)
    for month, amount in ((dt.date(2025, 1, 1), "1000"), (dt.date(2025, 6, 1), "2000")):
        LedgerEntry.objects.create(
            account=account,
            kind=EntryKind.FUNDS_IN,
            month=month,
            amount=Decimal(amount),
            key=f"funds_in:{month:%Y-%m}:1",
            label="Levy declared",
        )
    CommitmentFactory(account=account, start_on=dt.date(2027, 2, 1))
    page.goto(f"/levy/accounts/{account.pk}/")
    expect(page.get_by_role("row", name="June 2025")).to_contain_text("£3,000.00")
    check_accessibility(page)
    page.get_by_role("link", name="January 2025").click()
    expect(page.locator("#entries")).to_contain_text("Levy declared")
    check_accessibility(page)
    page.goto(f"/levy/accounts/{account.pk}/forecast/")
    expect(page.get_by_role("row", name="January 2027")).to_contain_text("£1,000.00")
    check_accessibility(page)
    page.goto(f"/levy/accounts/{account.pk}/allowance/")
    expect(page.locator("#allowance-total")).to_contain_text("£1,000.00")
    check_accessibility(page)
    page.goto("/levy/")
    expect(page.locator("#balance")).to_contain_text("£3,000.00")
    check_accessibility(page)
    page.get_by_role("link", name="The levy rules in force").click()
    expect(page.get_by_role("heading", name="Levy rules in force")).to_be_visible()
    check_accessibility(page)
