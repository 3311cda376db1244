"""The apprenticeships API at /api/v1/apprenticeships/working-days: the bank holidays, a
provider's closure days, and when feedback on a submission is due (see docs/API.md).

Bank holidays are reference data: every authenticated caller reads them, organisation tokens too
(who added one by hand is named only on the page, to partnership leads). A provider's closure days
and its feedback deadlines are read by callers acting for that organisation or a member of its
partnerships (404 otherwise); only its programme leaders, acting for it as a person, add closure
days (403 for everyone else, organisation tokens included).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, Pagination, page_of, storable

from . import access, calendar_days, deadlines
from .models import FEEDBACK_WORKING_DAYS, BankHoliday, ClosureDay

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 422}): Error}
DAY_ORDER = ("on", "id")
NOT_A_LEADER = "Only the provider's programme leaders, acting for it, add its closure days"


class BankHolidayOut(Schema):
    id: int
    on: dt.date
    title: str
    source: str = Field(description="gov.uk (from GOV.UK's list) or added (by a partnership lead).")


class BankHolidayPage(Schema):
    items: list[BankHolidayOut]
    next: str | None


class ClosureDayOut(Schema):
    id: int
    provider: int
    on: dt.date
    reason: str


class ClosureDayPage(Schema):
    items: list[ClosureDayOut]
    next: str | None


class ClosureDayIn(Schema):
    on: dt.date = Field(description="A weekday, today or later, that is not a bank holiday.")
    reason: str = Field(max_length=200)

    _storable = field_validator("reason")(storable)


class FeedbackDueQuery(Schema):
    provider: Id = Field(description="The provider organisation's id.")
    submitted_on: dt.date = Field(description="The day the work was submitted (Europe/London).")


class FeedbackDueOut(Schema):
    provider: int
    submitted_on: dt.date
    working_days: int = Field(description="How many working days after submission: 15.")
    feedback_due_on: dt.date = Field(description="Feedback is due by the end of this day.")


def person(request: HttpRequest) -> Actor:
    """The caller, who must act as a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def refused(error: ValidationError) -> HttpError:
    """A refusal as a 422, each bad field named."""
    if not hasattr(error, "error_dict"):
        return HttpError(422, " ".join(error.messages))
    detail = "; ".join(
        f"{field} (body): {' '.join(messages)}" for field, messages in error.message_dict.items()
    )
    return HttpError(422, detail)


def holiday_out(holiday: BankHoliday) -> dict:
    return {
        "id": holiday.pk,
        "on": holiday.on,
        "title": holiday.title,
        "source": "gov.uk" if holiday.added_by_id is None else "added",
    }


def closure_out(closure: ClosureDay) -> dict:
    return {
        "id": closure.pk,
        "provider": closure.provider_id,
        "on": closure.on,
        "reason": closure.reason,
    }


@router.get("/bank-holidays", response={200: BankHolidayPage, **ERRORS}, summary="Bank holidays")
def apprenticeship_bank_holidays(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Every stored bank holiday in England and Wales, by date."""
    found = access.visible_bank_holidays(request.auth).only("pk", "on", "title", "added_by_id")
    result = page_of(found, DAY_ORDER, (dt.date, int), page)
    return {"items": [holiday_out(h) for h in result["items"]], "next": result["next"]}


@router.get(
    "/providers/{provider_id}/closure-days",
    response={200: ClosureDayPage, **ERRORS},
    summary="A provider's closure days",
)
def apprenticeship_closure_days(
    request: HttpRequest, provider_id: Id, page: Query[Pagination]
) -> dict:
    """The provider's closure days, by date."""
    actor: Actor = request.auth
    provider = access.get_calendar_provider(actor, provider_id)
    found = access.visible_closure_days(actor).filter(provider=provider)
    result = page_of(found, DAY_ORDER, (dt.date, int), page)
    return {"items": [closure_out(c) for c in result["items"]], "next": result["next"]}


@router.post(
    "/providers/{provider_id}/closure-days",
    response={201: ClosureDayOut, **ERRORS},
    summary="Add a closure day",
)
def apprenticeship_add_closure_day(
    request: HttpRequest, provider_id: Id, data: ClosureDayIn
) -> Status:
    """A programme leader of the provider, acting for it, closes it on a day (today or later).
    Feedback deadlines already set do not move."""
    actor = person(request)
    access.get_calendar_provider(actor, provider_id)
    if not access.may_manage_closure_days_of(actor, provider_id):
        raise HttpError(403, NOT_A_LEADER)
    try:
        closure = calendar_days.add_closure_day(actor=actor, on=data.on, reason=data.reason)
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_LEADER) from error
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, closure_out(closure))


@router.get(
    "/feedback-due", response={200: FeedbackDueOut, **ERRORS}, summary="When feedback is due"
)
def apprenticeship_feedback_due(request: HttpRequest, query: Query[FeedbackDueQuery]) -> dict:
    """The day by whose end feedback on work submitted on `submitted_on` is due at the provider:
    the 15th working day after it, skipping weekends, bank holidays and the provider's closure
    days."""
    provider = access.get_calendar_provider(request.auth, query.provider)
    submitted_on = query.submitted_on
    if not calendar_days.FIRST_YEAR <= submitted_on.year <= calendar_days.LAST_YEAR:
        raise HttpError(
            422,
            f"submitted_on (query): give a date from {calendar_days.FIRST_YEAR} to "
            f"{calendar_days.LAST_YEAR}",
        )
    return {
        "provider": provider.pk,
        "submitted_on": submitted_on,
        "working_days": FEEDBACK_WORKING_DAYS,
        "feedback_due_on": deadlines.feedback_due_on(provider.pk, submitted_on),
    }
