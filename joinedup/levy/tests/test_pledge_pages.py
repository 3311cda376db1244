"""The pledge pages through HTTP: making a pledge, browsing, applying, deciding and answering."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.levy import pledges
from joinedup.levy.models import ApplicationStatus, Commitment, Pledge, PledgeApplication
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.levy.tests.pledge_setup import application_fields, funded_account, levy_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(world):
    return funded_account(world.own)


@pytest.fixture
def partner_officer(world):
    return levy_officer(world.partner, email="pip.levy@lnwh.test")


def client_of(actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def a_pledge(world, sender, amount="20000", **kwargs) -> Pledge:
    return pledges.create_pledge(
        actor=world.actor("own_levy_officer"), account=sender, amount=Decimal(amount), **kwargs
    )


def an_application(world, pledge, officer, **overrides) -> PledgeApplication:
    return pledges.apply_to_pledge(
        actor=officer,
        pledge=pledge,
        account=LevyAccountFactory(organisation=world.partner),
        **application_fields(**overrides),
    )


def test_levy_officer_makes_a_pledge_to_the_penny(world, sender, client_for):
    response = client_for("own_levy_officer").post(
        reverse("levy:pledge-new"),
        {
            "amount": "12345.67",
            "sectors": ["health", "voluntary"],
            "levels": ["2", "3"],
            "job_roles": "Care worker\n\nHealthcare assistant\n",
            "locations": "",
            "approval_mode": "automatic_now",
        },
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("levy:pledge", kwargs={"pk": pledge.pk})
    assert pledge.amount == Decimal("12345.67")
    assert pledge.sectors == ["health", "voluntary"]
    assert pledge.levels == [2, 3]
    assert pledge.job_roles == ["Care worker", "Healthcare assistant"]
    assert pledge.locations == []
    page = client_for("own_levy_officer").get(response["Location"]).content.decode()
    assert "£12,345.67" in page


def test_pledge_over_the_allowance_is_shown_the_reason_on_the_amount(world, sender, client_for):
    response = client_for("own_levy_officer").post(
        reverse("levy:pledge-new"), {"amount": "50000.01", "approval_mode": "manual"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert 'href="#id_amount"' in page
    assert "no more than the remaining transfer allowance of £50,000.00" in page
    assert not Pledge.objects.exists()


def test_empty_pledge_form_names_the_missing_fields(world, sender, client_for):
    page = client_for("own_levy_officer").post(reverse("levy:pledge-new"), {}).content.decode()
    assert "Enter the amount" in page
    assert "Choose how applications are approved" in page


def test_only_a_levy_officer_makes_pledges(world, sender, client_for):
    assert client_for("own_admin").get(reverse("levy:pledge-new")).status_code == 403
    assert client_for("own_staff").get(reverse("levy:pledge-new")).status_code == 403


def test_partner_levy_officer_sees_open_pledges_with_their_remaining_amount(
    world, sender, partner_officer, django_assert_max_num_queries
):
    a_pledge(world, sender, "20000", locations=["Barnet"])
    closed = a_pledge(world, sender, "3000")
    Pledge.objects.filter(pk=closed.pk).update(status="closed")
    client = client_of(partner_officer)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("levy:pledges")).content.decode()
    assert world.own.name in page
    assert "£20,000.00" in page
    assert "Locations: Barnet" in page
    assert "£3,000.00" not in page


def test_staff_see_no_pledges(world, sender, client_for):
    a_pledge(world, sender)
    page = client_for("partner_staff").get(reverse("levy:pledges")).content.decode()
    assert "£20,000.00" not in page


def test_outsider_cannot_see_a_pledge(world, sender, client_for):
    pledge = a_pledge(world, sender)
    response = client_for("outsider").get(reverse("levy:pledge", kwargs={"pk": pledge.pk}))
    assert response.status_code == 404


def test_partner_applies_and_sees_match_and_first_year_cost(world, sender, partner_officer):
    pledge = a_pledge(world, sender, sectors=["health"], levels=[3])
    response = client_of(partner_officer).post(
        reverse("levy:pledge-apply", kwargs={"pk": pledge.pk}),
        {
            "standard_title": "Nursing associate",
            "standard_code": "ST0508",
            "level": "5",
            "sector": "health",
            "job_role": "Nursing associate",
            "location": "Harrow",
            "apprentices": "2",
            "duration_months": "24",
            "funding_band": "15000",
            "start_month": "2027-01",
        },
    )
    application = PledgeApplication.objects.get()
    assert response.status_code == 302
    assert application.account.organisation == world.partner
    page = client_of(partner_officer).get(response["Location"]).content.decode()
    assert "75%" in page  # sector, job role and location met; level not
    assert "£12,000.00" in page  # 15000 x 2 x 0.8 / 24 x 12
    assert "Applied" in page


def test_application_form_defaults_to_the_applicant_sector(world, sender, partner_officer):
    pledge = a_pledge(world, sender)
    page = (
        client_of(partner_officer)
        .get(reverse("levy:pledge-apply", kwargs={"pk": pledge.pk}))
        .content.decode()
    )
    assert '<option value="health" selected>' in page


def test_application_with_a_bad_start_month_is_refused_by_field(world, sender, partner_officer):
    pledge = a_pledge(world, sender)
    fields = {k: str(v) for k, v in application_fields().items()} | {"start_month": "2027-13"}
    response = client_of(partner_officer).post(
        reverse("levy:pledge-apply", kwargs={"pk": pledge.pk}), fields
    )
    assert response.status_code == 200
    assert "Start month must be a real month" in response.content.decode()
    assert not PledgeApplication.objects.exists()


def test_sender_cannot_apply_to_its_own_pledge(world, sender, client_for):
    pledge = a_pledge(world, sender)
    response = client_for("own_levy_officer").get(
        reverse("levy:pledge-apply", kwargs={"pk": pledge.pk})
    )
    assert response.status_code == 403


def test_sender_approves_and_applicant_accepts_with_the_history_shown(
    world, sender, partner_officer, client_for
):
    pledge = a_pledge(world, sender)
    application = an_application(world, pledge, partner_officer)
    url = reverse("levy:pledge-application", kwargs={"pk": application.pk})

    response = client_for("own_levy_officer").post(
        reverse("levy:pledge-application-approve", kwargs={"pk": application.pk})
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.remaining == Decimal("14000")

    client_of(partner_officer).post(
        reverse("levy:pledge-application-accept", kwargs={"pk": application.pk})
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert Commitment.objects.get().funded_by == sender

    page = client_for("own_levy_officer").get(url).content.decode()
    for what in ("Applied", "Approved", "Accepted"):
        assert what in page


def test_applicant_cannot_approve_and_sender_cannot_accept(
    world, sender, partner_officer, client_for
):
    application = an_application(world, a_pledge(world, sender), partner_officer)
    approve = reverse("levy:pledge-application-approve", kwargs={"pk": application.pk})
    accept = reverse("levy:pledge-application-accept", kwargs={"pk": application.pk})
    assert client_of(partner_officer).post(approve).status_code == 403
    assert client_for("own_levy_officer").post(accept).status_code == 403


def test_refused_decision_is_shown_as_a_message(world, sender, partner_officer, client_for):
    application = an_application(world, a_pledge(world, sender, "5000"), partner_officer)
    response = client_for("own_levy_officer").post(
        reverse("levy:pledge-application-approve", kwargs={"pk": application.pk}), follow=True
    )
    assert "The pledge has £5,000.00 left" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_rejection_needs_a_reason_on_the_form(world, sender, partner_officer, client_for):
    application = an_application(world, a_pledge(world, sender), partner_officer)
    url = reverse("levy:pledge-application-reject", kwargs={"pk": application.pk})
    client = client_for("own_levy_officer")
    assert "Say why the application is rejected" in client.post(url, {}).content.decode()
    response = client.post(url, {"reason": "Outside our priorities this year"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    page = client_of(partner_officer).get(response["Location"]).content.decode()
    assert "Outside our priorities this year" in page
