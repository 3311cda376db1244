"""The off-the-job log: the apprentice logs time spent learning away from their day-to-day work,
and the practice tutor (or a programme leader of the provider) verifies or queries each entry.

- An entry is logged only while the enrolment is active, or on a break for days before the break
  began; never before the commitment statement is signed, nor at or after the gateway, nor once
  withdrawn or completed.
- Its date is neither in the future nor before the start; its hours are more than 0 and at most
  24 (to the hundredth); its KSBs are the enrolment's standard's.
- The apprentice edits or deletes an entry while it awaits the tutor or is queried; an edit of a
  queried entry sends it back to the tutor. A verified (accepted) entry never changes.
- The tutor accepts (verifies) or queries an entry awaiting them or queried before; a query needs
  a note saying what to change.

Each change is claimed by a conditional UPDATE (or DELETE) on the entry's state, so two people
acting at once cannot both win, and is written with one audit entry in one transaction. Refusals
are `ValidationError`s naming the field. `totals` gives the hours in one aggregate query (the
`off_the_job_hours` index covers it); `on_track_for` feeds them to the pure `on_track` core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access, on_track
from .models import (
    CheckState,
    Enrolment,
    EnrolmentStatus,
    Ksb,
    OffTheJobActivity,
    OffTheJobEntry,
)

S = EnrolmentStatus
KIND = "apprenticeships.off_the_job_entry"
MAX_HOURS = Decimal(24)
PENNY = Decimal("0.01")
REFLECTION_LIMIT = 5000
NOTE_LIMIT = OffTheJobEntry._meta.get_field("tutor_note").max_length
EDITABLE = (CheckState.AWAITING, CheckState.QUERIED)
CHECKABLE = (CheckState.AWAITING, CheckState.QUERIED)
ACCEPT = "accept"
QUERY = "query"
DECISIONS = ((ACCEPT, "Verify it"), (QUERY, "Query it"))
NOT_THE_APPRENTICE = "Only the apprentice logs and changes their off-the-job time"
NOT_A_CHECKER = "Only the practice tutor or a programme leader of the provider checks this entry"
CLOSED = {
    S.AWAITING_COMMITMENT: (
        "The apprenticeship has not started: off-the-job time is logged once the commitment "
        "statement is signed by all three"
    ),
    S.AT_GATEWAY: "The apprenticeship is at the gateway: off-the-job time is no longer logged",
    S.IN_EPA: "The apprenticeship is in end-point assessment: off-the-job time is no longer logged",
    S.WITHDRAWN: "The apprenticeship was withdrawn: off-the-job time is no longer logged",
    S.COMPLETED: "The apprenticeship is completed: off-the-job time is no longer logged",
}


@dataclass(frozen=True)
class Totals:
    """An enrolment's off-the-job hours: the minimum required, the plan, everything logged and
    what the tutor has verified (accepted)."""

    required: Decimal
    planned: Decimal
    logged: Decimal
    verified: Decimal

    @property
    def met(self) -> bool:
        """Verified hours reach the required minimum (the gateway's item)."""
        return self.verified >= self.required

    @property
    def awaiting(self) -> Decimal:
        return self.logged - self.verified


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _day(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"


# --- Reading --------------------------------------------------------------------------------------


def totals(enrolment: Enrolment) -> Totals:
    """Required, planned, logged and verified hours, in one aggregate query."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))
    sums = OffTheJobEntry.objects.filter(enrolment_id=enrolment.pk).aggregate(
        logged=Coalesce(Sum("hours"), zero),
        verified=Coalesce(Sum("hours", filter=Q(state=CheckState.ACCEPTED)), zero),
    )
    return Totals(
        required=Decimal(enrolment.required_off_the_job_hours),
        planned=Decimal(enrolment.planned_off_the_job_hours),
        logged=Decimal(sums["logged"]),
        verified=Decimal(sums["verified"]),
    )


def on_track_for(
    enrolment: Enrolment, hours: Totals | None = None, on: dt.date | None = None
) -> on_track.OnTrack:
    """Green, amber or red for the enrolment today (or `on`), with the numbers and the rule."""
    hours = hours or totals(enrolment)
    return on_track.assess(
        start=enrolment.start_on,
        planned_end=enrolment.planned_end_on,
        planned_hours=hours.planned,
        required_hours=hours.required,
        logged_hours=hours.logged,
        verified_hours=hours.verified,
        on=on or timezone.localdate(),
    )


# --- Checks ---------------------------------------------------------------------------------------


def _check_open(enrolment: Enrolment, on: dt.date | None = None) -> None:
    """Refuse unless the enrolment takes off-the-job time (for the day `on`, when given)."""
    if enrolment.status in CLOSED:
        raise ValidationError(CLOSED[enrolment.status])
    if enrolment.status == S.ON_BREAK and on is not None and on >= enrolment.status_on:
        raise _refuse(
            "on",
            f"The apprenticeship is on a break from {_day(enrolment.status_on)}: log only "
            "time before the break",
        )


def _check_date(enrolment: Enrolment, on: Any) -> dt.date:
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise _refuse("on", "Enter the date of the off-the-job time")
    if on > timezone.localdate():
        raise _refuse("on", "The date cannot be in the future")
    if on < enrolment.start_on:
        raise _refuse(
            "on",
            f"The date cannot be before the apprenticeship started on {_day(enrolment.start_on)}",
        )
    return on


def _check_hours(given: Any) -> Decimal:
    if isinstance(given, bool) or not isinstance(given, Decimal | int):
        raise _refuse("hours", "Enter the hours as a number, for example 3.5")
    hours = Decimal(given)
    if not hours.is_finite():
        raise _refuse("hours", "Enter the hours as a number, for example 3.5")
    if hours <= 0 or hours > MAX_HOURS:
        raise _refuse("hours", "Hours must be more than 0 and at most 24")
    if hours != hours.quantize(PENNY):
        raise _refuse("hours", "Hours can have at most 2 decimal places")
    return hours


def _check_activity(activity: Any) -> str:
    if activity not in OffTheJobActivity.values:
        raise _refuse("activity", "Choose the activity")
    return str(activity)


def _check_ksbs(enrolment: Enrolment, ksb_ids: Iterable[Any]) -> list[int]:
    wanted = set()
    for value in ksb_ids:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse("ksbs", "Choose KSBs of the apprenticeship's standard")
        wanted.add(value)
    if not wanted:
        return []
    standard_id = enrolment.cohort.programme.standard_id
    found = list(
        Ksb.objects.filter(pk__in=wanted, standard_id=standard_id).values_list("pk", flat=True)
    )
    if len(found) != len(wanted):
        raise _refuse("ksbs", "Choose only KSBs of the apprenticeship's standard")
    return sorted(found)


def _check_reflection(reflection: Any) -> str:
    text = (reflection or "").strip() if isinstance(reflection, str | type(None)) else None
    if text is None:
        raise _refuse("reflection", "Enter the reflection as text")
    if len(text) > REFLECTION_LIMIT:
        raise _refuse(
            "reflection", f"The reflection must be {REFLECTION_LIMIT} characters or fewer"
        )
    return text


def _checked_fields(enrolment: Enrolment, **given: Any) -> dict[str, Any]:
    on = _check_date(enrolment, given["on"])
    _check_open(enrolment, on)
    return {
        "on": on,
        "hours": _check_hours(given["hours"]),
        "activity": _check_activity(given["activity"]),
        "ksbs": _check_ksbs(enrolment, given["ksb_ids"]),
        "reflection": _check_reflection(given["reflection"]),
    }


def _record(actor: Actor, action: str, entry: OffTheJobEntry, changes: dict[str, Any]) -> None:
    enrolment = entry.enrolment
    audit.record(
        actor=actor,
        action=f"off_the_job.{action}",
        kind=KIND,
        object_id=entry.pk,
        label=f"{enrolment.reference}: {entry.hours} hours on {entry.on}",
        organisation=enrolment.employer,
        partnership=enrolment.cohort.programme.partnership,
        changes=changes,
    )


def _facts(entry: OffTheJobEntry, ksbs: list[int]) -> dict[str, Any]:
    """The entry for the audit log: ids and non-personal values (never the reflection)."""
    return {
        "enrolment": entry.enrolment_id,
        "on": str(entry.on),
        "hours": str(entry.hours),
        "activity": entry.activity,
        "ksbs": ksbs,
        "state": entry.state,
    }


# --- Writing --------------------------------------------------------------------------------------


def log_entry(
    *,
    actor: Actor,
    enrolment: Enrolment,
    on: Any,
    hours: Any,
    activity: Any,
    ksb_ids: Iterable[Any] = (),
    reflection: Any = "",
) -> OffTheJobEntry:
    """The apprentice logs off-the-job time (see the module docstring for the rules)."""
    if not access.may_log_off_the_job(actor, enrolment):
        raise PermissionDenied(NOT_THE_APPRENTICE)
    _check_open(enrolment)
    fields = _checked_fields(
        enrolment, on=on, hours=hours, activity=activity, ksb_ids=ksb_ids, reflection=reflection
    )
    ksbs = fields.pop("ksbs")
    with transaction.atomic():
        entry = OffTheJobEntry.objects.create(
            enrolment=enrolment, created_by=actor.person, **fields
        )
        entry.ksbs.set(ksbs)
        _record(actor, "logged", entry, _facts(entry, ksbs))
    return entry


def edit_entry(
    *,
    actor: Actor,
    entry: OffTheJobEntry,
    on: Any,
    hours: Any,
    activity: Any,
    ksb_ids: Iterable[Any] = (),
    reflection: Any = "",
) -> OffTheJobEntry:
    """The apprentice changes an entry awaiting the tutor or queried; a queried one goes back to
    the tutor (awaiting)."""
    enrolment = entry.enrolment
    if not access.may_log_off_the_job(actor, enrolment):
        raise PermissionDenied(NOT_THE_APPRENTICE)
    if entry.state not in EDITABLE:
        raise ValidationError("This entry has been verified: it can no longer be changed")
    _check_open(enrolment)
    fields = _checked_fields(
        enrolment, on=on, hours=hours, activity=activity, ksb_ids=ksb_ids, reflection=reflection
    )
    ksbs = fields.pop("ksbs")
    before = entry.state
    with transaction.atomic():
        claimed = OffTheJobEntry.objects.filter(pk=entry.pk, state__in=EDITABLE).update(
            state=CheckState.AWAITING, **fields
        )
        if not claimed:
            raise ValidationError("This entry has just been verified: it can no longer be changed")
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.state = CheckState.AWAITING
        entry.ksbs.set(ksbs)
        _record(actor, "edited", entry, {**_facts(entry, ksbs), "state": [before, entry.state]})
    return entry


def delete_entry(*, actor: Actor, entry: OffTheJobEntry) -> None:
    """The apprentice deletes an entry awaiting the tutor or queried."""
    if not access.may_log_off_the_job(actor, entry.enrolment):
        raise PermissionDenied(NOT_THE_APPRENTICE)
    if entry.state not in EDITABLE:
        raise ValidationError("This entry has been verified: it can no longer be deleted")
    _check_open(entry.enrolment)
    facts = _facts(entry, [])
    pk = entry.pk
    with transaction.atomic():
        # Locked and checked in one statement, so a verification at the same moment wins or waits.
        claimed = OffTheJobEntry.objects.select_for_update().filter(pk=pk, state__in=EDITABLE)
        if not claimed.exists():
            raise ValidationError("This entry has just been verified: it can no longer be deleted")
        OffTheJobEntry.objects.filter(pk=pk).delete()
        entry.pk = pk
        _record(actor, "deleted", entry, facts)


def check_entry(
    *, actor: Actor, entry: OffTheJobEntry, decision: Any, note: Any = ""
) -> OffTheJobEntry:
    """The practice tutor or a programme leader of the provider verifies (accepts) or queries an
    entry awaiting them or queried before; a query needs a note."""
    if not access.may_check_off_the_job(actor, entry.enrolment):
        raise PermissionDenied(NOT_A_CHECKER)
    if decision not in (ACCEPT, QUERY):
        raise _refuse("decision", "Choose whether to verify or query the entry")
    text = (note or "").strip() if isinstance(note, str | type(None)) else ""
    if decision == QUERY and not text:
        raise _refuse("note", "Say what the apprentice should change or explain")
    if len(text) > NOTE_LIMIT:
        raise _refuse("note", f"The note must be {NOTE_LIMIT} characters or fewer")
    if entry.state not in CHECKABLE:
        raise ValidationError("This entry has already been verified")
    state = CheckState.ACCEPTED if decision == ACCEPT else CheckState.QUERIED
    before = entry.state
    now = timezone.now()
    with transaction.atomic():
        claimed = OffTheJobEntry.objects.filter(pk=entry.pk, state=before).update(
            state=state, tutor_note=text, checked_by=actor.person, checked_at=now
        )
        if not claimed:
            raise ValidationError("This entry has just been changed: look at it again")
        entry.state, entry.tutor_note = state, text
        entry.checked_by, entry.checked_at = actor.person, now
        _record(actor, "checked", entry, {"state": [before, state]})
    return entry
