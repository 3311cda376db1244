"""The off-the-job API: an enrolment's log at
/api/v1/apprenticeships/enrolments/{pk}/off-the-job (see docs/API.md).

The log and its summary (hours and on-track status) are read by whoever reads the enrolment
(`access.get_enrolment_for`); organisation tokens act as no person and see none (404). The
apprentice logs entries, and changes or deletes them until they are verified; the practice tutor
or a programme leader of the provider verifies or queries them (403 for others who see the
enrolment). Refusals name the field (422) or, for a state that forbids the change, are a 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Error, Id, Pagination, page_of
from joinedup.partnership.api import storable as _storable

from . import access, off_the_job
from .api_enrolments import person, refused
from .models import Enrolment, OffTheJobActivity, OffTheJobEntry

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("-on", "-id")


class PersonRef(Schema):
    id: int
    name: str


class KsbRef(Schema):
    id: int
    code: str


class EntryOut(Schema):
    id: int
    on: dt.date
    hours: Decimal
    activity: str = Field(description=", ".join(OffTheJobActivity.values))
    ksbs: list[KsbRef]
    reflection: str
    state: str = Field(description="awaiting, accepted (verified) or queried.")
    tutor_note: str
    checked_by: PersonRef | None
    checked_at: dt.datetime | None
    created_at: dt.datetime


class EntryPage(Schema):
    items: list[EntryOut]
    next: str | None


class EntryIn(Schema):
    on: dt.date = Field(description="Not in the future, nor before the start.")
    hours: Decimal = Field(gt=0, le=24, max_digits=4, decimal_places=2)
    activity: str = Field(max_length=20, description=", ".join(OffTheJobActivity.values))
    ksbs: list[Id] = Field(
        default_factory=list, max_length=200, description="KSB ids of the standard."
    )
    reflection: str = Field("", max_length=off_the_job.REFLECTION_LIMIT)

    @field_validator("activity", "reflection")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class CheckIn(Schema):
    decision: Literal["accept", "query"] = Field(description="accept verifies; query asks again.")
    note: str = Field("", max_length=off_the_job.NOTE_LIMIT, description="Needed for a query.")

    @field_validator("note")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class SummaryOut(Schema):
    required: Decimal
    planned: Decimal
    logged: Decimal
    verified: Decimal
    required_met: bool = Field(description="Verified hours reach the required hours.")
    status: str = Field(description="green, amber or red.")
    on: dt.date
    elapsed_share: Decimal = Field(description="The share of the plan's time passed, 0 to 1.")
    expected: Decimal = Field(description="Hours expected by now.")
    amber_from: Decimal = Field(description="80% of the hours expected by now.")
    explanation: str
    rule: str


def entry_out(entry: OffTheJobEntry) -> dict:
    """An entry in the API's shape (its KSBs prefetched, its checker selected)."""
    checker = entry.checked_by
    return {
        "id": entry.pk,
        "on": entry.on,
        "hours": entry.hours,
        "activity": entry.activity,
        "ksbs": [{"id": ksb.pk, "code": ksb.code} for ksb in entry.ksbs.all()],
        "reflection": entry.reflection,
        "state": entry.state,
        "tutor_note": entry.tutor_note,
        "checked_by": None if checker is None else {"id": checker.pk, "name": checker.full_name},
        "checked_at": entry.checked_at,
        "created_at": entry.created_at,
    }


@contextmanager
def _answered(forbidden: str) -> Iterator[None]:
    """The service's refusals as answers: 403 saying `forbidden`, 422 naming the field, or 409
    for a state that forbids the change."""
    try:
        yield
    except PermissionDenied as error:
        raise HttpError(403, forbidden) from error
    except ValidationError as error:
        raise refused(error) from error


def _entry(enrolment_pk: int, entry_pk: int) -> OffTheJobEntry:
    found = (
        OffTheJobEntry.objects.filter(pk=entry_pk, enrolment_id=enrolment_pk)
        .select_related("checked_by")
        .prefetch_related("ksbs")
        .first()
    )
    if found is None:
        raise Http404("No such off-the-job entry")
    return found


def _entry_to_change(
    request: HttpRequest,
    pk: int,
    entry_id: int,
    may: Callable[[Actor, Enrolment], bool],
    refusal: str,
) -> tuple[Actor, OffTheJobEntry]:
    """The caller (a person) and an entry of an enrolment they see (404 otherwise); 403 saying
    `refusal` unless `may` lets them act on it."""
    actor = person(request)
    enrolment = access.get_enrolment_for(actor, pk)
    entry = _entry(enrolment.pk, entry_id)
    entry.enrolment = enrolment
    if not may(actor, enrolment):
        raise HttpError(403, refusal)
    return actor, entry


@router.get("/{pk}/off-the-job", response={200: EntryPage, **ERRORS}, summary="Off-the-job entries")
def apprenticeship_off_the_job(request: HttpRequest, pk: Id, page: Query[Pagination]) -> dict:
    """The enrolment's off-the-job entries, newest first."""
    actor: Actor = request.auth
    enrolment = access.get_enrolment_for(actor, pk)
    found = enrolment.off_the_job.select_related("checked_by").prefetch_related("ksbs")
    result = page_of(found, ORDER, (dt.date, int), page)
    return {"items": [entry_out(e) for e in result["items"]], "next": result["next"]}


