"""Secondment agreement pages: drafting from an accepted offer, releasing, signing, ending,
feedback and return, the lists, the application's slot and the person page's 'seconded out'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from joinedup.talent import agreements
from joinedup.talent.models import AgreementStatus, SecondmentAgreement

from .agreement_data import STARTS, accepted_application, drafted, released, signed

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def terms_post(**overrides) -> dict:
    data = {
        **date_fields("starts_on", STARTS),
        **date_fields("ends_on", dt.date(2027, 7, 2)),
        "hours_per_week": "15",
        "job_title": "Discharge planning lead",
        "salary_paid_by": "home",
        "recharge_amount": "4500",
        "objectives": "Cut delayed discharges",
        "return_arrangements": "Back to her social work team",
    }
    data.update(overrides)
    return data


def test_the_hosts_lead_drafts_from_the_application(world, client_for):
    application = accepted_application(
        employment=world.employments["own_staff"], host=world.partner, partnership=world.partnership
    )
    url = reverse("talent:agreement-new", args=[application.pk])
    client = client_for("partner_ld_lead")
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="15.0"' in page.content.decode()  # 40% of 37.5 hours, from the opportunity
    response = client.post(url, terms_post())
    agreement = SecondmentAgreement.objects.get(application=application)
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:agreement", args=[agreement.pk])
    assert str(agreement.recharge_amount) == "4500.00"
    # Once drafted, the address leads to the agreement.
    assert client.get(url)["Location"] == reverse("talent:agreement", args=[agreement.pk])


def test_bad_terms_are_shown_in_an_error_summary_naming_the_field(world, client_for):
    application = accepted_application(
        employment=world.employments["own_staff"], host=world.partner, partnership=world.partnership
    )
    url = reverse("talent:agreement-new", args=[application.pk])
    response = client_for("partner_ld_lead").post(
        url, terms_post(hours_per_week="lots", **date_fields("ends_on", dt.date(2026, 1, 1)))
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Hours a week must be a number" in body
    assert 'href="#id_hours_per_week"' in body
    assert "End date must be after the start date" in body  # every problem at once
    assert not SecondmentAgreement.objects.exists()


def test_a_service_refusal_names_its_field(world, client_for):
    application = accepted_application(
        employment=world.employments["own_staff"], host=world.partner, partnership=world.partnership
    )
    url = reverse("talent:agreement-new", args=[application.pk])
    response = client_for("partner_ld_lead").post(url, terms_post(hours_per_week="60"))
    assert "Hours a week must be more than 0 and at most 48" in response.content.decode()


def test_the_detail_shows_steps_and_what_each_person_may_do(world, client_for):
    agreement = drafted(world)
    url = reverse("talent:agreement", args=[agreement.pk])
    manager = client_for("own_line_manager").get(url).content.decode()
    assert "Release by the home line manager" in manager
    assert reverse("talent:agreement-release", args=[agreement.pk]) in manager
    assert reverse("talent:agreement-sign", args=[agreement.pk]) not in manager
    host = client_for("partner_ld_lead").get(url).content.decode()
    assert reverse("talent:agreement-terms", args=[agreement.pk]) in host
    assert reverse("talent:agreement-release", args=[agreement.pk]) not in host
    assert client_for("partner_staff").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404


def test_release_and_sign_through_the_pages(world, client_for):
    agreement = drafted(world)
    release = reverse("talent:agreement-release", args=[agreement.pk])
    assert client_for("own_line_manager").post(release).status_code == 302
    assert client_for("own_ld_lead").post(release).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNING
    sign = reverse("talent:agreement-sign", args=[agreement.pk])
    person = client_for("own_staff")
    unticked = person.post(sign, {"terms_version": agreement.terms_version})
    assert "Confirm you have read and agree to the terms" in unticked.content.decode()
    stale = person.post(sign, {"terms_version": 7, "agree": "on"})
    assert "The terms have changed since you read them" in stale.content.decode()
    for persona in ("own_staff", "own_ld_lead", "partner_ld_lead"):
        response = client_for(persona).post(
            sign, {"terms_version": agreement.terms_version, "agree": "on"}
        )
        assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_changing_terms_on_the_page_asks_for_signatures_again(world, client_for):
    agreement = released(world)
    agreements.sign(actor=world.actor("own_staff"), agreement=agreement, terms_version=1)
    url = reverse("talent:agreement-terms", args=[agreement.pk])
    response = client_for("partner_ld_lead").post(
        url, terms_post(hours_per_week="15", **date_fields("ends_on", agreement.ends_on))
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.terms_version == 2
    assert agreements.current_signatures(agreement) == {}
    assert client_for("own_ld_lead").get(url).status_code == 403


def test_end_early_feedback_and_return_through_the_pages(world, client_for):
    agreement = signed(world)
    agreements.run_secondment_dates(STARTS)
    end = reverse("talent:agreement-end", args=[agreement.pk])
    missing = client_for("partner_ld_lead").post(end, {})
    assert "Enter the reason" in missing.content.decode()
    response = client_for("partner_ld_lead").post(
        end, {"reason": "Service redesign", **date_fields("ended_on", dt.date(2027, 3, 31))}
    )
    assert response.status_code == 302
    feedback = reverse("talent:agreement-feedback", args=[agreement.pk])
    assert client_for("own_staff").post(feedback, {"text": "Worthwhile"}).status_code == 302
    back = reverse("talent:agreement-return", args=[agreement.pk])
    early = client_for("own_line_manager").post(
        back, date_fields("returned_on", dt.date(2027, 3, 1))
    )
    assert "Date of return must be on or after" in early.content.decode()
    done = client_for("own_line_manager").post(
        back, date_fields("returned_on", dt.date(2027, 4, 1))
    )
    assert done.status_code == 302
    page = client_for("own_staff").get(reverse("talent:agreement", args=[agreement.pk]))
    body = page.content.decode()
    assert "Worthwhile" in body
    assert "1 April 2027" in body
    assert "Ended early on 31 March 2027: Service redesign" in body


def test_cancel_before_start(world, client_for):
    agreement = released(world)
    url = reverse("talent:agreement-cancel", args=[agreement.pk])
    assert client_for("own_staff").get(url).status_code == 403
    response = client_for("own_ld_lead").post(url, {"reason": "Budget freeze"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.CANCELLED


def test_lists(world, client_for):
    own = drafted(world)
    theirs = drafted(world, which="partner")
    mine = client_for("own_staff").get(reverse("talent:my-secondments")).content.decode()
    assert reverse("talent:agreement", args=[own.pk]) in mine
    assert reverse("talent:agreement", args=[theirs.pk]) not in mine
    managed = client_for("own_line_manager").get(reverse("talent:my-secondments"))
    assert reverse("talent:agreement", args=[own.pk]) in managed.content.decode()
    url = reverse("talent:organisation-secondments")
    council = client_for("own_ld_lead").get(url).content.decode()
    out, _, hosted = council.partition('id="secondments-in"')
    assert reverse("talent:agreement", args=[own.pk]) in out
    assert reverse("talent:agreement", args=[theirs.pk]) in hosted
    assert client_for("own_staff").get(url).status_code == 403


def test_the_application_slot_offers_the_host_a_draft_then_a_link(world):
    application = accepted_application(
        employment=world.employments["own_staff"], host=world.partner, partnership=world.partnership
    )
    template = Template('{% include "talent/agreements/_application_agreement.html" %}')

    def render(persona: str) -> str:
        request = RequestFactory().get("/")
        request.actor = world.actor(persona)
        return template.render(Context({"application": application, "request": request}))

    assert reverse("talent:agreement-new", args=[application.pk]) in render("partner_ld_lead")
    assert "The host organisation will draft" in render("own_staff")
    agreement = agreements.draft_agreement(
        actor=world.actor("partner_ld_lead"), application=application
    )
    assert reverse("talent:agreement", args=[agreement.pk]) in render("own_staff")
    assert "Secondment agreement" not in render("partner_staff")


def test_the_person_page_says_seconded_out(world, client_for):
    today = dt.date.today()
    agreement = signed(world, begins=today - dt.timedelta(days=3), today=today)
    page = client_for("own_admin").get(reverse("partnership:person", args=[world.own_staff.pk]))
    body = page.content.decode()
    until = agreement.ends_on.strftime("%-d %B %Y")
    assert f"Seconded out to {world.partner.name} until {until}" in body
    assert "Secondment" in body  # the move itself, among her current jobs
    profile = client_for("own_staff").get(reverse("partnership:profile")).content.decode()
    assert f"Seconded out to {world.partner.name}" in profile
