"""The levy ledger pages through HTTP: the levy home, opening an account, the statement, a month's
entries, the expiry forecast, the transfer allowance and the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.levy.models import EntryKind, LedgerEntry, LevyAccount
from joinedup.levy.tests.factories import CommitmentFactory, LevyAccountFactory
from joinedup.partnership.models import AuditEvent

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def post_entry(account, kind, month, amount, key=None, label=""):
    return LedgerEntry.objects.create(
        account=account,
        kind=kind,
        month=month,
        amount=Decimal(amount),
        key=key or f"{kind}:{month:%Y-%m}:{amount}",
        label=label,
    )


@pytest.fixture
def account(world):
    """Own's account: the forecast's hand-worked example (see test_queries)."""
    account = LevyAccountFactory(organisation=world.own)
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2025, 1, 1), "1000")
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2025, 3, 1), "2000")
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2026, 9, 1), "500")
    post_entry(account, EntryKind.PAYMENT, dt.date(2025, 6, 1), "-300", label="APP-1 with Barnet")
    CommitmentFactory(
        account=account,
        reference="APP-2",
        start_on=dt.date(2027, 2, 1),
        planned_end_on=dt.date(2027, 3, 31),
        price=Decimal("1000"),
        funding_band=Decimal("1000"),
    )
    return account


def page(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_levy_officer_without_an_account_is_offered_to_open_one_and_opens_it_once(
    world, client_for
):
    officer = client_for("own_levy_officer")
    assert "Open the levy account" in page(officer, "levy:home")
    response = officer.post(reverse("levy:account-open"))
    account = LevyAccount.objects.get(organisation=world.own)
    assert response.status_code == 302
    assert response["Location"] == reverse("levy:account", kwargs={"pk": account.pk})
    officer.post(reverse("levy:account-open"))
    assert LevyAccount.objects.filter(organisation=world.own).count() == 1
    assert AuditEvent.objects.filter(action="levy_account.opened").count() == 1
    assert "Open the levy account" not in page(officer, "levy:home")


def test_an_admin_reads_the_account_but_does_not_open_one(world, client_for):
    admin = client_for("own_admin")
    assert "Open the levy account" not in page(admin, "levy:home")
    assert admin.post(reverse("levy:account-open")).status_code == 403
    assert not LevyAccount.objects.filter(organisation=world.own).exists()


def test_staff_without_a_levy_role_are_told_who_reads_levy_figures(world, account, client_for):
    html = page(client_for("own_staff"), "levy:home")
    assert "levy officers and admins" in html
    assert reverse("levy:account", kwargs={"pk": account.pk}) not in html


def test_the_home_page_shows_the_officers_own_figures(account, client_for):
    html = page(client_for("own_levy_officer"), "levy:home")
    assert "£3,200.00" in html  # balance
    assert "£2,200.00" in html  # expiring in 24 months
    assert "£700.00 in January 2027" in html


def test_the_partnership_lead_sees_each_member_account_on_the_home_page(world, account, client_for):
    partner = LevyAccountFactory(organisation=world.partner)
    outsider = LevyAccountFactory(organisation=world.outsider_org)
    html = page(client_for("partnership_lead"), "levy:home")
    assert reverse("levy:account", kwargs={"pk": account.pk}) in html
    assert reverse("levy:account", kwargs={"pk": partner.pk}) in html
    assert reverse("levy:account", kwargs={"pk": outsider.pk}) not in html


def test_the_home_page_leads_to_transfers_and_for_leads_to_the_optimiser(account, client_for):
    officer = page(client_for("own_levy_officer"), "levy:home")
    lead = page(client_for("partnership_lead"), "levy:home")
    for name in ("levy:pledges", "levy:needs", "levy:recommendations"):
        assert f'href="{reverse(name)}"' in officer
        assert f'href="{reverse(name)}"' in lead
    assert f'href="{reverse("levy:optimiser")}"' not in officer
    assert f'href="{reverse("levy:optimiser")}"' in lead
    assert f'href="{reverse("levy:partnership")}"' in lead
    assert 'id="transfer-links"' not in page(client_for("own_staff"), "levy:home")


def test_the_statement_is_by_month_newest_first_to_the_penny(world, client_for):
    account = LevyAccountFactory(organisation=world.own)
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2026, 9, 1), "1000.125")
    post_entry(account, EntryKind.TOP_UP, dt.date(2026, 9, 1), "100.0125")
    post_entry(account, EntryKind.PAYMENT, dt.date(2026, 10, 1), "-0.005")
    html = page(client_for("own_levy_officer"), "levy:account", pk=account.pk)
    assert html.index("October 2026") < html.index("September 2026")
    assert "£1,000.13" in html  # 1000.125 rounds half away from zero
    assert "£100.01" in html
    assert "−£0.01" in html
    assert "£1,100.13" in html  # the balance at the end of October: 1100.1325


def test_the_statement_takes_the_same_queries_for_one_year_or_ten(world, client_for):
    account = LevyAccountFactory(organisation=world.own)
    client = client_for("own_levy_officer")

    def queries_for_page():
        client.get(reverse("levy:account", kwargs={"pk": account.pk}))
        with CaptureQueriesContext(connection) as captured:
            page(client, "levy:account", pk=account.pk)
        return len(captured)

    for month in range(1, 13):
        post_entry(account, EntryKind.FUNDS_IN, dt.date(2025, month, 1), "100")
    one_year = queries_for_page()
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            account=account,
            kind=EntryKind.FUNDS_IN,
            month=dt.date(2015 + n // 12, n % 12 + 1, 1),
            amount=Decimal("100"),
            key=f"older:{n}",
        )
        for n in range(108)
    )
    assert queries_for_page() == one_year


def test_a_months_entries_show_what_each_was_for(account, client_for):
    html = page(
        client_for("own_levy_officer"), "levy:account-month", pk=account.pk, month="2025-06"
    )
    assert "APP-1 with Barnet" in html
    assert "−£300.00" in html


@pytest.mark.parametrize("month", ["2025-13", "2025-1", "June", "0000-01", "99999-01", "2025-06x"])
def test_a_month_that_is_not_one_is_not_found(account, client_for, month):
    url = f"/levy/accounts/{account.pk}/months/{month}/"
    assert client_for("own_levy_officer").get(url).status_code == 404


def test_the_forecast_page_shows_what_expires_when_and_what_would_save_it(account, client_for):
    html = page(client_for("own_levy_officer"), "levy:account-forecast", pk=account.pk)
    assert "£2,200.00 will expire in the next 24 months" in html
    assert "the first £700.00 at the end of January 2027" in html
    assert "<svg" in html and 'role="img"' in html
    assert "January 2025" in html  # where January 2027's expiring funds came from
    assert "£1,700.00" in html  # spend this much more by the end of March 2027
    assert "APP-2" in html and "£1,000.00" in html  # the commitment and what is still to pay


def test_a_transfer_funded_apprenticeship_is_the_senders_commitment(world, account, client_for):
    partner = LevyAccountFactory(organisation=world.partner)
    CommitmentFactory(
        account=partner,
        funded_by=account,
        reference="CARE-1",
        start_on=dt.date(2027, 1, 1),
        planned_end_on=dt.date(2027, 12, 31),
    )
    lead = client_for("partnership_lead")
    assert "CARE-1" in page(lead, "levy:account-forecast", pk=account.pk)
    partner_page = page(lead, "levy:account-forecast", pk=partner.pk)
    assert "A transfer from London Borough of Barnet" in partner_page
    assert "No payments are committed from this month on." in partner_page


def test_the_allowance_page_shows_the_allowance_used_and_left(account, client_for):
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2025, 6, 1), "10000")
    html = page(client_for("own_admin"), "levy:account-allowance", pk=account.pk)
    assert "20 April 2026" in html and "19 April 2027" in html
    assert "50%" in html
    assert "£5,000.00" in html  # half of the 10,000 that landed in June 2025


def test_the_rules_page_lists_each_rule_with_its_dates(client_for):
    html = page(client_for("own_staff"), "levy:rules")
    assert "Government top-up" in html or "Top-up rate" in html
    assert "1 August 2026" in html
    assert "Replaced" in html and "In force" in html
    assert "£2,000.00" in html  # the smallest pledge


def test_an_outsider_cannot_find_the_account(account, client_for):
    outsider = client_for("outsider")
    for name in ("levy:account", "levy:account-forecast", "levy:account-allowance"):
        assert outsider.get(reverse(name, kwargs={"pk": account.pk})).status_code == 404


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999"])
def test_an_account_number_that_is_not_one_is_not_found(account, client_for, pk):
    officer = client_for("own_levy_officer")
    for path in ("", "forecast/", "allowance/", "months/2025-06/"):
        assert officer.get(f"/levy/accounts/{pk}/{path}").status_code == 404
