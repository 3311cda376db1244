"""The pledge services and the daily automation: each rule on its boundary, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.levy import pledges
from joinedup.levy.models import (
    AllowanceYear,
    ApplicationStatus,
    ApprovalMode,
    Commitment,
    CommitmentStatus,
    OptimiserRun,
    Pledge,
    PledgeApplication,
    PledgeStatus,
    Recommendation,
)
from joinedup.levy.pledge_jobs import run_pledge_automation
from joinedup.levy.pledges import PledgeRefused
from joinedup.levy.services import allowance_for
from joinedup.levy.tests.factories import LevyAccountFactory, NeedFactory
from joinedup.levy.tests.pledge_setup import (
    ALLOWANCE,
    DAY,
    application_fields,
    funded_account,
    levy_officer,
)
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(world):
    return funded_account(world.own)


@pytest.fixture
def sender_officer(world):
    return world.actor("own_levy_officer")


@pytest.fixture
def applicant(world):
    return LevyAccountFactory(organisation=world.partner)


@pytest.fixture
def applicant_officer(world):
    return levy_officer(world.partner)


def pledge_of(sender, officer, amount="20000", **kwargs) -> Pledge:
    return pledges.create_pledge(
        actor=officer, account=sender, amount=Decimal(amount), on=DAY, **kwargs
    )


def apply(pledge, applicant, officer, on=DAY, **overrides) -> PledgeApplication:
    return pledges.apply_to_pledge(
        actor=officer,
        pledge=pledge,
        account=applicant,
        on=on,
        **application_fields(**overrides),
    )


def applied_on(application: PledgeApplication, day: dt.date) -> PledgeApplication:
    """Backdate an application to noon in London on `day`."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)), pledges.LONDON)
    PledgeApplication.objects.filter(pk=application.pk).update(applied_at=moment)
    application.refresh_from_db()
    return application


def moved_to(application: PledgeApplication, field: str, day: dt.date) -> None:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)), pledges.LONDON)
    PledgeApplication.objects.filter(pk=application.pk).update(**{field: moment})
    application.refresh_from_db()


def committed(account) -> Decimal:
    return AllowanceYear.objects.get(account=account).committed


# --- Creating a pledge --------------------------------------------------------------------------


def test_pledge_claims_its_amount_from_the_allowance_and_is_audited(sender, sender_officer):
    pledge = pledge_of(sender, sender_officer, "20000", sectors=["health"], levels=[3, 2])

    assert pledge.remaining == Decimal("20000")
    assert pledge.levels == [2, 3]
    assert committed(sender) == Decimal("20000")
    event = AuditEvent.objects.get(action="levy.pledge.created")
    assert event.object_id == str(pledge.pk)
    assert event.changes["amount"] == "20000"


def test_pledge_of_the_minimum_is_made_and_a_penny_less_is_refused(sender, sender_officer):
    with pytest.raises(PledgeRefused, match="at least £2,000"):
        pledge_of(sender, sender_officer, "1999.99")
    assert pledge_of(sender, sender_officer, "2000").amount == Decimal("2000")


def test_pledge_of_the_whole_remaining_allowance_is_made_and_a_penny_more_refused(
    sender, sender_officer
):
    with pytest.raises(PledgeRefused, match="remaining transfer allowance of £50,000.00"):
        pledge_of(sender, sender_officer, str(ALLOWANCE + Decimal("0.01")))
    assert not Pledge.objects.exists()
    pledge_of(sender, sender_officer, str(ALLOWANCE))
    assert committed(sender) == ALLOWANCE
    with pytest.raises(PledgeRefused, match="no more than the remaining"):
        pledge_of(sender, sender_officer, "2000")


def test_pledge_amount_in_fractions_of_a_penny_is_refused(sender, sender_officer):
    with pytest.raises(PledgeRefused, match="pounds and pence"):
        pledge_of(sender, sender_officer, "2000.001")