@router.post(
    "/{pk}/off-the-job", response={201: EntryOut, **ERRORS}, summary="Log off-the-job time"
)
def apprenticeship_off_the_job_log(request: HttpRequest, pk: Id, data: EntryIn) -> Status:
    """The apprentice logs off-the-job time (403 for anyone else who sees the enrolment)."""
    actor = person(request)
    enrolment = access.get_enrolment_for(actor, pk)
    if not access.may_log_off_the_job(actor, enrolment):
        raise HttpError(403, off_the_job.NOT_THE_APPRENTICE)
    with _answered(off_the_job.NOT_THE_APPRENTICE):
        made = off_the_job.log_entry(
            actor=actor,
            enrolment=enrolment,
            on=data.on,
            hours=data.hours,
            activity=data.activity,
            ksb_ids=data.ksbs,
            reflection=data.reflection,
        )
    return Status(201, entry_out(_entry(pk, made.pk)))


@router.post(
    "/{pk}/off-the-job/{entry_id}/check",
    response={200: EntryOut, **ERRORS},
    summary="Verify or query an entry",
)
def apprenticeship_off_the_job_check(
    request: HttpRequest, pk: Id, entry_id: Id, data: CheckIn
) -> dict:
    """The practice tutor or a programme leader of the provider verifies (accept) or queries an
    entry awaiting them or queried before (403 for others who see it; 409 once verified)."""
    actor, entry = _entry_to_change(
        request, pk, entry_id, access.may_check_off_the_job, off_the_job.NOT_A_CHECKER
    )
    with _answered(off_the_job.NOT_A_CHECKER):
        off_the_job.check_entry(actor=actor, entry=entry, decision=data.decision, note=data.note)
    return entry_out(_entry(pk, entry_id))


@router.get(
    "/{pk}/off-the-job/summary",
    response={200: SummaryOut, **ERRORS},
    summary="Off-the-job hours and on-track status",
)
def apprenticeship_off_the_job_summary(request: HttpRequest, pk: Id) -> dict:
    """Required, planned, logged and verified hours, and green, amber or red for today with the
    numbers and the rule."""
    actor: Actor = request.auth
    enrolment = access.get_enrolment_for(actor, pk)
    hours = off_the_job.totals(enrolment)
    status = off_the_job.on_track_for(enrolment, hours)
    return {
        "required": hours.required,
        "planned": hours.planned,
        "logged": hours.logged,
        "verified": hours.verified,
        "required_met": hours.met,
        "status": status.status.value,
        "on": status.on,
        "elapsed_share": status.elapsed_share,
        "expected": status.expected,
        "amber_from": status.amber_from,
        "explanation": status.explanation,
        "rule": status.rule,
    }


@router.get(
    "/{pk}/off-the-job/{entry_id}",
    response={200: EntryOut, **ERRORS},
    summary="One off-the-job entry",
)
def apprenticeship_off_the_job_entry(request: HttpRequest, pk: Id, entry_id: Id) -> dict:
    """One entry of the enrolment's log."""
    actor: Actor = request.auth
    enrolment = access.get_enrolment_for(actor, pk)
    return entry_out(_entry(enrolment.pk, entry_id))


@router.put(
    "/{pk}/off-the-job/{entry_id}",
    response={200: EntryOut, **ERRORS},
    summary="Change an off-the-job entry",
)
def apprenticeship_off_the_job_edit(
    request: HttpRequest, pk: Id, entry_id: Id, data: EntryIn
) -> dict:
    """The apprentice changes an entry awaiting the tutor or queried, every field at once; a
    queried entry goes back to the tutor (403 for others who see it; 409 once verified)."""
    actor, entry = _entry_to_change(
        request, pk, entry_id, access.may_log_off_the_job, off_the_job.NOT_THE_APPRENTICE
    )
    with _answered(off_the_job.NOT_THE_APPRENTICE):
        off_the_job.edit_entry(
            actor=actor,
            entry=entry,
            on=data.on,
            hours=data.hours,
            activity=data.activity,
            ksb_ids=data.ksbs,
            reflection=data.reflection,
        )
    return entry_out(_entry(pk, entry_id))


@router.delete(
    "/{pk}/off-the-job/{entry_id}",
    response={204: None, **ERRORS},
    summary="Delete an off-the-job entry",
)
def apprenticeship_off_the_job_delete(request: HttpRequest, pk: Id, entry_id: Id) -> Status:
    """The apprentice deletes an entry awaiting the tutor or queried (403 for others who see
    it; 409 once verified)."""
    actor, entry = _entry_to_change(
        request, pk, entry_id, access.may_log_off_the_job, off_the_job.NOT_THE_APPRENTICE
    )
    with _answered(off_the_job.NOT_THE_APPRENTICE):
        off_the_job.delete_entry(actor=actor, entry=entry)
    return Status(204, None)
