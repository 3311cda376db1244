"""Feedback deadlines from the stored calendar (`deadlines.feedback_due_on`, with the bank holidays
loaded from GOV.UK's list after migrate), the calendar's services (`calendar_days.py`), the
warning that the bank-holiday list runs out, and its daily job."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.apprenticeships import calendar_days, calendar_jobs, deadlines, demo_calendar
from joinedup.apprenticeships.models import BankHoliday, ClosureDay, Submission
from joinedup.apprenticeships.tests.factories import AssignmentFactory, EnrolmentFactory
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 1)  # a Tuesday


@pytest.fixture
def today(monkeypatch):
    """The calendar's today, fixed at Tuesday 1 December 2026."""
    monkeypatch.setattr(calendar_days, "today", lambda: TODAY)
    return TODAY


def close(world, *days: dt.date, provider=None) -> None:
    """Close the provider (the partner trust) on these days, as rows (a scene, not a rule)."""
    ClosureDay.objects.bulk_create(
        ClosureDay(
            provider=provider or world.partner,
            on=day,
            reason="Closed",
            added_by=world.programme_leader,
        )
        for day in days
    )


# --- Feedback deadlines with the real bank holidays ---------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        (D(2026, 9, 16), D(2026, 10, 7)),  # a Wednesday: three whole weeks
        (D(2026, 9, 19), D(2026, 10, 9)),  # a Saturday: counting starts on Monday
        (D(2026, 8, 31), D(2026, 9, 21)),  # the Summer bank holiday: counting starts on Tuesday
        # Friday 18 Dec: 21-24 Dec (1-4), 29-31 Dec (5-7), 4-8 Jan (8-12), 11-13 Jan (13-15).
        (D(2026, 12, 18), D(2027, 1, 13)),
        # Monday 22 March 2027: 23-25 Mar (1-3), 30 Mar-2 Apr (4-7), 5-9 Apr (8-12), 12-14 Apr.
        (D(2027, 3, 22), D(2027, 4, 14)),
    ],
)
def test_feedback_due_on_skips_weekends_and_the_stored_bank_holidays(world, submitted, due):
    assert deadlines.feedback_due_on(world.partner.pk, submitted) == due


def test_feedback_due_on_skips_the_providers_own_closure_days_only(world):
    close(world, D(2026, 12, 24))
    # 21-23 Dec (1-3), 29-31 Dec (4-6), 4-8 Jan (7-11), 11-14 Jan (12-15).
    assert deadlines.feedback_due_on(world.partner.pk, D(2026, 12, 18)) == D(2027, 1, 14)
    assert deadlines.feedback_due_on(world.own.pk, D(2026, 12, 18)) == D(2027, 1, 13)


def test_feedback_due_on_reads_past_its_window_when_a_provider_closes_for_a_whole_summer(world):
    summer = [D(2027, 6, 1) + dt.timedelta(days=n) for n in range(92)]  # 1 June to 31 August
    close(world, *(day for day in summer if day.weekday() < 5))
    # Friday 28 May; 31 May is a bank holiday; closed all summer; 1-3 Sep (1-3), 6-10 (4-8),
    # 13-17 (9-13), 20-21 Sep (14-15).
    assert deadlines.feedback_due_on(world.partner.pk, D(2027, 5, 28)) == D(2027, 9, 21)


# --- Bank holidays ------------------------------------------------------------------------------


def test_a_partnership_lead_adds_a_bank_holiday_with_an_audit_entry(world):
    holiday = calendar_days.add_bank_holiday(
        actor=world.actor("partnership_lead"), on=D(2029, 1, 1), title="  New Year’s  Day "
    )
    assert (holiday.on, holiday.title, holiday.added_by) == (
        D(2029, 1, 1),
        "New Year’s Day",
        world.partnership_lead,
    )
    assert AuditEvent.objects.filter(action="apprenticeships.bank_holiday.added").count() == 1


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (D(2027, 12, 27), "Monday 27 December 2027 is already a bank holiday (Christmas Day)"),
        (D(2029, 1, 6), "Saturday 6 January 2029 is a Saturday: weekends are never working days"),
        (D(9999, 12, 31), "Enter a date between 2000 and 2100"),
    ],
)
def test_a_duplicate_or_weekend_bank_holiday_is_refused_naming_the_date(world, on, message):
    with pytest.raises(ValidationError) as refused:
        calendar_days.add_bank_holiday(actor=world.actor("partnership_lead"), on=on, title="Extra")
    assert refused.value.message_dict == {"on": [message]}


def test_only_partnership_leads_manage_bank_holidays(world):
    for persona in ("own_admin", "programme_leader", "own_staff"):
        with pytest.raises(PermissionDenied):
            calendar_days.add_bank_holiday(
                actor=world.actor(persona), on=D(2029, 1, 1), title="New Year’s Day"
            )


def test_govuk_bank_holidays_stay_and_added_ones_can_be_removed(world):
    lead = world.actor("partnership_lead")
    govuk = BankHoliday.objects.get(on=D(2026, 12, 25))
    with pytest.raises(ValidationError, match="comes from GOV.UK's list and cannot be removed"):
        calendar_days.remove_bank_holiday(actor=lead, holiday=govuk)
    added = calendar_days.add_bank_holiday(actor=lead, on=D(2029, 1, 1), title="New Year’s Day")
    calendar_days.remove_bank_holiday(actor=lead, holiday=added)
    assert not BankHoliday.objects.filter(on=D(2029, 1, 1)).exists()
    assert BankHoliday.objects.filter(on=D(2026, 12, 25)).exists()


