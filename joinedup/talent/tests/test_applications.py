"""Applications: who may apply and when, the host's shortlist, interview, offer and decline,
the applicant's accept and withdraw, one live application each, audit and e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from joinedup.partnership.models import AuditEvent, Sector
from joinedup.talent import applications, opportunities
from joinedup.talent.models import (
    Application,
    ApplicationStatus,
    Audience,
    Opportunity,
    OpportunityStatus,
)
from joinedup.talent.tests.test_opportunities import fields

pytestmark = pytest.mark.django_db


def hosted(world, **changes) -> Opportunity:
    return opportunities.create_opportunity(
        actor=world.actor("partner_ld_lead"), **fields(**changes)
    )


def applied(world, opportunity=None, persona="own_staff") -> Application:
    opportunity = opportunity or hosted(world)
    return applications.apply(
        actor=world.actor(persona), opportunity=opportunity, statement="I would bring social care."
    )


def test_staff_of_a_partner_apply_and_the_host_is_told(world, django_capture_on_commit_callbacks):
    opportunity = hosted(world)
    with django_capture_on_commit_callbacks(execute=True):
        application = applied(world, opportunity)
    assert application.status == ApplicationStatus.APPLIED
    assert application.home_organisation == world.own
    assert application.home_employment == world.employments["own_staff"]
    assert AuditEvent.objects.filter(action="application.applied").count() == 1
    assert [m.to for m in mail.outbox] == [[world.partner_ld_lead.email]]


def test_a_statement_is_needed(world):
    with pytest.raises(ValidationError) as caught:
        applications.apply(actor=world.actor("own_staff"), opportunity=hosted(world), statement=" ")
    assert "statement" in caught.value.message_dict


def test_the_hosts_own_staff_may_not_apply(world):
    with pytest.raises(ValidationError, match="Your own organisation hosts"):
        applied(world, persona="partner_staff")


def test_nobody_applies_after_the_closing_date_or_once_closed(world):
    opportunity = hosted(world)
    Opportunity.objects.filter(pk=opportunity.pk).update(closes_on=dt.date(2020, 1, 1))
    opportunity.refresh_from_db()
    with pytest.raises(ValidationError, match="closed for applications"):
        applied(world, opportunity)
    other = hosted(world)
    opportunities.close_opportunity(actor=world.actor("partner_ld_lead"), opportunity=other)
    with pytest.raises(ValidationError, match="not taking applications"):
        applied(world, other)


def test_the_audience_decides_who_may_apply(world):
    for_health = hosted(world, audience=Audience.SECTORS, audience_sectors=[Sector.HEALTH])
    with pytest.raises(ValidationError, match="open only to staff in the health sector"):
        applied(world, for_health)
    for_icb = hosted(world, audience=Audience.ORGANISATIONS, audience_organisations=[world.icb.pk])
    with pytest.raises(ValidationError, match="open only to staff of NHS West"):
        applied(world, for_icb)
    applied(world, for_icb, persona="partnership_lead")


def test_seniority_far_outside_the_range_is_refused(world):
    world.employments["own_staff"].seniority = 9
    world.employments["own_staff"].save()
    with pytest.raises(ValidationError, match="seniority 4 to 6; yours is 9"):
        applied(world)


def test_outsiders_may_not_apply(world):
    with pytest.raises(ValidationError, match="another partnership"):
        applied(world, persona="outsider")


def test_one_live_application_per_person(world):
    application = applied(world)
    with pytest.raises(ValidationError, match="already applied"):
        applied(world, application.opportunity)
    applications.withdraw(actor=world.actor("own_staff"), application=application)
    again = applied(world, application.opportunity)
    assert again.status == ApplicationStatus.APPLIED
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            opportunity=again.opportunity,
            applicant=again.applicant,
            home_organisation=world.own,
            statement="x",
        )


def test_the_host_shortlists_interviews_offers_and_the_applicant_accepts(
    world, django_capture_on_commit_callbacks
):
    application = applied(world)
    host = world.actor("partner_ld_lead")
    applications.shortlist(actor=host, application=application)
    applications.record_interview(actor=host, application=application, notes="Strong on data.")
    with django_capture_on_commit_callbacks(execute=True):
        applications.offer(actor=host, application=application)
    assert mail.outbox[-1].to == [world.own_staff.email]
    applications.accept(actor=world.actor("own_staff"), application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.interview_notes == "Strong on data."
    assert application.opportunity.status == OpportunityStatus.FILLED
    actions = list(
        AuditEvent.objects.filter(object_kind="application")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "application.applied",
        "application.shortlisted",
        "application.interviewed",
        "application.offered",
        "application.accepted",
    ]


def test_withdrawing_an_accepted_application_opens_the_opportunity_again(world):
    application = applied(world)
    host = world.actor("partner_ld_lead")
    applications.offer(actor=host, application=application)
    applications.accept(actor=world.actor("own_staff"), application=application)
    applications.withdraw(actor=world.actor("own_staff"), application=application)
    application.opportunity.refresh_from_db()
    assert application.opportunity.status == OpportunityStatus.OPEN


def test_the_host_declines_with_a_reason_the_applicant_reads(
    world, django_capture_on_commit_callbacks
):
    application = applied(world)
    host = world.actor("partner_ld_lead")
    with pytest.raises(ValidationError) as caught:
        applications.decline(actor=host, application=application, reason="")
    assert "decline_reason" in caught.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        applications.decline(actor=host, application=application, reason="We need more data skills")
    assert "We need more data skills" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="declined: it cannot be offered"):
        applications.offer(actor=host, application=application)


def test_interview_needs_a_shortlist_and_accept_needs_an_offer(world):
    application = applied(world)
    with pytest.raises(ValidationError, match="applied: it cannot be interviewed"):
        applications.record_interview(
            actor=world.actor("partner_ld_lead"), application=application, notes="Good"
        )
    with pytest.raises(ValidationError, match="cannot be accepted"):
        applications.accept(actor=world.actor("own_staff"), application=application)


def test_only_the_host_decides_and_only_the_applicant_accepts_or_withdraws(world):
    application = applied(world)
    for persona in ("own_staff", "partner_staff", "own_ld_lead"):
        with pytest.raises(PermissionDenied):
            applications.shortlist(actor=world.actor(persona), application=application)
    with pytest.raises(PermissionDenied):
        applications.withdraw(actor=world.actor("partner_ld_lead"), application=application)
    steps = applications.next_steps(world.actor("partner_ld_lead"), application)
    assert steps["shortlist"] and steps["offer"] and not steps["withdraw"]
