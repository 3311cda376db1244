"""The needs, optimiser and partnership pages through HTTP, as the lead and levy officers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.levy import optimising
from joinedup.levy.models import Need, OptimiserRun, Pledge
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.levy.tests.pooling import add_months, build_pooling, fund, levy_officer
from joinedup.partnership.models import PartnershipRole
from joinedup.partnership.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipRoleFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(person, backend="joinedup.partnership.auth.EmailBackend") -> Client:
    client = Client()
    client.force_login(person, backend=backend)
    return client


def test_levy_officer_adds_a_need_and_sees_its_cost_schedule(world, client_for):
    client = client_for("own_levy_officer")
    start = add_months(optimising.timezone.localdate(), 2)
    response = client.post(
        reverse("levy:need-new"),
        {
            "organisation": world.own.pk,
            "standard_title": "Adult care worker",
            "standard_code": "ST0005",
            "level": "2",
            "start_month": f"{start:%B %Y}",
            "duration_months": "12",
            "apprentices": "2",
            "funding_band": "£6,000",
            "priority": "3",
            "job_role": "Care worker",
            "location": "Barnet",
        },
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("levy:need", args=[need.pk])
    assert need.start_month == start and need.funding_band == Decimal("6000")
    page = client.get(response.url).content.decode()
    assert f"{start:%B %Y}" in page
    assert "£800.00" in page  # each instalment: 80% of £12,000 over 12 months
    assert "£12,000.00" in page  # the total
    listing = client.get(reverse("levy:needs")).content.decode()
    assert reverse("levy:need", args=[need.pk]) in listing


def test_bad_need_details_are_shown_on_their_fields(world, client_for):
    response = client_for("own_levy_officer").post(
        reverse("levy:need-new"),
        {"organisation": world.own.pk, "start_month": "Smarch 2027", "funding_band": "lots"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Start month must be a real month" in page
    assert "Funding band must be an amount" in page
    assert "Enter the apprenticeship standard" in page
    assert not Need.objects.exists()


def test_levy_officer_cannot_add_a_need_for_a_partner(world, client_for):
    response = client_for("own_levy_officer").post(
        reverse("levy:need-new"), {"organisation": world.partner.pk}
    )
    assert "Choose an organisation you may add needs for" in response.content.decode()


def test_withdrawing_a_need_takes_it_off_the_list(world, client_for):
    pooling = build_pooling(world)
    client = client_for("partnership_lead")
    response = client.post(reverse("levy:need-withdraw", args=[pooling.need.pk]))
    assert response.status_code == 302
    pooling.need.refresh_from_db()
    assert pooling.need.withdrawn_at is not None
    listing = client.get(reverse("levy:needs")).content.decode()
    assert reverse("levy:need", args=[pooling.need.pk]) not in listing


def test_journey_lead_runs_the_optimiser_and_the_trust_pledges_for_the_charity(world, client_for):
    # Given a trust with funds expiring and a charity needing a care worker apprentice
    pooling = build_pooling(world)
    lead = client_for("partnership_lead")

    # When the partnership lead runs the optimiser
    response = lead.post(reverse("levy:optimiser-run"))
    run = OptimiserRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("levy:optimiser-result", args=[run.pk])

    # Then the result explains the transfer and compares it with no transfers and the greedy plan
    page = lead.get(response.url).content.decode()
    recommendation = run.recommendations.get()
    assert (
        f"{pooling.trust.name} funds the Adult care worker apprenticeship at Barnet Carers "
        f"Centre: £{recommendation.expiry_avoided:,.2f} of its funds expiring in "
        f"{pooling.expiry_month:%B %Y} are spent instead of lost."
    ) in page
    assert "No transfers" in page and "Greedy plan" in page and "Optimiser&#x27;s plan" in page
    assert 'id="comparison"' in page and "<svg" in page
    assert "best possible" in page

    # And the lead sees it but may not pledge it
    detail = reverse("levy:recommendation", args=[recommendation.pk])
    assert "Make this a pledge" not in lead.get(detail).content.decode()
    pledge_url = reverse("levy:recommendation-pledge", args=[recommendation.pk])
    assert lead.post(pledge_url).status_code == 403

    # When the trust's levy officer finds it and makes it a pledge with one action
    officer = signed_in(pooling.trust_officer)
    mine = officer.get(reverse("levy:recommendations")).content.decode()
    assert detail in mine
    assert "Make this a pledge" in officer.get(detail).content.decode()
    response = officer.post(pledge_url)

    # Then the pledge exists for the need's amount and criteria, linked to the recommendation
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.account == pooling.trust_account
    assert pledge.amount == Decimal("6000")
    assert pledge.recommendations.get() == recommendation
    page = officer.get(detail).content.decode()
    assert f"Pledge {pledge.pk} was made from this recommendation" in page

    # And pledging again is refused with a message, not a second pledge
    officer.post(pledge_url)
    assert Pledge.objects.count() == 1


def test_result_page_says_when_the_time_limit_was_reached(world, client_for):
    run = OptimiserRun.objects.create(
        partnership=world.partnership,
        status="time_limit",
        gap=Decimal("250"),
        time_limit_seconds=20,
        expiry_avoided=Decimal("1000"),
        greedy_expiry_avoided=Decimal("800"),
        expiry_without_transfers=Decimal("5000"),
        inputs={"senders": [], "needs": []},
    )
    page = client_for("partnership_lead").get(reverse("levy:optimiser-result", args=[run.pk]))
    text = page.content.decode()
    assert "time limit of 20 seconds" in text
    assert "£250.00 more" in text
    assert "£800.00" in text  # the greedy plan's expiry avoided
    assert "£4,000.00" in text  # what the optimiser's plan still loses


def test_partnership_view_orders_accounts_by_what_will_expire(world, client_for):
    pooling = build_pooling(world)
    council = LevyAccountFactory(organisation=world.own)
    fund(council, pooling.landed, Decimal("5000"), "council")
    response = client_for("partnership_lead").get(reverse("levy:partnership"))
    page = response.content.decode()
    assert response.status_code == 200
    trust_at, council_at = page.index(pooling.trust.name), page.index(world.own.name)
    assert trust_at < council_at
    assert "£20,000.00" in page and "£5,000.00" in page and "£25,000.00" in page
    assert reverse("levy:account", args=[pooling.trust_account.pk]) in page
    by_name = client_for("partnership_lead").get(reverse("levy:partnership") + "?sort=name")
    text = by_name.content.decode()
    assert text.index(pooling.charity.name) < text.index(world.own.name)


def test_partnership_view_queries_do_not_grow_with_accounts(world, client_for):
    build_pooling(world)
    client = client_for("partnership_lead")
    client.get(reverse("levy:partnership"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("levy:partnership"))
    for number in range(5):
        member = OrganisationFactory(name=f"Member {number}")
        MembershipFactory(partnership=world.partnership, organisation=member)
        account = LevyAccountFactory(organisation=member)
        fund(account, add_months(optimising.timezone.localdate(), -3), Decimal("100"), "m")
        levy_officer(member, f"levy{number}@member.test")
    client.get(reverse("levy:partnership"))  # works out and stores the new accounts' figures
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("levy:partnership"))
    assert len(many) == len(few)


def test_needs_list_queries_do_not_grow_with_needs(world, client_for):
    pooling = build_pooling(world)
    client = client_for("partnership_lead")
    client.get(reverse("levy:needs"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("levy:needs"))
    for number in range(5):
        Need.objects.create(
            partnership=world.partnership,
            organisation=pooling.charity,
            standard_title=f"Standard {number}",
            level=3,
            start_month=pooling.need.start_month,
            duration_months=18,
            funding_band=Decimal("9000"),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("levy:needs"))
    assert len(many) == len(few)


def test_staff_without_a_levy_role_see_no_needs_and_cannot_run_the_optimiser(world, client_for):
    pooling = build_pooling(world)
    staff = client_for("own_staff")
    assert staff.get(reverse("levy:needs")).status_code == 403
    assert staff.get(reverse("levy:need", args=[pooling.need.pk])).status_code == 404
    assert staff.post(reverse("levy:optimiser-run")).status_code == 403
    assert client_for("own_levy_officer").post(reverse("levy:optimiser-run")).status_code == 403
    assert client_for("outsider").get(reverse("levy:partnership")).status_code == 403


def test_the_partnerships_levy_lead_runs_the_optimiser_too(world):
    pooling = build_pooling(world)
    lead = levy_officer(pooling.charity, "lila.lead@carers.test")
    PartnershipRoleFactory(
        person=lead, partnership=world.partnership, role=PartnershipRole.LEVY_LEAD
    )
    client = signed_in(lead)
    response = client.post(reverse("levy:optimiser-run"))
    assert response.status_code == 302
    run = OptimiserRun.objects.get(partnership=world.partnership)
    assert run.run_by == lead
    assert client.get(reverse("levy:partnership")).status_code == 200
