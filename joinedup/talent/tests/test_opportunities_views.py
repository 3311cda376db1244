"""The opportunity and application pages, through HTTP: search, detail and apply, recommended,
the host's new/change/close, people who might fit, and the application actions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.talent import applications
from joinedup.talent.models import Application, ApplicationStatus, OpportunityStatus, Profile
from joinedup.talent.tests.factories import add_skills
from joinedup.talent.tests.test_applications import hosted
from joinedup.talent.tests.test_opportunities import fields

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    values = fields()
    data = {
        "kind": values["kind"],
        "title": values["title"],
        "description": values["description"],
        "essential_skills": "Data analysis, Stakeholder engagement",
        "desirable_skills": "Lean",
        "seniority_min": "4",
        "seniority_max": "6",
        "duration_months": "6",
        "time_share": "40",
        "location": "Northwick Park",
        "audience": "partnership",
    }
    for name in ("starts_on", "closes_on"):
        day = values[name]
        data |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    return {**data, **changes}


def test_a_lead_offers_an_opportunity_and_it_is_found_by_search(world, client_for):
    lead = client_for("partner_ld_lead")
    response = lead.post(reverse("talent:opportunity-new"), form_data())
    assert response.status_code == 302
    staff = client_for("own_staff")
    found = staff.get(
        reverse("talent:opportunities"), {"q": "discharge", "kind": "secondment_part"}
    )
    assert b"Discharge planning project" in found.content
    assert (
        b"Discharge planning project"
        not in staff.get(reverse("talent:opportunities"), {"kind": "shadowing"}).content
    )


def test_bad_input_on_the_form_names_the_field(world, client_for):
    response = client_for("partner_ld_lead").post(
        reverse("talent:opportunity-new"),
        form_data(location="", seniority_min="7", seniority_max="3"),
    )
    assert response.status_code == 200
    assert b"Enter a location, or say the opportunity can be done remotely" in response.content
    assert b"Highest seniority must be the same as or above the lowest" in response.content


def test_staff_may_not_offer_opportunities(world, client_for):
    assert client_for("own_staff").get(reverse("talent:opportunity-new")).status_code == 403


def test_search_pages_by_keyset_with_the_same_queries_on_every_page(world, client_for):
    for number in range(30):
        hosted(world, title=f"Opportunity {number:02d}")
    staff = client_for("own_staff")
    with CaptureQueriesContext(connection) as first:
        page = staff.get(reverse("talent:opportunities"))
    assert page.content.count(b'href="/talent/opportunities/') >= 25
    after = page.content.decode().split('href="?after=')[1].split('"')[0]
    with CaptureQueriesContext(connection) as second:
        next_page = staff.get(reverse("talent:opportunities") + "?after=" + after)
    assert b"Opportunity 29" in next_page.content
    assert len(first) == len(second)


def test_staff_apply_from_the_detail_page_and_withdraw(world, client_for):
    opportunity = hosted(world)
    staff = client_for("own_staff")
    detail = staff.get(reverse("talent:opportunity", args=[opportunity.pk]))
    assert b"Send application" in detail.content
    empty = staff.post(
        reverse("talent:opportunity-apply", args=[opportunity.pk]), {"statement": ""}
    )
    assert b"Enter a statement saying why you are applying" in empty.content
    sent = staff.post(
        reverse("talent:opportunity-apply", args=[opportunity.pk]), {"statement": "I know care."}
    )
    application = Application.objects.get()
    assert sent["Location"] == reverse("talent:application", args=[application.pk])
    assert b"Withdraw your application" in staff.get(sent["Location"]).content
    staff.post(reverse("talent:application-withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    mine = staff.get(reverse("talent:applications-mine"))
    assert b"Withdrawn" in mine.content


def test_the_hosts_own_staff_are_told_why_they_cannot_apply(world, client_for):
    opportunity = hosted(world)
    page = client_for("partner_staff").get(reverse("talent:opportunity", args=[opportunity.pk]))
    assert b"Your own organisation hosts this opportunity" in page.content


def test_the_host_shortlists_interviews_offers_and_the_applicant_accepts(world, client_for):
    opportunity = hosted(world)
    application = applications.apply(
        actor=world.actor("own_staff"), opportunity=opportunity, statement="I know care."
    )
    host = client_for("partner_ld_lead")
    listed = host.get(reverse("talent:opportunity-applications", args=[opportunity.pk]))
    assert b"Sam Staff" in listed.content
    host.post(reverse("talent:application-shortlist", args=[application.pk]))
    no_notes = host.post(reverse("talent:application-interview", args=[application.pk]), {})
    assert b"Enter interview notes" in no_notes.content
    host.post(
        reverse("talent:application-interview", args=[application.pk]), {"interview_notes": "Good"}
    )
    host.post(reverse("talent:application-offer", args=[application.pk]))
    client_for("own_staff").post(reverse("talent:application-accept", args=[application.pk]))
    application.refresh_from_db()
    opportunity.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert opportunity.status == OpportunityStatus.FILLED


def test_the_applicant_cannot_act_as_host_and_others_are_told_nothing(world, client_for):
    application = applications.apply(
        actor=world.actor("own_staff"), opportunity=hosted(world), statement="I know care."
    )
    url = reverse("talent:application-shortlist", args=[application.pk])
    assert client_for("own_staff").post(url).status_code == 403
    assert (
        client_for("own_ld_lead")
        .get(reverse("talent:application", args=[application.pk]))
        .status_code
        == 404
    )
    assert (
        client_for("outsider")
        .get(reverse("talent:opportunity", args=[application.opportunity_id]))
        .status_code
        == 404
    )


def test_the_host_declines_with_a_reason_shown_to_the_applicant(world, client_for):
    application = applications.apply(
        actor=world.actor("own_staff"), opportunity=hosted(world), statement="I know care."
    )
    host = client_for("partner_ld_lead")
    url = reverse("talent:application-decline", args=[application.pk])
    assert b"Enter the reason for declining" in host.post(url, {"decline_reason": ""}).content
    host.post(url, {"decline_reason": "We need more data skills"})
    page = client_for("own_staff").get(reverse("talent:application", args=[application.pk]))
    assert b"We need more data skills" in page.content


def test_people_who_might_fit_shows_reasons_and_forgets_an_opt_out(world, client_for):
    opportunity = hosted(world)
    data = opportunity.opportunity_skills.filter(essential=True).first().skill
    profile = Profile.objects.create(
        person=world.own_staff,
        partnership=world.partnership,
        organisation=world.own,
        sector=world.own.sector,
        seniority=5,
        discoverable=True,
    )
    add_skills(profile, data)
    host = client_for("partner_ld_lead")
    url = reverse("talent:opportunity-candidates", args=[opportunity.pk])
    page = host.get(url)
    assert b"has 1 of 2 essential skills" in page.content
    assert b"would gain health-sector experience" in page.content
    assert reverse("talent:profile", args=[profile.pk]).encode() in page.content
    Profile.objects.filter(pk=profile.pk).update(discoverable=False)
    assert b"Sam Staff" not in host.get(url).content
    assert client_for("own_ld_lead").get(url).status_code == 403


def test_recommended_for_you_lists_reasons(world, client_for):
    hosted(world)
    page = client_for("own_staff").get(reverse("talent:opportunities-recommended"))
    assert b"Discharge planning project" in page.content
    assert b"would gain health-sector experience" in page.content


def test_the_host_closes_and_withdraws_from_the_close_page(world, client_for):
    opportunity = hosted(world)
    host = client_for("partner_ld_lead")
    url = reverse("talent:opportunity-close", args=[opportunity.pk])
    assert b"Choose whether to close" in host.post(url).content
    host.post(url, {"action": "close"})
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.CLOSED
    host.post(url, {"action": "withdraw"})
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.WITHDRAWN
    assert (
        client_for("own_staff")
        .get(reverse("talent:opportunity", args=[opportunity.pk]))
        .status_code
        == 404
    )
    hosted_page = host.get(reverse("talent:opportunities-hosted"))
    assert b"Withdrawn" in hosted_page.content


def test_the_host_changes_an_opportunity(world, client_for):
    opportunity = hosted(world)
    host = client_for("partner_ld_lead")
    url = reverse("talent:opportunity-edit", args=[opportunity.pk])
    assert b"Stakeholder engagement" in host.get(url).content
    host.post(url, form_data(title="Discharge redesign"))
    opportunity.refresh_from_db()
    assert opportunity.title == "Discharge redesign"
