"""API operations for organisations, people, their employments and the caller's own profile.

Every operation fetches through `access`, so the API shows exactly what the pages show. Lists use
cursor pagination: `{"items": [...], "next": "<cursor or null>"}`; pass `next` back as `?cursor=`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from joinedup.lib.keyset import decode_cursor, keyset_page

from . import access, queries
from .actor import Actor
from .models import Employment, Organisation, Person

router = Router(tags=["partnership"])

MAX_ID = 2**63 - 1
ORGANISATION_ORDER = ("name", "id")
PEOPLE_ORDER = ("family_name", "given_name", "id")
EMPLOYMENT_ORDER = ("-start_date", "-id")
BAD_CURSOR = (
    "cursor (query): this is not a cursor this list gave out; "
    "leave it out to start from the first page"
)
NOT_A_PERSON = (  # noqa: S105
    "An organisation token acts for its organisation, not as a person: use a personal token"
)


class Error(Schema):
    detail: str


ERRORS = {frozenset({401, 403, 404, 422}): Error}


class Pagination(Schema):
    cursor: str | None = Field(
        None, max_length=1000, description="The `next` value of the previous page."
    )
    limit: int = Field(50, ge=1, le=200, description="How many items to return, from 1 to 200.")


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    sector: str
    official_code: str
    is_levy_payer: bool
    headcount: int


class OrganisationRef(Schema):
    id: int
    name: str


class JobOut(Schema):
    organisation: OrganisationRef
    job_title: str
    work_email: str


class PersonOut(Schema):
    id: int
    given_name: str
    family_name: str
    jobs: list[JobOut]


class EmploymentOut(Schema):
    id: int
    organisation: OrganisationRef
    job_title: str
    kind: str
    seniority: int | None
    start_date: dt.date
    end_date: dt.date | None
    is_current: bool


class MeOut(Schema):
    id: int
    email: str
    given_name: str
    family_name: str
    acting_for: OrganisationRef
    roles: list[str]
    employments: list[EmploymentOut]


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None


class PersonPage(Schema):
    items: list[PersonOut]
    next: str | None


class EmploymentPage(Schema):
    items: list[EmploymentOut]
    next: str | None


def _fits(value: object, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and 0 <= value <= MAX_ID
    if not isinstance(value, str):
        return False
    if kind is dt.date:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
    if kind is dt.datetime:
        try:
            moment = dt.datetime.fromisoformat(value)
            # Databases compare in UTC: the moment must have an offset and a UTC equivalent.
            moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            return False
        return moment.tzinfo is not None
    return True


def checked_cursor(cursor: str | None, kinds: tuple[type, ...]) -> str | None:
    """The cursor when it is one this list gave out; anything else is a 422 naming it."""
    if not cursor:
        return None
    values = decode_cursor(cursor, len(kinds))
    if values is None or not all(
        _fits(value, kind) for value, kind in zip(values, kinds, strict=True)
    ):
        raise HttpError(422, BAD_CURSOR)
    return cursor


def storable(value: str) -> str:
    """A schema field validator: databases refuse NUL characters and lone surrogates, so the
    field is named in a 422 rather than failing on save."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text") from error
    return value


def page_of(
    queryset: QuerySet, ordering: tuple[str, ...], kinds: tuple[type, ...], page: Pagination
) -> dict:
    """One cursor page of the queryset as the API's list shape."""
    result = keyset_page(
        queryset, ordering, after=checked_cursor(page.cursor, kinds), size=page.limit
    )
    return {"items": result.items, "next": result.next_cursor}


def _employment(employment: Employment) -> dict:
    return {
        "id": employment.pk,
        "organisation": employment.organisation,
        "job_title": employment.job_title,
        "kind": employment.kind,
        "seniority": employment.seniority,
        "start_date": employment.start_date,
        "end_date": employment.end_date,
        "is_current": employment.is_current(),
    }


def _person(person: Person) -> dict:
    return {
        "id": person.pk,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "jobs": person.directory_jobs,
    }


def _directory_jobs(actor: Actor) -> Prefetch:
    """Each person's current jobs in the actor's directory, fetched in one extra query."""
    jobs = access.directory_employments(actor).select_related("organisation").order_by("pk")
    return Prefetch("employments", queryset=jobs, to_attr="directory_jobs")


