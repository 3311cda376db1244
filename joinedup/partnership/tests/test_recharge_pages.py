"""Recharge pages: the statement with its chart, the entries, the CSV download and reversing."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import services
from joinedup.partnership.forms import financial_year
from joinedup.partnership.models import RechargeEntry

STATEMENT = reverse("partnership:recharges")
ENTRIES = reverse("partnership:recharge-entries")
CSV = reverse("partnership:recharge-csv")
TODAY = dt.date(2026, 11, 2)
YEAR = {
    "start_day": "1",
    "start_month": "4",
    "start_year": "2026",
    "end_day": "31",
    "end_month": "3",
    "end_year": "2027",
}


def charge(world, amount="150.00", *, payer=None, payee=None, **fields) -> RechargeEntry:
    values = {
        "source_kind": "run",
        "source_id": "17",
        "source_label": "Safeguarding adults level 3",
        "occurred_on": TODAY,
    }
    values.update(fields)
    return services.post_recharge(
        actor=None,
        payer=payer or world.partner,
        payee=payee or world.own,
        amount=Decimal(amount),
        **values,
    )


def reverse_url(entry: RechargeEntry) -> str:
    return reverse("partnership:recharge-reverse", args=[entry.pk])


# --- Statement ------------------------------------------------------------------------------------


def test_ld_lead_sees_owed_to_us_owed_by_us_and_net_per_partner(world, client_for):
    charge(world, "150.00")
    charge(world, "40.00", payer=world.own, payee=world.partner)
    charge(world, "25.50", payer=world.icb)
    page = client_for("own_ld_lead").get(STATEMENT, YEAR).content.decode()
    assert "£110.00 owed to us" in page  # the partner: 150 to us less 40 by us
    assert "£25.50 owed to us" in page  # the ICB
    assert "£135.50 owed to us" in page  # the net total
    assert "£175.50" in page and "£40.00" in page  # the totals owed to and by us
    assert '<table class="govuk-table" id="statement">' in page
    assert "<svg" in page and 'role="img"' in page


def test_statement_links_to_the_places_given_and_received_in_the_same_period(world, client_for):
    page = client_for("own_levy_officer").get(STATEMENT, YEAR).content.decode()
    assert f'href="{reverse("learning:exchange")}?start_day=1&amp;' in page


def test_partner_sees_the_same_charges_from_its_side(world, client_for):
    charge(world, "150.00")
    page = client_for("partner_admin").get(STATEMENT, YEAR).content.decode()
    assert "£150.00 owed by us" in page
    assert world.own.name in page


def test_levy_officer_reads_the_statement(world, client_for):
    charge(world)
    page = client_for("own_levy_officer").get(STATEMENT, YEAR)
    assert page.status_code == 200
    assert "£150.00 owed to us" in page.content.decode()


@pytest.mark.parametrize("persona", ["own_staff", "own_line_manager", "partnership_lead"])
def test_people_without_a_finance_role_are_refused(world, client_for, persona):
    assert client_for(persona).get(STATEMENT).status_code == 403
    assert client_for(persona).get(ENTRIES).status_code == 403
    assert client_for(persona).get(CSV).status_code == 403


def test_outsider_sees_only_their_own_organisation(world, client_for):
    charge(world, "150.00")
    page = client_for("outsider").get(STATEMENT, YEAR).content.decode()
    assert 'id="no-entries"' in page
    assert world.partner.name not in page


def test_statement_opens_on_the_current_financial_year(world, client_for):
    start, end = financial_year(timezone.localdate())
    charge(world, "12.00", occurred_on=start)
    charge(world, "30.00", occurred_on=start - dt.timedelta(days=1))
    page = client_for("own_admin").get(STATEMENT).content.decode()
    assert f'name="start_year" type="text" inputmode="numeric" value="{start.year}"' in page
    assert f"{end:%-d %B %Y}" in page
    assert "£12.00 owed to us" in page
    assert "£30.00" not in page


def test_financial_year_runs_from_april_to_march():
    assert financial_year(dt.date(2027, 3, 31)) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert financial_year(dt.date(2026, 4, 1)) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_statement_filtered_by_partner_shows_that_partner_only(world, client_for):
    charge(world, "150.00")
    charge(world, "25.50", payer=world.icb)
    page = client_for("own_ld_lead").get(STATEMENT, {**YEAR, "partner": world.icb.pk})
    text = page.content.decode()
    assert "£25.50 owed to us" in text
    assert "£150.00" not in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_year": "2025"}, "The ‘To’ date must be the same as or after the ‘From’ date"),
        ({"start_month": "13"}, "From must be a real date"),
        ({"end_day": ""}, "To must include a day"),
        ({"start_year": "26"}, "Year must include 4 numbers"),
        ({"partner": "999999"}, "Choose a partner from the list"),
    ],
)
def test_a_bad_period_is_named_in_the_error_summary(world, client_for, changes, message):
    response = client_for("own_ld_lead").get(STATEMENT, {**YEAR, **changes})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page


def test_statement_costs_the_same_queries_for_few_and_many_partners(world, client_for):
    client = client_for("own_ld_lead")
    charge(world, "10.00")
    client.get(STATEMENT, YEAR)
    with CaptureQueriesContext(connection) as few:
        client.get(STATEMENT, YEAR)
    for number in range(5):
        charge(world, "5.00", payer=world.icb, source_id=str(number))
        charge(world, "7.00", payer=world.own, payee=world.icb, source_id=str(number))
    with CaptureQueriesContext(connection) as many:
        client.get(STATEMENT, YEAR)
    assert len(many) == len(few)


# --- Entries --------------------------------------------------------------------------------------


def test_entries_show_status_source_purchase_order_and_cost_centre(world, client_for):
    first = charge(world, purchase_order="PO-4411", cost_centre="CC 72")
    services.reverse_recharge(
        actor=world.actor("own_ld_lead"), entry=first, reason="Cancelled in time"
    )
    charge(world, "20.00", source_label="Leading teams, 5 May")
    page = client_for("own_levy_officer").get(ENTRIES, YEAR).content.decode()
    assert "Posted" in page and "Reversed" in page and "Reversal" in page
    assert "PO PO-4411" in page and "Cost centre CC 72" in page
    assert "Leading teams, 5 May" in page
    assert "Cancelled in time" in page


def test_levy_officer_gets_no_reverse_link_but_the_lead_does(world, client_for):
    entry = charge(world)
    assert (
        reverse_url(entry) not in client_for("own_levy_officer").get(ENTRIES, YEAR).content.decode()
    )
    assert reverse_url(entry) in client_for("own_ld_lead").get(ENTRIES, YEAR).content.decode()


def test_entries_filtered_by_partner(world, client_for):
    charge(world, "150.00", source_label="From the trust")
    charge(world, "25.50", payer=world.icb, source_label="From the board")
    page = client_for("own_admin").get(ENTRIES, {**YEAR, "partner": world.icb.pk})
    assert "From the board" in page.content.decode()
    assert "From the trust" not in page.content.decode()


def test_entries_come_in_pages_of_fifty_at_a_constant_query_count(world, client_for):
    client = client_for("own_ld_lead")
    for number in range(3):
        charge(world, "1.00", source_id=str(number))
    client.get(ENTRIES, YEAR)
    with CaptureQueriesContext(connection) as few:
        client.get(ENTRIES, YEAR)
    for number in range(60):
        charge(world, "1.00", payer=world.icb, source_id=f"b{number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(ENTRIES, YEAR)
    assert len(many) == len(few)
    page = response.content.decode()
    assert page.count('<tr class="govuk-table__row" id="entry-') == 50
    following = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', page).group(1)
    rest = client.get(ENTRIES + html.unescape(following)).content.decode()
    assert rest.count('<tr class="govuk-table__row" id="entry-') == 13


# --- CSV ------------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_lists_the_entries_with_organisation_and_dates_in_its_name(world, client_for):
    charge(world, "150.00", purchase_order="PO-1")
    response = client_for("own_ld_lead").get(CSV, YEAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="recharges-london-borough-of-barnet-2026-04-01-to-2027-03-31.csv"'
        in response["Content-Disposition"]
    )
    rows = _csv(response)
    assert rows[0][0] == "Date"
    assert rows[1][2:6] == [world.partner.name, world.own.name, "150.00", "150.00"]
    assert rows[1][9] == "PO-1"


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(world, client_for):
    charge(world, source_label='=HYPERLINK("http://evil.test")', purchase_order="@SUM(A1)")
    rows = _csv(client_for("partner_admin").get(CSV, YEAR))
    assert rows[1][8] == '\'=HYPERLINK("http://evil.test")'
    assert rows[1][9] == "'@SUM(A1)"


def test_csv_of_one_partner_holds_only_its_entries(world, client_for):
    charge(world, "150.00", source_label="From the trust")
    charge(world, "25.50", payer=world.icb, source_label="From the board")
    rows = _csv(client_for("own_ld_lead").get(CSV, {**YEAR, "partner": world.icb.pk}))
    assert [row[8] for row in rows[1:]] == ["From the board"]


def test_csv_with_a_bad_period_shows_the_error_instead(world, client_for):
    response = client_for("own_ld_lead").get(CSV, {**YEAR, "end_year": "2020"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_csv_of_another_organisation_is_never_given(world, client_for):
    charge(world, source_label="Private to Barnet and the trust")
    rows = _csv(client_for("outsider").get(CSV, YEAR))
    assert len(rows) == 1


# --- Reversing -----------------------------------------------------------------------------------


def test_lead_reverses_an_entry_with_a_reason(world, client_for):
    entry = charge(world)
    client = client_for("own_ld_lead")
    assert "Reason for reversing" in client.get(reverse_url(entry)).content.decode()
    response = client.post(reverse_url(entry), {"reason": "Disputed: did not attend"})
    assert response.status_code == 302
    assert response["Location"] == ENTRIES
    reversal = RechargeEntry.objects.get(reverses=entry)
    assert reversal.amount == Decimal("-150.00")
    assert reversal.reason == "Disputed: did not attend"


def test_the_payer_may_dispute_a_charge(world, client_for):
    entry = charge(world)
    response = client_for("partner_ld_lead").post(reverse_url(entry), {"reason": "Disputed"})
    assert response.status_code == 302
    assert RechargeEntry.objects.filter(reverses=entry).exists()


def test_reversing_without_a_reason_names_the_field(world, client_for):
    entry = charge(world)
    response = client_for("own_admin").post(reverse_url(entry), {"reason": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_reason">Enter the reason for reversing this entry</a>' in page
    assert not RechargeEntry.objects.filter(reverses=entry).exists()


def test_a_reversed_entry_cannot_be_reversed_again(world, client_for):
    entry = charge(world)
    services.reverse_recharge(actor=world.actor("own_ld_lead"), entry=entry, reason="Wrong")
    client = client_for("own_ld_lead")
    assert 'id="not-reversible"' in client.get(reverse_url(entry)).content.decode()
    response = client.post(reverse_url(entry), {"reason": "Again"})
    assert "This entry has already been reversed" in response.content.decode()
    assert RechargeEntry.objects.filter(reverses__isnull=False).count() == 1


def test_levy_officer_may_not_reverse(world, client_for):
    entry = charge(world)
    assert (
        client_for("own_levy_officer").post(reverse_url(entry), {"reason": "x"}).status_code == 403
    )


@pytest.mark.parametrize("persona", ["own_staff", "partnership_lead", "outsider"])
def test_entry_is_missing_for_those_who_cannot_read_it(world, client_for, persona):
    entry = charge(world)
    assert client_for(persona).get(reverse_url(entry)).status_code == 404


# --- Navigation ----------------------------------------------------------------------------------


def test_recharges_link_is_in_the_navigation_of_those_allowed(world, client_for):
    home = reverse("partnership:home")
    link = f'href="{STATEMENT}"'
    assert link in client_for("own_levy_officer").get(home).content.decode()
    assert link not in client_for("own_staff").get(home).content.decode()