def test_pledge_levels_outside_2_to_7_are_refused(sender, sender_officer):
    with pytest.raises(PledgeRefused, match="between 2 and 7"):
        pledge_of(sender, sender_officer, levels=[1, 2])
    with pytest.raises(PledgeRefused, match="between 2 and 7"):
        pledge_of(sender, sender_officer, levels=[8])


def test_pledge_from_a_recommendation_links_it_once(world, sender, sender_officer):
    need = NeedFactory(partnership=world.partnership, organisation=world.partner)
    run = OptimiserRun.objects.create(
        partnership=world.partnership,
        status="optimal",
        expiry_avoided=Decimal("6000"),
        greedy_expiry_avoided=Decimal("0"),
        expiry_without_transfers=Decimal("6000"),
        inputs={},
    )
    recommendation = Recommendation.objects.create(
        optimiser_run=run,
        need=need,
        sender=sender,
        amount=Decimal("6000"),
        expiry_avoided=Decimal("6000"),
    )
    pledge = pledge_of(sender, sender_officer, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.pledge == pledge

    with pytest.raises(PledgeRefused, match="already been made into a pledge"):
        pledge_of(sender, sender_officer, recommendation=recommendation)
    assert Pledge.objects.count() == 1
    assert committed(sender) == Decimal("20000")


# --- Applying -----------------------------------------------------------------------------------


def test_application_is_scored_25_per_cent_a_criterion_and_costed(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(
        sender,
        sender_officer,
        sectors=["health"],
        levels=[3],
        job_roles=["Care worker"],
        locations=["Brent"],
    )
    application = apply(pledge, applicant, applicant_officer, duration_months=18, apprentices=2)

    assert application.match_score == 50  # sector and job role met; level and location not
    # 6000 x 2 x 0.8 / 18 x 12 = 6400
    assert application.first_year_cost == Decimal("6400")
    assert application.status == ApplicationStatus.PENDING
    assert pledge.remaining == Decimal("20000")


def test_application_of_twelve_months_costs_the_full_band(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer)
    application = apply(pledge, applicant, applicant_officer, duration_months=12, apprentices=3)
    assert application.first_year_cost == Decimal("18000")


def test_full_match_on_an_automatic_pledge_is_approved_at_once(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer, approval_mode=ApprovalMode.AUTOMATIC_NOW)
    application = apply(pledge, applicant, applicant_officer)

    assert application.status == ApplicationStatus.APPROVED
    pledge.refresh_from_db()
    assert pledge.remaining == Decimal("14000")
    assert AuditEvent.objects.get(action="levy.application.applied").changes["approved_at_once"]


def test_partial_match_on_an_automatic_pledge_waits(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(
        sender, sender_officer, approval_mode=ApprovalMode.AUTOMATIC_NOW, locations=["Brent"]
    )
    application = apply(pledge, applicant, applicant_officer)
    assert application.match_score == 75
    assert application.status == ApplicationStatus.PENDING


def test_full_match_the_pledge_cannot_afford_waits(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer, "5000", approval_mode=ApprovalMode.AUTOMATIC_NOW)
    application = apply(pledge, applicant, applicant_officer)
    assert application.status == ApplicationStatus.PENDING
    pledge.refresh_from_db()
    assert pledge.remaining == Decimal("5000")


def test_full_match_on_a_pledge_approving_after_a_delay_waits(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer, approval_mode=ApprovalMode.AUTOMATIC_AFTER)
    assert apply(pledge, applicant, applicant_officer).status == ApplicationStatus.PENDING


def test_closed_pledge_takes_no_applications(sender, sender_officer, applicant, applicant_officer):
    pledge = pledge_of(sender, sender_officer)
    Pledge.objects.filter(pk=pledge.pk).update(status=PledgeStatus.CLOSED)
    pledge.refresh_from_db()
    with pytest.raises(PledgeRefused, match="closed"):
        apply(pledge, applicant, applicant_officer)


# --- Deciding -----------------------------------------------------------------------------------


def test_approval_debits_the_first_year_cost(sender, sender_officer, applicant, applicant_officer):
    pledge = pledge_of(sender, sender_officer)
    application = apply(pledge, applicant, applicant_officer)
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)

    pledge.refresh_from_db()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == sender_officer.person
    assert pledge.remaining == Decimal("14000")
    assert pledge.status == PledgeStatus.OPEN


@pytest.mark.parametrize(
    ("amount", "status"),
    [
        ("7999", PledgeStatus.CLOSED),  # leaves £1,999
        ("7999.99", PledgeStatus.CLOSED),  # leaves £1,999.99
        ("8000", PledgeStatus.OPEN),  # leaves exactly £2,000
        ("6000", PledgeStatus.OPEN),  # leaves £0: nothing left, but not closed by the rule
    ],
)
def test_debit_leaving_more_than_0_and_less_than_2000_closes_the_pledge(
    sender, sender_officer, applicant, applicant_officer, amount, status
):
    pledge = pledge_of(sender, sender_officer, amount)
    application = apply(pledge, applicant, applicant_officer)
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    pledge.refresh_from_db()
    assert pledge.status == status
    assert pledge.remaining == Decimal(amount) - Decimal("6000")


def test_approval_the_pledge_cannot_afford_is_refused_and_changes_nothing(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer, "5999.99")
    application = apply(pledge, applicant, applicant_officer)
    with pytest.raises(PledgeRefused, match="£5,999.99 left"):
        pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    application.refresh_from_db()
    pledge.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert pledge.remaining == Decimal("5999.99")


def test_application_is_approved_once(sender, sender_officer, applicant, applicant_officer):
    pledge = pledge_of(sender, sender_officer)
    application = apply(pledge, applicant, applicant_officer)
    stale = PledgeApplication.objects.get(pk=application.pk)
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    with pytest.raises(PledgeRefused, match="cannot be approved"):
        pledges.approve_application(actor=sender_officer, application=stale, on=DAY)
    pledge.refresh_from_db()
    assert pledge.remaining == Decimal("14000")


def test_rejection_needs_a_reason(sender, sender_officer, applicant, applicant_officer):
    application = apply(pledge_of(sender, sender_officer), applicant, applicant_officer)
    with pytest.raises(PledgeRefused, match="Say why"):
        pledges.reject_application(actor=sender_officer, application=application, reason=" ")
    pledges.reject_application(
        actor=sender_officer, application=application, reason="Not in our area"
    )
    application.refresh_from_db()
    assert (application.status, application.reason) == (
        ApplicationStatus.REJECTED,
        "Not in our area",
    )


def test_acceptance_records_the_transfer_as_commitments_funded_by_the_sender(
    sender, sender_officer, applicant, applicant_officer
):
    application = apply(
        pledge_of(sender, sender_officer),
        applicant,
        applicant_officer,
        apprentices=2,
        duration_months=18,
        start_month=dt.date(2026, 9, 1),
    )
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    pledges.accept_approval(actor=applicant_officer, application=application)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    commitments = list(Commitment.objects.filter(account=applicant).order_by("reference"))
    assert [c.reference for c in commitments] == [
        f"PLEDGE-{application.pk}-1",
        f"PLEDGE-{application.pk}-2",
    ]
    assert {c.funded_by_id for c in commitments} == {sender.pk}
    assert commitments[0].start_on == dt.date(2026, 9, 1)
    assert commitments[0].planned_end_on == dt.date(2028, 2, 29)
    assert commitments[0].funding_band == Decimal("6000")


def test_declined_approval_returns_its_debit(sender, sender_officer, applicant, applicant_officer):
    pledge = pledge_of(sender, sender_officer)
    application = apply(pledge, applicant, applicant_officer)
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    pledges.decline_approval(actor=applicant_officer, application=application)
    pledge.refresh_from_db()
    assert pledge.remaining == Decimal("20000")
    with pytest.raises(PledgeRefused, match="cannot be declined"):
        pledges.decline_approval(actor=applicant_officer, application=application)
    pledge.refresh_from_db()
    assert pledge.remaining == Decimal("20000")


def test_only_a_pending_application_is_withdrawn(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer)
    pending = apply(pledge, applicant, applicant_officer)
    pledges.withdraw_application(actor=applicant_officer, application=pending)
    assert PledgeApplication.objects.get(pk=pending.pk).status == ApplicationStatus.WITHDRAWN

    approved = apply(pledge, applicant, applicant_officer)
    pledges.approve_application(actor=sender_officer, application=approved, on=DAY)
    with pytest.raises(PledgeRefused, match="cannot be withdrawn"):
        pledges.withdraw_application(actor=applicant_officer, application=approved)


# --- The daily automation -----------------------------------------------------------------------


def test_pending_application_is_rejected_on_the_day_three_months_after(
    sender, sender_officer, applicant, applicant_officer
):
    application = applied_on(
        apply(pledge_of(sender, sender_officer), applicant, applicant_officer),
        dt.date(2026, 5, 31),
    )
    assert run_pledge_automation(on=dt.date(2026, 8, 30))["rejected"] == 0
    assert run_pledge_automation(on=dt.date(2026, 8, 31))["rejected"] == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decided_by is None
    assert run_pledge_automation(on=dt.date(2026, 8, 31))["rejected"] == 0


def test_approval_not_accepted_is_declined_after_42_days_and_its_debit_returned(
    sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer)
    application = apply(pledge, applicant, applicant_officer)
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    moved_to(application, "decided_at", dt.date(2026, 6, 1))

    assert run_pledge_automation(on=dt.date(2026, 7, 12))["declined"] == 0
    assert run_pledge_automation(on=dt.date(2026, 7, 13))["declined"] == 1
    assert run_pledge_automation(on=dt.date(2026, 7, 13))["declined"] == 0
    application.refresh_from_db()
    pledge.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert pledge.remaining == Decimal("20000")


def accepted(sender, sender_officer, applicant, applicant_officer, start_month, on):
    pledge = pledge_of(sender, sender_officer)
    application = apply(pledge, applicant, applicant_officer, start_month=start_month)
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    pledges.accept_approval(actor=applicant_officer, application=application)
    moved_to(application, "accepted_at", on)
    return pledge, application


def test_accepted_funds_unused_expire_three_months_after_acceptance(
    sender, sender_officer, applicant, applicant_officer
):
    pledge, application = accepted(
        sender,
        sender_officer,
        applicant,
        applicant_officer,
        start_month=dt.date(2027, 1, 1),
        on=dt.date(2026, 6, 1),
    )
    assert run_pledge_automation(on=dt.date(2026, 8, 31))["expired"] == 0
    assert run_pledge_automation(on=dt.date(2026, 9, 1))["expired"] == 1
    assert run_pledge_automation(on=dt.date(2026, 9, 1))["expired"] == 0
    application.refresh_from_db()
    pledge.refresh_from_db()
    assert application.status == ApplicationStatus.EXPIRED
    assert pledge.remaining == Decimal("20000")
    assert set(Commitment.objects.values_list("status", flat=True)) == {CommitmentStatus.STOPPED}


def test_accepted_funds_paying_for_a_started_apprenticeship_do_not_expire(
    sender, sender_officer, applicant, applicant_officer
):
    _, application = accepted(
        sender,
        sender_officer,
        applicant,
        applicant_officer,
        start_month=dt.date(2026, 8, 1),
        on=dt.date(2026, 6, 1),
    )
    assert run_pledge_automation(on=dt.date(2026, 9, 1))["expired"] == 0
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def test_full_matches_are_approved_after_42_days_oldest_first_while_affordable(
    world, sender, sender_officer, applicant, applicant_officer
):
    pledge = pledge_of(sender, sender_officer, "14000", approval_mode=ApprovalMode.AUTOMATIC_AFTER)
    oldest = applied_on(apply(pledge, applicant, applicant_officer), dt.date(2026, 5, 1))
    middle = applied_on(
        apply(pledge, applicant, applicant_officer, funding_band=Decimal("9000")),
        dt.date(2026, 5, 2),
    )
    youngest = applied_on(apply(pledge, applicant, applicant_officer), dt.date(2026, 5, 3))
    partial = applied_on(
        apply(pledge, applicant, applicant_officer, sector="housing"), dt.date(2026, 4, 1)
    )
    PledgeApplication.objects.filter(pk=partial.pk).update(match_score=75)

    assert run_pledge_automation(on=dt.date(2026, 6, 11))["approved"] == 0
    assert run_pledge_automation(on=dt.date(2026, 6, 12))["approved"] == 1
    statuses = dict(PledgeApplication.objects.values_list("pk", "status"))
    assert statuses[oldest.pk] == ApplicationStatus.APPROVED
    # The middle one (£9,000) no longer fits in £8,000; the cheaper youngest does not jump it.
    assert statuses[middle.pk] == ApplicationStatus.PENDING
    assert statuses[youngest.pk] == ApplicationStatus.PENDING
    assert statuses[partial.pk] == ApplicationStatus.PENDING
    assert run_pledge_automation(on=dt.date(2026, 6, 14))["approved"] == 0
    pledge.refresh_from_db()
    assert pledge.remaining == Decimal("8000")


# --- Properties ---------------------------------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    amounts=st.lists(
        st.decimals(min_value=Decimal("1000"), max_value=Decimal("30000"), places=2),
        min_size=1,
        max_size=8,
    ),
    approvals=st.lists(st.integers(min_value=1, max_value=4), max_size=8),
)
def test_transfers_never_exceed_the_allowance(world, amounts, approvals):
    """Whatever pledges are asked for and applications approved, the pledges stay within the
    allowance, each pledge's approvals within its amount, and the counters equal the rows."""
    officer = world.actor("own_levy_officer")
    with transaction.atomic():
        sender = funded_account(world.own)
        applicant = LevyAccountFactory(organisation=world.partner)
        applicant_officer = levy_officer(world.partner)
        made = []
        for amount in amounts:
            try:
                made.append(pledge_of(sender, officer, str(amount)))
            except PledgeRefused:
                continue
        for index, apprentices in enumerate(approvals):
            if not made:
                break
            pledge = Pledge.objects.get(pk=made[index % len(made)].pk)
            application = PledgeApplication.objects.create(
                pledge=pledge,
                account=applicant,
                applied_by=applicant_officer.person,
                first_year_cost=Decimal(6000) * apprentices,
                match_score=100,
                **application_fields(apprentices=apprentices),
            )
            try:
                pledges.approve_application(actor=officer, application=application, on=DAY)
            except PledgeRefused:
                continue

        year = allowance_for(sender, DAY)
        sent = Pledge.objects.filter(account=sender)
        assert year.committed == sum((p.amount for p in sent), Decimal(0)) <= year.allowance
        assert year.allowance == ALLOWANCE
        for pledge in sent:
            approved = pledge.applications.filter(status=ApplicationStatus.APPROVED)
            debited = sum((a.first_year_cost for a in approved), Decimal(0))
            assert pledge.remaining == pledge.amount - debited >= 0
        transaction.set_rollback(True)


def test_automatic_rejection_emails_the_applicant_levy_officer(
    sender,
    sender_officer,
    applicant,
    applicant_officer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = applied_on(
        apply(pledge_of(sender, sender_officer), applicant, applicant_officer),
        dt.date(2026, 5, 31),
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_pledge_automation(on=dt.date(2026, 8, 31))

    assert [message.to for message in mailoutbox] == [[applicant_officer.person.email]]
    assert "was rejected" in mailoutbox[0].subject
    assert f"/levy/pledges/applications/{application.pk}/" in mailoutbox[0].body
    assert "No decision was made in time" in mailoutbox[0].body