@router.get(
    "/organisations", response={200: OrganisationPage, **ERRORS}, summary="List organisations"
)
def list_organisations(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The organisations of the caller's partnerships, by name."""
    organisations = access.visible_organisations(request.auth)
    return page_of(organisations, ORGANISATION_ORDER, (str, int), page)


@router.get(
    "/organisations/{pk}", response={200: OrganisationOut, **ERRORS}, summary="An organisation"
)
def organisation_detail(request: HttpRequest, pk: Id) -> Organisation:
    """One organisation of the caller's partnerships."""
    return access.get_organisation_for(request.auth, pk)


@router.get("/people", response={200: PersonPage, **ERRORS}, summary="List people")
def list_people(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The people the caller may see, exactly as in the people directory, by family name."""
    people = access.visible_people(request.auth).prefetch_related(_directory_jobs(request.auth))
    result = page_of(people, PEOPLE_ORDER, (str, str, int), page)
    return {"items": [_person(person) for person in result["items"]], "next": result["next"]}


@router.get("/people/{pk}", response={200: PersonOut, **ERRORS}, summary="A person")
def person_detail(request: HttpRequest, pk: Id) -> dict:
    """One person the caller may see, with their current jobs in the caller's directory."""
    person = access.get_person_for(request.auth, pk)
    prefetch_related_objects([person], _directory_jobs(request.auth))
    return _person(person)


@router.get(
    "/people/{pk}/employments",
    response={200: EmploymentPage, **ERRORS},
    summary="A person's employments",
)
def person_employments(request: HttpRequest, pk: Id, page: Query[Pagination]) -> dict:
    """Full history where the caller may see it (as on the person page), else current jobs."""
    person = access.get_person_for(request.auth, pk)
    employments = access.employments_for(request.auth, person).select_related("organisation")
    result = page_of(employments, EMPLOYMENT_ORDER, (dt.date, int), page)
    return {
        "items": [_employment(employment) for employment in result["items"]],
        "next": result["next"],
    }


@router.get("/me", response={200: MeOut, **ERRORS}, summary="My profile")
def me(request: HttpRequest) -> dict:
    """The caller's own profile; organisation tokens are refused because they are not a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    person = actor.person
    employments = (
        access.employments_for(actor, person)
        .select_related("organisation")
        .order_by(*EMPLOYMENT_ORDER)
    )
    return {
        "id": person.pk,
        "email": person.email,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "acting_for": actor.organisation,
        "roles": sorted(access.roles_of(actor)),
        "employments": [_employment(employment) for employment in employments],
    }


class StatementPeriod(Schema):
    start: dt.date | None = Field(
        None, alias="from", description="The first day (default: 1 April of this financial year)."
    )
    end: dt.date | None = Field(
        None, alias="to", description="The last day (default: 31 March ending this financial year)."
    )


def _financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The financial year (1 April to 31 March) that contains the day."""
    first_year = today.year if today.month >= 4 else today.year - 1
    return dt.date(first_year, 4, 1), dt.date(first_year + 1, 3, 31)


class StatementRowOut(Schema):
    partner: OrganisationRef
    owed_by_us: Decimal
    owed_to_us: Decimal
    net: Decimal


class StatementOut(Schema):
    organisation: OrganisationRef
    start: dt.date = Field(..., alias="from")
    end: dt.date = Field(..., alias="to")
    rows: list[StatementRowOut]
    owed_by_us: Decimal
    owed_to_us: Decimal
    net: Decimal


NOT_A_RECHARGE_READER = (
    "Recharge statements are read by the organisation's admin, L&D lead or levy officer, "
    "with a personal token acting for it"
)


@router.get(
    "/recharges/statement",
    response={200: StatementOut, **ERRORS},
    summary="My organisation's recharge statement",
    by_alias=True,
)
def recharge_statement(request: HttpRequest, period: Query[StatementPeriod]) -> dict:
    """What the acting organisation owes and is owed per partner in a period, with totals.

    The period is `from` to `to` inclusive, the current financial year unless given.
    Net is owed to us less owed by us. Organisation tokens are refused (403), as are people who do
    not read the organisation's recharges.
    """
    actor: Actor = request.auth
    if not access.may_read_recharges(actor):
        raise HttpError(403, NOT_A_RECHARGE_READER)
    first, last = _financial_year(timezone.localdate())
    start, end = period.start or first, period.end or last
    if end < start:
        raise HttpError(422, "to (query): must be the same day as or after from")
    rows = queries.recharge_statement(actor.organisation, start, end)
    totals = queries.statement_totals(rows)
    return {
        "organisation": actor.organisation,
        "from": start,
        "to": end,
        "rows": [
            {
                "partner": {"id": row.partner_id, "name": row.partner_name},
                "owed_by_us": row.owed_by_us,
                "owed_to_us": row.owed_to_us,
                "net": row.net,
            }
            for row in rows
        ],
        "owed_by_us": totals.owed_by_us,
        "owed_to_us": totals.owed_to_us,
        "net": totals.net,
    }
