"""Joint commission pages: start, join, agree with a preview, cancel, link, lists and the report."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.learning import commissions
from joinedup.learning.models import (
    CommissionStatus,
    JointCommission,
    PlanStatus,
    Reservation,
    SharingPolicy,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.learning.tests.test_commissions import joined, make_plan, started
from joinedup.partnership.models import RechargeEntry


def test_the_plans_ld_lead_is_sent_to_start_and_starts_a_commission(world, client_for):
    plan = make_plan(world)
    client = client_for("own_ld_lead")

    entry = client.get(reverse("learning:commission-join", args=[plan.pk]))
    assert entry.status_code == 302
    assert entry["Location"] == reverse("learning:commission-start", args=[plan.pk])

    response = client.post(entry["Location"], {"places": "30", "split_method": "equal"})

    commission = JointCommission.objects.get(plan=plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:commission", args=[commission.pk])
    assert commission.split_method == "equal"
    assert commission.partners.get().places == 30


def test_a_partner_sees_that_nothing_was_started_yet(world, client_for):
    plan = make_plan(world)
    response = client_for("partner_ld_lead").get(
        reverse("learning:commission-join", args=[plan.pk])
    )
    assert response.status_code == 200
    assert "No joint commission yet" in response.text


def test_a_partners_ld_lead_joins_from_the_plans_link(world, client_for):
    commission = started(world)
    url = reverse("learning:commission-join", args=[commission.plan_id])
    client = client_for("partner_ld_lead")

    assert client.get(url).status_code == 200
    response = client.post(url, {"places": "12"})

    assert response.status_code == 302
    assert commission.partners.get(organisation=world.partner).places == 12
    assert client.get(url)["Location"] == reverse("learning:commission", args=[commission.pk])


@pytest.mark.parametrize("junk", ["", "0", "-1", "ten", "1e3", "9" * 30, "2.5"])
def test_junk_places_are_named_on_the_form(world, client_for, junk):
    commission = started(world)
    response = client_for("partner_ld_lead").post(
        reverse("learning:commission-join", args=[commission.plan_id]), {"places": junk}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert not commission.partners.filter(organisation=world.partner).exists()


def test_the_detail_page_shows_partners_and_the_saving(world, client_for):
    commission = joined(world, places=20)  # lead 40, partner 20: 20000 + 100 x 60 = 26000

    response = client_for("partner_staff").get(reverse("learning:commission", args=[commission.pk]))

    assert response.status_code == 200
    # Alone: 2 x 20000 + 100 x 60 = 46000; jointly 26000; saving 20000.
    assert "£46,000.00" in response.text
    assert "£26,000.00" in response.text
    assert "£20,000.00" in response.text
    assert '<svg width="100%"' in response.text


def test_an_outsider_gets_a_404_for_a_commission(world, client_for):
    commission = started(world)
    response = client_for("outsider").get(reverse("learning:commission", args=[commission.pk]))
    assert response.status_code == 404


def test_the_lead_previews_shares_then_agrees_and_shares_are_charged(world, client_for):
    commission = joined(world, places=20)
    client = client_for("own_ld_lead")
    url = reverse("learning:commission-agree", args=[commission.pk])

    preview = client.get(url, {"split_method": "equal", "total_cost": "1000.01"})
    assert preview.status_code == 200
    assert "£500.01" in preview.text and "£500.00" in preview.text
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.FORMING

    response = client.post(
        url, {"split_method": "equal", "total_cost": "1000.01", "action": "agree"}
    )

    assert response.status_code == 302
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.AGREED
    assert commission.plan.status == PlanStatus.COMMISSIONED
    entry = RechargeEntry.objects.get(source_kind="joint_commission")
    assert (entry.payer, entry.payee, entry.amount) == (world.partner, world.own, Decimal("500.00"))


@pytest.mark.parametrize(
    "data",
    [
        {"split_method": "magic"},
        {"split_method": "equal", "total_cost": "lots"},
        {"split_method": "equal", "total_cost": "-10"},
        {"split_method": "equal", "total_cost": "NaN"},
        {"split_method": "equal", "total_cost": "1e9999"},
        {"split_method": "equal", "total_cost": "0.001", "action": "agree"},
        {},
    ],
)
def test_junk_terms_never_fail_and_agree_nothing(world, client_for, data):
    commission = joined(world)
    url = reverse("learning:commission-agree", args=[commission.pk])
    client = client_for("own_ld_lead")
    assert client.get(url, data).status_code == 200
    assert client.post(url, data).status_code == 200
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.FORMING


def test_saving_terms_keeps_it_forming(world, client_for):
    commission = joined(world)
    response = client_for("own_ld_lead").post(
        reverse("learning:commission-agree", args=[commission.pk]),
        {"split_method": "equal", "total_cost": "9000", "action": "save"},
    )
    assert response.status_code == 302
    commission.refresh_from_db()
    assert (commission.split_method, commission.total_cost) == ("equal", Decimal("9000"))
    assert commission.status == CommissionStatus.FORMING


def test_a_partner_may_not_agree(world, client_for):
    commission = joined(world)
    url = reverse("learning:commission-agree", args=[commission.pk])
    assert client_for("partner_ld_lead").get(url).status_code == 403


def test_a_partner_changes_places_and_leaves(world, client_for):
    commission = joined(world)
    client = client_for("partner_ld_lead")
    changed = client.post(
        reverse("learning:commission-places", args=[commission.pk]), {"places": "4"}
    )
    assert changed.status_code == 302
    assert commission.partners.get(organisation=world.partner).places == 4
    left = client.post(reverse("learning:commission-leave", args=[commission.pk]))
    assert left.status_code == 302
    assert not commission.partners.filter(organisation=world.partner).exists()


def test_the_lead_cannot_reach_the_leave_page(world, client_for):
    commission = joined(world)
    url = reverse("learning:commission-leave", args=[commission.pk])
    assert client_for("own_ld_lead").get(url).status_code == 403


def test_the_lead_cancels_and_agreeing_afterwards_says_why_not(world, client_for):
    commission = joined(world)
    client = client_for("own_ld_lead")
    assert (
        client.post(reverse("learning:commission-cancel", args=[commission.pk])).status_code == 302
    )
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.CANCELLED
    again = client.post(reverse("learning:commission-cancel", args=[commission.pk]))
    assert again.status_code == 200
    assert "cancelled" in again.text


def test_linking_the_programme_reserves_partner_places_on_its_open_runs(world, client_for):
    commission = joined(world, places=6)
    commissions.agree_commission(actor=world.actor("own_ld_lead"), commission=commission)
    programme = ProgrammeFactory(host=world.own, sharing_policy=SharingPolicy.PARTNERS_FROM_START)
    run = RunFactory(programme=programme, capacity=20)
    url = reverse("learning:commission-programme", args=[commission.pk])
    client = client_for("own_ld_lead")

    assert client.post(url, {"programme": "nonsense"}).status_code == 200
    response = client.post(url, {"programme": programme.pk})

    assert response.status_code == 302
    assert Reservation.objects.get(run=run).places == 6


def test_my_commissions_and_the_report_ask_as_many_queries_for_many(world, client_for):
    def count(url: str, persona: str) -> int:
        client = client_for(persona)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    joined(world, title="First")
    mine = reverse("learning:commissions")
    report = reverse("learning:commission-report")
    few = (count(mine, "partner_ld_lead"), count(report, "partnership_lead"))
    for title in ("Second", "Third", "Fourth"):
        joined(world, title=title)
    assert (count(mine, "partner_ld_lead"), count(report, "partnership_lead")) == few


def test_the_report_lists_commissions_with_a_csv_that_neutralises_formulas(world, client_for):
    joined(world, title="=HYPERLINK(1)")
    cancelled = joined(world, title="Cancelled one")
    commissions.cancel_commission(actor=world.actor("own_ld_lead"), commission=cancelled)

    page = client_for("partnership_lead").get(reverse("learning:commission-report"))
    exported = client_for("partnership_lead").get(reverse("learning:commission-report-csv"))

    assert page.status_code == 200
    assert "Cancelled one" not in page.text
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Commission"
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][6:] == ["46000.00", "26000.00", "20000.00"]
    assert len(rows) == 2


def test_staff_without_a_role_may_not_see_the_report(world, client_for):
    assert client_for("own_staff").get(reverse("learning:commission-report")).status_code == 403