# --- The warning --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "warns"),
    [
        (D(2026, 12, 1), False),
        (D(2027, 12, 25), False),  # 12 months on is 25 December 2028, before the list's end
        (D(2027, 12, 26), True),  # 12 months on is the list's last day
        (D(2027, 12, 27), True),
    ],
)
def test_admins_are_warned_when_the_list_ends_within_12_months(on, warns):
    assert BankHoliday.objects.order_by("on").last().on == D(2028, 12, 26)
    warning = calendar_days.calendar_warning(on)
    expected = (
        "The bank holiday list ends on Tuesday 26 December 2028, within 12 months: feedback "
        "deadlines after that skip no bank holidays. Add the following year's bank holidays "
        "from GOV.UK (https://www.gov.uk/bank-holidays)."
    )
    assert warning == (expected if warns else "")


def test_a_bank_holiday_added_for_the_next_year_ends_the_warning(world):
    calendar_days.add_bank_holiday(
        actor=world.actor("partnership_lead"), on=D(2029, 1, 1), title="New Year’s Day"
    )
    assert calendar_days.calendar_warning(D(2027, 12, 27)) == ""


def test_the_daily_job_logs_the_warning_only_while_there_is_one(caplog):
    with caplog.at_level(logging.WARNING, logger="joinedup.apprenticeships.calendar_jobs"):
        assert calendar_jobs.warn_if_bank_holidays_run_out(D(2026, 12, 1)) == ""
        assert not caplog.records
        warning = calendar_jobs.warn_if_bank_holidays_run_out(D(2027, 12, 27))
    assert [record.getMessage() for record in caplog.records] == [warning]
    assert "26 December 2028" in warning


def test_the_months_later_of_29_february_is_the_end_of_february():
    assert calendar_days.months_later(D(2028, 2, 29), 12) == D(2029, 2, 28)


# --- Closure days -------------------------------------------------------------------------------


def test_a_programme_leader_closes_their_organisation_on_a_day(world, today):
    closure = calendar_days.add_closure_day(
        actor=world.actor("programme_leader"), on=D(2026, 12, 29), reason="Closed over Christmas"
    )
    assert (closure.provider, closure.on, closure.added_by) == (
        world.partner,
        D(2026, 12, 29),
        world.programme_leader,
    )
    assert AuditEvent.objects.filter(
        action="apprenticeships.closure_day.added", organisation=world.partner
    ).exists()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (D(2026, 12, 29), "You are already closed on Tuesday 29 December 2026"),
        (
            D(2026, 11, 30),
            "Monday 30 November 2026 has passed: add closure days from today on (feedback "
            "deadlines already set do not move)",
        ),
        (D(2026, 12, 25), "Friday 25 December 2026 is already a bank holiday (Christmas Day)"),
        (
            D(2026, 12, 26),
            "Saturday 26 December 2026 is a Saturday: weekends are never working days",
        ),
    ],
)
def test_a_duplicate_past_weekend_or_bank_holiday_closure_is_refused(world, today, on, message):
    close(world, D(2026, 12, 29))
    with pytest.raises(ValidationError) as refused:
        calendar_days.add_closure_day(actor=world.actor("programme_leader"), on=on, reason="Shut")
    assert refused.value.message_dict == {"on": [message]}


def test_closing_today_is_allowed_and_a_past_closure_day_stays_on_the_record(world, today):
    leader = world.actor("programme_leader")
    closure = calendar_days.add_closure_day(actor=leader, on=TODAY, reason="Snow")
    close(world, D(2026, 11, 30))
    past = ClosureDay.objects.get(provider=world.partner, on=D(2026, 11, 30))
    with pytest.raises(ValidationError, match="has passed: past closure days stay"):
        calendar_days.remove_closure_day(actor=leader, closure=past)
    calendar_days.remove_closure_day(actor=leader, closure=closure)
    assert list(ClosureDay.objects.filter(provider=world.partner).values_list("on", flat=True)) == [
        D(2026, 11, 30)
    ]


def test_only_the_providers_programme_leaders_manage_its_closure_days(world, today):
    for persona in ("practice_tutor", "partner_admin", "partnership_lead"):
        with pytest.raises(PermissionDenied):
            calendar_days.add_closure_day(
                actor=world.actor(persona), on=D(2026, 12, 29), reason="Shut"
            )


def test_a_closure_day_added_later_leaves_fixed_feedback_deadlines_alone(world, today):
    enrolment = EnrolmentFactory(cohort__programme__provider=world.partner)
    submitted = D(2026, 12, 18)
    submission = Submission.objects.create(
        enrolment=enrolment,
        provider=world.partner,
        assignment=AssignmentFactory(module__programme=enrolment.cohort.programme),
        submitted_on=submitted,
        feedback_due_on=deadlines.feedback_due_on(world.partner.pk, submitted),
        created_by=enrolment.apprentice,
    )
    calendar_days.add_closure_day(
        actor=world.actor("programme_leader"), on=D(2026, 12, 29), reason="Closed"
    )
    submission.refresh_from_db()
    assert submission.feedback_due_on == D(2027, 1, 13)
    assert deadlines.feedback_due_on(world.partner.pk, submitted) == D(2027, 1, 14)


@pytest.mark.parametrize(
    ("on", "closed"),
    [
        (D(2026, 12, 1), D(2026, 12, 29)),  # 27 is a Sunday, 28 Boxing Day's substitute
        (D(2026, 12, 29), D(2026, 12, 29)),
        (D(2026, 12, 30), D(2027, 12, 29)),  # 27 and 28 December 2027 are bank holidays
    ],
)
def test_the_demo_closes_the_university_on_the_first_working_day_after_boxing_day(on, closed):
    assert demo_calendar.christmas_closure_day(on) == closed
