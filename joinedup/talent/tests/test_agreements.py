"""Secondment agreement services: draft, release, signatures (reset when the terms change),
start by the daily job (once, with the recharge once), end, feedback and return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.partnership.models import AuditEvent, Employment, EmploymentKind, RechargeEntry
from joinedup.partnership.queries import person_page
from joinedup.partnership.scheduler import JOBS, discover_jobs
from joinedup.talent import access, agreements
from joinedup.talent.models import (
    AgreementSignature,
    AgreementStatus,
    ApplicationStatus,
    OpportunityKind,
    SalaryPayer,
    SecondmentAgreement,
)

from .agreement_data import STARTS, accepted_application, drafted, released, signed

pytestmark = pytest.mark.django_db
BEFORE = dt.date(2026, 12, 1)


def sign_all(world, agreement, today=BEFORE):
    for persona in ("own_staff", "own_ld_lead", "partner_ld_lead"):
        agreements.sign(
            actor=world.actor(persona),
            agreement=agreement,
            terms_version=agreement.terms_version,
            today=today,
        )


# --- Drafting -------------------------------------------------------------------------------------


def test_the_hosts_lead_drafts_with_terms_defaulted_from_the_opportunity(world):
    agreement = drafted(world)
    assert agreement.status == AgreementStatus.AWAITING_RELEASE
    assert agreement.starts_on == STARTS
    assert agreement.ends_on == dt.date(2027, 7, 3)
    assert agreement.hours_per_week == Decimal("15.0")
    assert agreement.job_title == "Discharge planning lead"
    assert agreement.salary_paid_by == SalaryPayer.HOME
    assert agreement.home_organisation == world.own
    assert agreement.host_organisation == world.partner
    assert agreement.home_employment == world.employments["own_staff"]
    assert (
        AuditEvent.objects.filter(action="secondment.drafted", object_id=agreement.pk).count() == 1
    )


def test_drafting_tells_the_line_manager_a_release_is_wanted(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        drafted(world)
    assert [message.to for message in mail.outbox] == [["lena.manager@barnet.test"]]


def test_only_the_hosts_lead_or_admin_drafts(world):
    application = accepted_application(
        employment=world.employments["own_staff"], host=world.partner, partnership=world.partnership
    )
    for persona in ("own_ld_lead", "own_staff", "partner_staff"):
        with pytest.raises(PermissionDenied):
            agreements.draft_agreement(actor=world.actor(persona), application=application)
    agreements.draft_agreement(actor=world.actor("partner_admin"), application=application)


def test_an_offer_not_yet_accepted_cannot_be_drafted(world):
    application = accepted_application(
        employment=world.employments["own_staff"], host=world.partner, partnership=world.partnership
    )
    application.status = ApplicationStatus.OFFERED
    with pytest.raises(ValidationError, match="accepted"):
        agreements.draft_agreement(actor=world.actor("partner_ld_lead"), application=application)


def test_only_a_secondment_has_an_agreement(world):
    application = accepted_application(
        employment=world.employments["own_staff"],
        host=world.partner,
        partnership=world.partnership,
        kind=OpportunityKind.SHADOWING,
    )
    with pytest.raises(ValidationError, match="Only a secondment"):
        agreements.draft_agreement(actor=world.actor("partner_ld_lead"), application=application)


def test_one_agreement_per_offer(world):
    agreement = drafted(world)
    with pytest.raises(ValidationError, match="already has an agreement"):
        agreements.draft_agreement(
            actor=world.actor("partner_ld_lead"), application=agreement.application
        )


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"ends_on": STARTS}, "ends_on"),
        ({"starts_on": "4 January"}, "starts_on"),
        ({"hours_per_week": "lots"}, "hours_per_week"),
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"hours_per_week": "15.25"}, "hours_per_week"),
        ({"recharge_amount": "-1"}, "recharge_amount"),
        ({"recharge_amount": "10.001"}, "recharge_amount"),
        ({"recharge_amount": "NaN"}, "recharge_amount"),
        ({"job_title": "  "}, "job_title"),
        ({"salary_paid_by": "nobody"}, "salary_paid_by"),
        ({"objectives": "x" * 5001}, "objectives"),
    ],
)
def test_bad_terms_are_named(world, terms, field):
    with pytest.raises(ValidationError) as raised:
        drafted(world, **terms)
    assert field in raised.value.message_dict


# --- Release ------------------------------------------------------------------------------------


def test_both_releases_in_either_order_open_signing(world, django_capture_on_commit_callbacks):
    agreement = drafted(world)
    agreements.release(actor=world.actor("own_ld_lead"), agreement=agreement)
    assert agreement.status == AgreementStatus.AWAITING_RELEASE
    with django_capture_on_commit_callbacks(execute=True):
        agreements.release(actor=world.actor("own_line_manager"), agreement=agreement)
    assert agreement.status == AgreementStatus.SIGNING
    assert agreement.line_manager_released_by == world.own_line_manager
    assert agreement.ld_lead_released_by == world.own_ld_lead
    # The person is told the agreement is ready to sign.
    assert mail.outbox[-1].to == ["sam.staff@barnet.test"]


def test_a_release_is_given_once(world):
    agreement = drafted(world)
    agreements.release(actor=world.actor("own_line_manager"), agreement=agreement)
    with pytest.raises(ValidationError, match="already released"):
        agreements.release(actor=world.actor("own_line_manager"), agreement=agreement)


def test_nobody_else_releases(world):
    agreement = drafted(world)
    for persona in ("own_staff", "partner_ld_lead", "partner_admin", "own_levy_officer"):
        with pytest.raises(PermissionDenied):
            agreements.release(actor=world.actor(persona), agreement=agreement)


# --- Signatures ---------------------------------------------------------------------------------


def test_three_signatures_make_it_signed(world):
    agreement = released(world)
    sign_all(world, agreement)
    assert agreement.status == AgreementStatus.SIGNED
    parties = sorted(
        AgreementSignature.objects.filter(agreement=agreement).values_list("party", flat=True)
    )
    assert parties == ["home", "host", "person"]
    assert (
        AuditEvent.objects.filter(action="secondment.signed", object_id=agreement.pk).count() == 3
    )


def test_no_signing_before_release(world):
    agreement = drafted(world)
    with pytest.raises(ValidationError, match="not open for signing"):
        agreements.sign(actor=world.actor("own_staff"), agreement=agreement, terms_version=1)


def test_signing_an_old_version_is_refused(world):
    agreement = released(world)
    with pytest.raises(ValidationError) as raised:
        agreements.sign(actor=world.actor("own_staff"), agreement=agreement, terms_version=2)
    assert "terms_version" in raised.value.message_dict


def test_only_the_three_parties_sign(world):
    agreement = released(world)
    for persona in ("own_line_manager", "partner_staff", "outsider", "partnership_lead"):
        with pytest.raises(PermissionDenied):
            agreements.sign(actor=world.actor(persona), agreement=agreement, terms_version=1)


def test_changing_the_terms_clears_the_signatures(world):
    agreement = released(world)
    agreements.sign(actor=world.actor("own_staff"), agreement=agreement, terms_version=1)
    agreements.sign(actor=world.actor("own_ld_lead"), agreement=agreement, terms_version=1)
    changed = agreements.change_terms(
        actor=world.actor("partner_ld_lead"), agreement=agreement, objectives="Cut delays by 10%"
    )
    assert set(changed) == {"objectives"}
    assert agreement.terms_version == 2
    assert agreements.current_signatures(agreement) == {}
    # The release stands (the dates and hours did not change), so signing goes on.
    assert agreement.status == AgreementStatus.SIGNING
    sign_all(world, agreement)
    assert agreement.status == AgreementStatus.SIGNED


def test_changing_the_dates_asks_for_release_again(world):
    agreement = signed(world)
    agreements.change_terms(
        actor=world.actor("partner_ld_lead"), agreement=agreement, hours_per_week="22.5"
    )
    assert agreement.status == AgreementStatus.AWAITING_RELEASE
    assert agreement.line_manager_released_at is None
    assert agreement.ld_lead_released_at is None
    assert agreements.current_signatures(agreement) == {}


def test_only_the_host_changes_the_terms(world):
    agreement = drafted(world)
    with pytest.raises(PermissionDenied):
        agreements.change_terms(
            actor=world.actor("own_ld_lead"), agreement=agreement, job_title="X"
        )


# --- Start, recharge, history -------------------------------------------------------------------


def test_the_job_starts_a_signed_secondment_on_its_start_date_once(world):
    agreement = signed(world, recharge="4500")
    assert agreements.run_secondment_dates(STARTS - dt.timedelta(days=1)) == {
        "started": 0,
        "ended": 0,
    }
    assert agreements.run_secondment_dates(STARTS) == {"started": 1, "ended": 0}
    assert agreements.run_secondment_dates(STARTS) == {"started": 0, "ended": 0}
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    secondments = Employment.objects.filter(person=world.own_staff, kind=EmploymentKind.SECONDMENT)
    assert secondments.count() == 1
    employment = secondments.get()
    assert employment.organisation == world.partner
    assert (employment.start_date, employment.end_date) == (STARTS, agreement.ends_on)
    assert employment.line_manager is None
    assert agreement.secondment_employment == employment


def test_two_workers_holding_the_same_row_start_it_once(world):
    agreement = signed(world, recharge="4500")
    first = SecondmentAgreement.objects.get(pk=agreement.pk)
    second = SecondmentAgreement.objects.get(pk=agreement.pk)
    assert agreements._start(None, first, STARTS) is True
    assert agreements._start(None, second, STARTS) is False
    assert Employment.objects.filter(kind=EmploymentKind.SECONDMENT).count() == 1
    assert RechargeEntry.objects.filter(source_kind="secondment").count() == 1
    assert (
        AuditEvent.objects.filter(action="secondment.started", object_id=agreement.pk).count() == 1
    )


def test_the_release_email_links_to_the_agreement(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://joinedup.example"
    with django_capture_on_commit_callbacks(execute=True):
        agreement = drafted(world)
    assert f"https://joinedup.example/talent/secondments/{agreement.pk}/" in mail.outbox[0].body


def test_the_recharge_is_posted_once_from_host_to_home(world):
    agreement = signed(world, recharge="4500.00")
    agreements.run_secondment_dates(STARTS)
    agreements.run_secondment_dates(STARTS + dt.timedelta(days=1))
    entries = RechargeEntry.objects.filter(source_kind="secondment", source_id=str(agreement.pk))
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.payer, entry.payee, entry.amount) == (
        world.partner,
        world.own,
        Decimal("4500.00"),
    )
    agreement.refresh_from_db()
    assert agreement.recharge_entry_id == entry.pk


def test_no_recharge_when_none_is_agreed(world):
    signed(world)
    agreements.run_secondment_dates(STARTS)
    assert not RechargeEntry.objects.filter(source_kind="secondment").exists()


def test_signed_on_or_after_the_start_date_it_starts_at_once(world):
    agreement = signed(world, today=STARTS)
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.secondment_employment is not None


def test_the_job_is_registered_daily():
    discover_jobs()
    assert JOBS["talent-secondment-dates"].every == dt.timedelta(days=1)


def test_history_shows_the_secondment_and_the_home_job_seconded_out(world):
    today = dt.date.today()
    agreement = signed(world, begins=today - dt.timedelta(days=3), today=today)
    assert agreement.status == AgreementStatus.ACTIVE
    page = person_page(world.actor("own_staff"), world.own_staff)
    current = {employment.pk: employment for employment in page.current}
    secondment = current[agreement.secondment_employment_id]
    assert (secondment.organisation, secondment.kind) == (world.partner, EmploymentKind.SECONDMENT)
    home = current[world.employments["own_staff"].pk]
    assert home.seconded_out_to == secondment
    # Her line manager's view of the directory shows it too.
    page = person_page(world.actor("own_line_manager"), world.own_staff)
    home = next(e for e in page.current if e.pk == world.employments["own_staff"].pk)
    assert home.seconded_out_to is not None


def test_seconded_out_is_worked_out_from_employments(world):
    from joinedup.partnership.queries import seconded_out

    home = world.employments["own_staff"]
    today = dt.date.today()
    Employment.objects.create(
        person=world.own_staff,
        organisation=world.partner,
        job_title="Discharge planning lead",
        kind=EmploymentKind.SECONDMENT,
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=30),
    )
    page = person_page(world.actor("own_staff"), world.own_staff)
    current = {e.pk: e for e in page.current}
    assert current[home.pk].seconded_out_to.organisation == world.partner
    assert seconded_out([home]) == {}


# --- End, feedback, return ----------------------------------------------------------------------


def test_the_job_ends_it_after_its_end_date_and_the_employment_ends(world):
    agreement = signed(world)
    agreements.run_secondment_dates(STARTS)
    assert agreements.run_secondment_dates(agreement.ends_on) == {"started": 0, "ended": 0}
    assert agreements.run_secondment_dates(agreement.ends_on + dt.timedelta(days=1)) == {
        "started": 0,
        "ended": 1,
    }
    agreements.run_secondment_dates(agreement.ends_on + dt.timedelta(days=2))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED
    assert agreement.ended_on == agreement.ends_on
    assert agreement.secondment_employment.end_date == agreement.ends_on


def test_ending_early_needs_a_reason_and_a_date_within_the_secondment(world):
    agreement = signed(world)
    agreements.run_secondment_dates(STARTS)
    agreement.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        agreements.end_early(
            actor=world.actor("partner_ld_lead"),
            agreement=agreement,
            ended_on=STARTS - dt.timedelta(days=1),
            reason="",
        )
    assert set(raised.value.message_dict) == {"reason", "ended_on"}
    agreements.end_early(
        actor=world.actor("own_ld_lead"),
        agreement=agreement,
        ended_on=dt.date(2027, 3, 31),
        reason="Needed back for an inspection",
    )
    assert agreement.status == AgreementStatus.ENDED
    agreement.secondment_employment.refresh_from_db()
    assert agreement.secondment_employment.end_date == dt.date(2027, 3, 31)


def test_feedback_from_each_side_and_the_return(world):
    agreement = signed(world)
    agreements.run_secondment_dates(STARTS)
    agreements.run_secondment_dates(dt.date(2027, 8, 1))
    agreement.refresh_from_db()
    assert (
        agreements.give_feedback(
            actor=world.actor("own_staff"), agreement=agreement, text="I learnt a lot"
        )
        == "person"
    )
    assert (
        agreements.give_feedback(
            actor=world.actor("own_line_manager"), agreement=agreement, text="Came back stronger"
        )
        == "home"
    )
    assert (
        agreements.give_feedback(
            actor=world.actor("partner_ld_lead"), agreement=agreement, text="Great work"
        )
        == "host"
    )
    with pytest.raises(ValidationError) as raised:
        agreements.record_return(
            actor=world.actor("own_line_manager"),
            agreement=agreement,
            returned_on=dt.date(2027, 7, 1),
        )
    assert "returned_on" in raised.value.message_dict
    agreements.record_return(
        actor=world.actor("own_line_manager"),
        agreement=agreement,
        returned_on=dt.date(2027, 7, 5),
        note="Back in the hospital discharge team liaison role",
    )
    assert agreement.returned_on == dt.date(2027, 7, 5)
    with pytest.raises(ValidationError, match="recorded once"):
        agreements.record_return(
            actor=world.actor("own_ld_lead"), agreement=agreement, returned_on=dt.date(2027, 7, 6)
        )
    steps = agreements.timeline(agreement)
    assert all(step["done"] for step in steps)


def test_feedback_waits_for_the_end(world):
    agreement = signed(world)
    with pytest.raises(ValidationError, match="ended"):
        agreements.give_feedback(actor=world.actor("own_staff"), agreement=agreement, text="Hi")


def test_cancelling_before_the_start_only(world):
    agreement = signed(world)
    with pytest.raises(ValidationError) as raised:
        agreements.cancel(actor=world.actor("own_ld_lead"), agreement=agreement, reason="")
    assert "reason" in raised.value.message_dict
    agreements.cancel(actor=world.actor("own_ld_lead"), agreement=agreement, reason="Budget")
    assert agreement.status == AgreementStatus.CANCELLED
    assert agreements.run_secondment_dates(STARTS) == {"started": 0, "ended": 0}
    with pytest.raises(ValidationError):
        agreements.cancel(actor=world.actor("own_ld_lead"), agreement=agreement, reason="Again")


# --- Who sees an agreement ----------------------------------------------------------------------


def test_who_sees_an_agreement(world):
    agreement = drafted(world)
    seeing = {
        persona
        for persona in world.people
        if access.visible_agreements(world.actor(persona)).filter(pk=agreement.pk).exists()
    }
    assert seeing == {
        "own_staff",
        "own_line_manager",
        "own_admin",
        "own_ld_lead",
        "partner_admin",
        "partner_ld_lead",
    }


def test_no_email_goes_out_for_a_change_that_does_not_commit(world):
    """E-mails wait for the commit: a draft in a transaction rolled back tells no one."""
    drafted(world)
    assert mail.outbox == []
