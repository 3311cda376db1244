"""The working-day calendar's writes and its warning: bank holidays added (and removed) by
partnership leads beside GOV.UK's list, a provider's closure days, and the warning that the stored
bank-holiday list is about to run out.

Deadlines already fixed never move: a submission's `feedback_due_on` is worked out once, when it
is submitted (`deadlines.feedback_due_on`), so adding or removing a bank holiday or closure day
changes only the deadlines of later submissions. That is why a closure day must be today or later
and only one that has not yet passed may be removed.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access
from .models import BankHoliday, ClosureDay

# Dates outside these years are typing mistakes, and would overflow date arithmetic near 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2100
WARNING_MONTHS = 12
GOV_UK = "https://www.gov.uk/bank-holidays"


def day_text(day: dt.date) -> str:
    """A date as GOV.UK writes it: Friday 18 December 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def today() -> dt.date:
    """Today in Europe/London (the project's time zone)."""
    return timezone.localdate()


def _checked_day(field: str, day: dt.date) -> None:
    """Refuse a date outside the years the calendar covers, or on a weekend."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError({field: f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}"})
    if day.weekday() >= 5:
        raise ValidationError(
            {field: f"{day_text(day)} is a {day:%A}: weekends are never working days"}
        )


def _text(field: str, value: str, label: str, longest: int) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationError({field: f"Enter the {label}"})
    if len(value) > longest:
        raise ValidationError({field: f"The {label} must be {longest} characters or fewer"})
    return value


# --- Bank holidays --------------------------------------------------------------------------------


@transaction.atomic
def add_bank_holiday(*, actor: Actor, on: dt.date, title: str) -> BankHoliday:
    """Add a bank holiday (England and Wales) beside GOV.UK's list. One audit entry."""
    if not access.may_manage_bank_holidays(actor):
        raise PermissionDenied
    _checked_day("on", on)
    title = _text("title", title, "name of the bank holiday", 100)
    existing = BankHoliday.objects.filter(on=on).first()
    if existing is not None:
        raise ValidationError(
            {"on": f"{day_text(on)} is already a bank holiday ({existing.title})"}
        )
    try:
        with transaction.atomic():
            holiday = BankHoliday.objects.create(on=on, title=title, added_by=actor.person)
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError({"on": f"{day_text(on)} is already a bank holiday"}) from None
    audit.record(
        actor=actor,
        action="apprenticeships.bank_holiday.added",
        kind="apprenticeships.bank_holiday",
        object_id=holiday.pk,
        label=str(holiday),
        changes={"on": on.isoformat(), "title": title},
    )
    return holiday


@transaction.atomic
def remove_bank_holiday(*, actor: Actor, holiday: BankHoliday) -> None:
    """Remove a bank holiday a partnership lead added (GOV.UK's own stay). One audit entry."""
    if not access.may_manage_bank_holidays(actor):
        raise PermissionDenied
    if holiday.added_by_id is None:
        raise ValidationError(
            f"{holiday.title} on {day_text(holiday.on)} comes from GOV.UK's list and cannot be "
            "removed"
        )
    deleted, _ = BankHoliday.objects.filter(pk=holiday.pk).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="apprenticeships.bank_holiday.removed",
            kind="apprenticeships.bank_holiday",
            object_id=holiday.pk,
            label=str(holiday),
            changes={"on": holiday.on.isoformat()},
        )


def last_bank_holiday() -> dt.date | None:
    """The last stored bank holiday (None when there are none)."""
    return BankHoliday.objects.aggregate(last=Max("on"))["last"]


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def list_ends_soon(last: dt.date | None, on: dt.date) -> bool:
    """Whether a bank-holiday list ending on `last` ends within 12 months of `on`."""
    return last is None or last <= months_later(on, WARNING_MONTHS)


def calendar_warning(today: dt.date) -> str:
    """The warning for admins when the stored bank-holiday list ends within 12 months of `today`,
    else an empty string."""
    last = last_bank_holiday()
    if not list_ends_soon(last, today):
        return ""
    if last is None:
        return (
            "There are no bank holidays stored, so feedback deadlines skip none. "
            f"Add them from GOV.UK ({GOV_UK})."
        )
    return (
        f"The bank holiday list ends on {day_text(last)}, within {WARNING_MONTHS} months: "
        "feedback deadlines after that skip no bank holidays. Add the following year's bank "
        f"holidays from GOV.UK ({GOV_UK})."
    )


ASK_A_LEAD = " Ask a partnership lead to add them."


def calendar_warning_for(actor: Actor, today: dt.date) -> str:
    """The warning as shown to the actor: to the partnership leads who extend the list, and to
    programme leaders (who are told to ask one); empty for everyone else."""
    if not access.may_see_calendar_warning(actor):
        return ""
    warning = calendar_warning(today)
    if warning and not access.may_manage_bank_holidays(actor):
        warning += ASK_A_LEAD
    return warning


# --- Closure days ---------------------------------------------------------------------------------


@transaction.atomic
def add_closure_day(*, actor: Actor, on: dt.date, reason: str) -> ClosureDay:
    """Close the acting organisation (a provider) on a day, today or later, that is not a weekend
    or bank holiday. Deadlines already fixed do not move. One audit entry."""
    if not access.may_manage_closure_days(actor):
        raise PermissionDenied
    _checked_day("on", on)
    if on < today():
        raise ValidationError(
            {
                "on": f"{day_text(on)} has passed: add closure days from today on "
                "(feedback deadlines already set do not move)"
            }
        )
    reason = _text("reason", reason, "reason", 200)
    holiday = BankHoliday.objects.filter(on=on).first()
    if holiday is not None:
        raise ValidationError({"on": f"{day_text(on)} is already a bank holiday ({holiday.title})"})
    provider = actor.organisation
    if ClosureDay.objects.filter(provider=provider, on=on).exists():
        raise ValidationError({"on": f"You are already closed on {day_text(on)}"})
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(
                provider=provider, on=on, reason=reason, added_by=actor.person
            )
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError({"on": f"You are already closed on {day_text(on)}"}) from None
    audit.record(
        actor=actor,
        action="apprenticeships.closure_day.added",
        kind="apprenticeships.closure_day",
        object_id=closure.pk,
        label=str(closure),
        organisation=provider,
        changes={"on": on.isoformat()},
    )
    return closure


@transaction.atomic
def remove_closure_day(*, actor: Actor, closure: ClosureDay) -> None:
    """Remove a closure day that has not passed (a past one was in force when deadlines were set).
    One audit entry."""
    if not access.may_manage_closure_days_of(actor, closure.provider_id):
        raise PermissionDenied
    if closure.on < today():
        raise ValidationError(
            f"{day_text(closure.on)} has passed: past closure days stay on the record"
        )
    deleted, _ = ClosureDay.objects.filter(pk=closure.pk).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="apprenticeships.closure_day.removed",
            kind="apprenticeships.closure_day",
            object_id=closure.pk,
            label=str(closure),
            organisation=actor.organisation,
            changes={"on": closure.on.isoformat()},
        )
