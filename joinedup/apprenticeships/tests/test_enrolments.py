"""The enrolment services: enrolling with the funding decided at the start date, the status
history with its payment hooks, the commitment statement that cannot be bypassed, the change of
employer that keeps the record, the off-the-job plan and the terms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.apprenticeships import enrolments
from joinedup.apprenticeships.models import (
    EmployerChange,
    Enrolment,
    EnrolmentStatus,
    FundingRoute,
)
from joinedup.levy.models import LevyAccount
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import EmploymentFactory

from .enrolments_data import (  # noqa: F401 (fixtures)
    END,
    OFF_THE_JOB,
    OLDER,
    START,
    activated,
    cohort_fixture,
    enrol,
    fakes_fixture,
    own_levy_fixture,
    sign_all,
)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


def refusal(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


def test_ld_lead_enrols_own_staff_with_levy_funding_and_statement_version_one(
    world, cohort, own_levy, fakes
):
    statements, payments = fakes
    made = enrol(world, cohort)
    assert made.status == S.AWAITING_COMMITMENT
    assert made.reference.startswith("ST0480-2609-")
    assert made.employer == world.own
    assert made.line_manager == world.person("own_line_manager")  # from the employment
    assert made.funding_route == FundingRoute.LEVY
    assert made.levy_account == own_levy
    assert made.funding_reason
    assert made.required_off_the_job_hours == made.planned_off_the_job_hours == OFF_THE_JOB
    assert [(h.status, h.reason) for h in made.history.all()] == [
        (S.AWAITING_COMMITMENT, "Enrolled")
    ]
    assert statements.calls == [("issue", made.pk, "Enrolled")]
    assert payments.calls == []


def test_an_apprentice_of_36_on_level_7_is_privately_funded_with_a_reason_naming_no_fact(
    world, cohort, own_levy, fakes
):
    made = enrol(world, cohort, born=OLDER)
    assert made.funding_route == FundingRoute.PRIVATE
    assert "Level 7" in made.funding_reason
    assert "36" not in made.funding_reason and "1990" not in made.funding_reason
    assert made.eligibility_reason  # names the facts: shown only to those who may


def test_the_audit_log_never_holds_the_eligibility_facts(world, cohort, own_levy, fakes):
    made = enrol(world, cohort, born=OLDER, care_leaver=True)
    event = AuditEvent.objects.get(action="enrolment.enrolled", object_id=str(made.pk))
    text = str(event.changes)
    for secret in ("1990", "date_of_birth", "care_leaver", "ehc_plan", made.eligibility_reason):
        assert secret not in text
    assert event.changes["funding_route"] == FundingRoute.PRIVATE


def test_a_partners_levy_account_pays_by_transfer(world, cohort, fakes):
    partner_account = LevyAccount.objects.create(organisation=world.partner)
    made = enrol(world, cohort, levy_account=None, transfer_from=partner_account)
    assert made.funding_route == FundingRoute.TRANSFER
    assert made.transfer_from == partner_account


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": Decimal(0)}, "price"),
        ({"hours_per_week": Decimal(0)}, "hours_per_week"),
        ({"planned_end_on": START}, "planned_end_on"),
        ({"planned_end_on": START + dt.timedelta(days=60)}, "planned_end_on"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"prior_learning_hours": 20}, "prior_learning_note"),
    ],
)
def test_enrolling_refuses_bad_terms_naming_the_field(world, cohort, fakes, changes, field):
    with pytest.raises(ValidationError) as error:
        enrol(world, cohort, **changes)
    assert field in refusal(error)
    assert not Enrolment.objects.exists()


def test_the_tutor_must_be_named_on_the_programme(world, cohort, fakes):
    with pytest.raises(ValidationError) as error:
        enrol(world, cohort, practice_tutor=world.person("own_staff"))
    assert refusal(error) == {"practice_tutor": ["Choose one of the programme's practice tutors"]}


def test_only_partners_accounts_may_pay_by_transfer(world, cohort, fakes):
    elsewhere = LevyAccount.objects.create(organisation=world.outsider_org)
    with pytest.raises(ValidationError) as error:
        enrol(world, cohort, transfer_from=elsewhere)
    assert "transfer_from" in refusal(error)
    partners = LevyAccount.objects.create(organisation=world.partner)
    with pytest.raises(ValidationError) as error:
        enrol(world, cohort, levy_account=partners)
    assert "levy_account" in refusal(error)


def test_the_apprentice_is_found_among_the_acting_organisations_current_staff(world):
    actor = world.actor("own_ld_lead")
    assert enrolments.find_apprentice(actor, "ARI.apprentice@barnet.test").person == world.person(
        "apprentice"
    )
    with pytest.raises(ValidationError) as error:
        enrolments.find_apprentice(actor, "pat.staff@lnwh.test")
    assert "apprentice_email" in refusal(error)


def test_only_an_ld_lead_enrols(world, cohort, fakes):
    with pytest.raises(ValidationError):
        enrol(world, cohort, actor=world.actor("own_levy_officer"))


def test_nothing_but_withdrawal_happens_before_the_commitment_statement_is_signed(
    world, cohort, fakes
):
    _, payments = fakes
    made = enrol(world, cohort)
    leader = world.actor("programme_leader")
    for status in (S.ACTIVE, S.ON_BREAK, S.COMPLETED, S.AT_GATEWAY):
        with pytest.raises(ValidationError) as error:
            enrolments.change_status(
                actor=leader, enrolment=made, status=status, effective_on=START, reason="Try"
            )
        assert refusal(error) == {"status": [enrolments.NOT_SIGNED]}
    with pytest.raises(ValidationError):
        enrolments.activate(made, actor=leader, on=START)  # nobody has signed
    assert payments.calls == []
    made.refresh_from_db()
    assert made.status == S.AWAITING_COMMITMENT
    enrolments.change_status(
        actor=leader, enrolment=made, status=S.WITHDRAWN, effective_on=START, reason="Left"
    )
    assert made.status == S.WITHDRAWN
    assert payments.calls == []  # nothing had started


def test_activation_needs_all_three_signatures_then_starts_payments(world, cohort, fakes):
    _, payments = fakes
    made = enrol(world, cohort)
    sign_all(world, made)
    active = enrolments.activate(made, actor=world.actor("programme_leader"), on=START)
    assert active.status == S.ACTIVE and active.status_on == START
    assert payments.names() == ["start"]
    with pytest.raises(ValidationError):
        enrolments.activate(active, actor=world.actor("programme_leader"), on=START)


def test_status_history_with_dates_reasons_and_payment_hooks(world, cohort, fakes):
    statements, payments = fakes
    made = activated(world, cohort)
    lead = world.actor("own_ld_lead")

    def move(status, on, reason="Because", **extra):
        return enrolments.change_status(
            actor=lead, enrolment=made, status=status, effective_on=on, reason=reason, **extra
        )

    move(S.ON_BREAK, dt.date(2027, 1, 4), "Maternity leave")
    with pytest.raises(ValidationError) as error:
        move(S.ACTIVE, dt.date(2027, 6, 1))
    assert "planned_end_on" in refusal(error)
    move(S.ACTIVE, dt.date(2027, 6, 1), "Back", planned_end_on=dt.date(2029, 2, 28))
    assert made.planned_end_on == dt.date(2029, 2, 28)
    with pytest.raises(ValidationError) as error:
        move(S.AT_GATEWAY, dt.date(2027, 5, 1))
    assert "effective_on" in refusal(error)
    with pytest.raises(ValidationError) as error:
        move(S.IN_EPA, dt.date(2028, 12, 1))
    assert "status" in refusal(error)
    with pytest.raises(ValidationError) as error:
        move(S.AT_GATEWAY, dt.date(2028, 12, 1), reason=" ")
    assert "reason" in refusal(error)
    move(S.AT_GATEWAY, dt.date(2028, 12, 1))
    move(S.IN_EPA, dt.date(2029, 1, 10))
    move(S.COMPLETED, dt.date(2029, 2, 20), "Passed with distinction")
    history = [(h.status, h.effective_on) for h in made.history.order_by("changed_at", "id")]
    assert [status for status, _ in history] == [
        S.AWAITING_COMMITMENT,
        S.ACTIVE,
        S.ON_BREAK,
        S.ACTIVE,
        S.AT_GATEWAY,
        S.IN_EPA,
        S.COMPLETED,
    ]
    assert payments.calls == [
        ("start", made.pk, None),
        ("pause", made.pk, dt.date(2027, 1, 4)),
        ("resume", made.pk, dt.date(2027, 6, 1)),
        ("complete", made.pk, dt.date(2029, 2, 20)),
    ]
    assert statements.names()[-1] == "issue"  # the new planned end: a new version
    with pytest.raises(ValidationError):
        move(S.ACTIVE, dt.date(2029, 3, 1))


def test_withdrawal_stops_payments_and_early_completion_completes(world, cohort, fakes):
    _, payments = fakes
    first = activated(world, cohort)
    enrolments.change_status(
        actor=world.actor("own_ld_lead"),
        enrolment=first,
        status=S.WITHDRAWN,
        effective_on=dt.date(2027, 3, 1),
        reason="Left the council",
    )
    second = activated(world, cohort, persona="own_staff")
    enrolments.change_status(
        actor=world.actor("programme_leader"),
        enrolment=second,
        status=S.COMPLETED,
        effective_on=dt.date(2028, 3, 1),
        reason="Early completion",
    )
    assert [c[0] for c in payments.calls if c[0] != "start"] == ["stop", "complete"]


def test_someone_who_only_sees_it_cannot_change_the_status(world, cohort, fakes):
    made = activated(world, cohort)
    for persona in ("practice_tutor", "own_line_manager", "own_levy_officer", "apprentice"):
        with pytest.raises(ValidationError):
            enrolments.change_status(
                actor=world.actor(persona),
                enrolment=made,
                status=S.ON_BREAK,
                effective_on=dt.date(2027, 1, 4),
                reason="No",
            )


def test_a_move_to_a_partner_keeps_the_record_and_decides_funding_at_the_original_start(
    world, cohort, own_levy, fakes
):
    statements, payments = fakes
    made = activated(world, cohort)
    assert made.funding_route == FundingRoute.LEVY
    job = EmploymentFactory(
        person=made.apprentice, organisation=world.partner, start_date=dt.date(2026, 10, 1)
    )
    history_before = made.history.count()
    change = enrolments.change_employer(
        actor=world.actor("own_ld_lead"),
        enrolment=made,
        new_employment=job,
        effective_on=dt.date(2027, 2, 1),
        reason="Joined the trust",
    )
    made.refresh_from_db()
    assert Enrolment.objects.count() == 1
    assert made.employer == world.partner and made.employment == job
    assert made.start_on == START and made.status == S.ACTIVE
    assert made.history.count() == history_before
    assert made.levy_account is None  # the trust has no levy account here
    assert made.funding_route == FundingRoute.CO_FUNDED  # still under 22 at the original start
    assert EmployerChange.objects.get() == change
    assert change.previous_employer == world.own
    assert statements.names() == ["issue", "issue"]
    assert [call[0] for call in payments.calls] == ["start", "move"]


def test_a_move_between_levy_payers_moves_the_payments_with_the_real_services(
    world, cohort, own_levy
):
    made = activated(world, cohort)
    old = made.levy_commitment
    assert old.account == own_levy
    partner_levy = LevyAccount.objects.create(organisation=world.partner)
    job = EmploymentFactory(
        person=made.apprentice, organisation=world.partner, start_date=dt.date(2026, 10, 1)
    )

    enrolments.change_employer(
        actor=world.actor("own_ld_lead"),
        enrolment=made,
        new_employment=job,
        effective_on=dt.date(2027, 2, 1),
        reason="Joined the trust",
    )

    made.refresh_from_db()
    old.refresh_from_db()
    assert made.funding_route == FundingRoute.LEVY and made.levy_account == partner_levy
    assert old.status == "stopped" and made.levy_commitment.account == partner_levy
    assert made.levy_commitment.start_on == dt.date(2027, 2, 1)
    assert made.levy_paid_before + made.levy_commitment.price == Decimal(14000)


def test_a_move_outside_the_partnership_is_refused(world, cohort, fakes):
    made = activated(world, cohort)
    job = EmploymentFactory(person=made.apprentice, organisation=world.outsider_org)
    with pytest.raises(ValidationError) as error:
        enrolments.change_employer(
            actor=world.actor("own_ld_lead"),
            enrolment=made,
            new_employment=job,
            effective_on=dt.date(2027, 2, 1),
            reason="Moved north",
        )
    assert "new_employer_email" in refusal(error)


def test_planned_off_the_job_hours_go_up_freely_but_down_only_by_prior_learning(
    world, cohort, fakes
):
    statements, _ = fakes
    made = enrol(world, cohort)
    lead = world.actor("own_ld_lead")

    def plan(hours, prior=0, note=""):
        return enrolments.plan_off_the_job(
            actor=lead,
            enrolment=made,
            planned_hours=hours,
            prior_learning_hours=prior,
            prior_learning_note=note,
        )

    plan(450)
    assert made.planned_off_the_job_hours == 450
    with pytest.raises(ValidationError) as error:
        plan(420)
    assert "planned_hours" in refusal(error)
    with pytest.raises(ValidationError) as error:
        plan(380, prior=20)
    assert "prior_learning_note" in refusal(error)
    plan(380, prior=20, note="Level 5 leadership certificate")
    made.refresh_from_db()
    assert made.required_off_the_job_hours == OFF_THE_JOB - 20
    assert made.planned_off_the_job_hours == 380
    with pytest.raises(ValidationError) as error:
        plan(300, prior=20, note="Level 5 leadership certificate")
    assert "planned_hours" in refusal(error)
    assert statements.names().count("issue") == 3


def test_a_new_price_or_planned_end_of_an_active_enrolment_is_passed_to_its_payments(
    world, cohort, fakes
):
    _, payments = fakes
    made = activated(world, cohort)
    later = END + dt.timedelta(days=61)

    def edit(price, planned_end_on, hours=Decimal(37)):
        enrolments.edit_terms(
            actor=world.actor("programme_leader"),
            enrolment=made,
            price=price,
            planned_end_on=planned_end_on,
            hours_per_week=hours,
            practice_tutor=made.practice_tutor,
            line_manager=made.line_manager,
            reason="Agreed",
        )

    edit(Decimal("13500.00"), END)
    edit(Decimal("13500.00"), later)
    edit(Decimal("13500.00"), later, hours=Decimal(30))  # no payment term changed
    today = timezone.localdate()
    assert payments.calls[1:] == [
        ("change_terms", made.pk, today, Decimal("13500.00"), None),
        ("change_terms", made.pk, today, None, later),
    ]


def test_changing_the_terms_makes_a_new_statement_version(world, cohort, fakes):
    statements, _ = fakes
    made = enrol(world, cohort)
    enrolments.edit_terms(
        actor=world.actor("programme_leader"),
        enrolment=made,
        price=Decimal("13500.00"),
        planned_end_on=END,
        hours_per_week=Decimal(37),
        practice_tutor=made.practice_tutor,
        line_manager=made.line_manager,
        reason="Agreed discount",
    )
    made.refresh_from_db()
    assert made.price == Decimal("13500.00")
    assert statements.calls[-1] == ("issue", made.pk, "Agreed discount")
    with pytest.raises(ValidationError) as error:
        enrolments.edit_terms(
            actor=world.actor("programme_leader"),
            enrolment=made,
            price=made.price,
            planned_end_on=END,
            hours_per_week=Decimal(37),
            practice_tutor=made.practice_tutor,
            line_manager=made.line_manager,
            reason="Nothing",
        )
    assert refusal(error) == {"reason": ["Nothing was changed"]}
