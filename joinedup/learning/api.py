"""API operations for the shared learning offer: programmes, runs, bookings and waiting lists.

Everything is fetched through `learning.access`, so the API shows what the pages show, and every
write goes through `learning.services`. Lists use cursor pagination like the rest of /api/v1/.

Organisation tokens act for their organisation, never as a person: they read the catalogue, runs
and the places their organisation's staff can take, but booking, cancelling, "my bookings" and a
run's list of bookings (people's names) need a personal token, and refuse them with 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership import access as partnership_access
from joinedup.partnership.actor import Actor
from joinedup.partnership.api import (
    NOT_A_PERSON,
    Error,
    Id,
    OrganisationRef,
    Pagination,
    page_of,
    storable,
)
from joinedup.partnership.models import Person

from . import access, catalogue, services
from .models import (
    Booking,
    BookingStatus,
    DeliveryMode,
    Programme,
    ProgrammeKind,
    Run,
    RunOrganisationShare,
    Session,
)

router = Router(tags=["learning"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
RUN_ORDER = ("cut_off_at", "id")
MY_BOOKING_ORDER = ("-requested_at", "-id")
RUN_BOOKING_ORDER = ("requested_at", "id")
NOT_A_HOST = "Only the host's L&D leads and programme leaders see the bookings on its runs"


# --- Schemas ---------------------------------------------------------------------------------


class TopicOut(Schema):
    id: int
    name: str


class PlacesOut(Schema):
    count: int = Field(description="Places the caller's organisation's staff can book now.")
    reason: str = Field(description="Why, in words: who the run is open to and from when.")


class SessionOut(Schema):
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    venue: str
    online: bool


class ProgrammeRef(Schema):
    id: int
    title: str
    host: OrganisationRef


class RunOut(Schema):
    id: int
    capacity: int
    places_left: int
    cut_off_at: dt.datetime
    bookings_close_at: dt.datetime | None
    completion_deadline: dt.date | None
    partner_price: Decimal
    release_mode: str
    released: bool
    cancelled: bool
    sessions: list[SessionOut]
    places: PlacesOut


class RunListItem(RunOut):
    programme: ProgrammeRef


class OrganisationCount(Schema):
    organisation: OrganisationRef
    count: int


class WaitingOut(Schema):
    count: int = Field(description="How many people are on the run's waiting list.")
    by_organisation: list[OrganisationCount] | None = Field(
        description="For the host's L&D leads and programme leaders only; null for others."
    )


class MyPlaceOut(Schema):
    id: int
    status: str
    position: int | None


class RunDetail(RunListItem):
    waiting: WaitingOut
    my_booking: MyPlaceOut | None


class ProgrammeOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    delivery_mode: str
    host: OrganisationRef
    topics: list[TopicOut]
    audience: str
    seniority_min: int
    seniority_max: int
    hours: Decimal
    provider: str
    partner_price: Decimal
    sharing_policy: str
    approval_required: bool
    runs: list[RunOut] = Field(description="Upcoming runs that meet the run filters.")


class ProgrammeDetail(ProgrammeOut):
    description: str


class PersonRef(Schema):
    id: int
    given_name: str
    family_name: str


class RunRef(Schema):
    id: int
    programme: ProgrammeRef


class BookingOut(Schema):
    id: int
    run: RunRef
    person: PersonRef
    organisation: OrganisationRef
    status: str
    position: int | None = Field(description="Place on the waiting list (1 is next), if waiting.")
    requested_at: dt.datetime
    confirmed_at: dt.datetime | None
    offer_expires_at: dt.datetime | None
    cancelled_at: dt.datetime | None


class HostBookingOut(Schema):
    id: int
    person: PersonRef
    organisation: OrganisationRef
    status: str
    position: int | None
    requested_at: dt.datetime
    adjustments_note: str = Field(description="Reasonable adjustments the person asked for.")


class BookingIn(Schema):
    run: Id
    person: Id | None = Field(
        None, description="Whom to book: leave out to book yourself, or give a report's id."
    )
    note: str = Field(
        "", max_length=2000, description="Reasonable adjustments, seen only by the host's leads."
    )

    _note_storable = field_validator("note")(storable)


class ProgrammePage(Schema):
    items: list[ProgrammeOut]
    next: str | None


class RunPage(Schema):
    items: list[RunListItem]
    next: str | None


class BookingPage(Schema):
    items: list[BookingOut]
    next: str | None


class HostBookingPage(Schema):
    items: list[HostBookingOut]
    next: str | None


class RunFilters(Schema):
    q: str = Field("", max_length=200, description="Words in the programme's title or summary.")
    kind: ProgrammeKind | None = None
    mode: DeliveryMode | None = None
    host: Id | None = Field(None, description="The hosting organisation's id.")
    topic: Id | None = Field(None, description="A topic's id.")
    starts_after: dt.date | None = Field(None, description="With a session on or after this day.")
    starts_before: dt.date | None = Field(None, description="With a session on or before this day.")
    has_places: bool = Field(False, description="Only runs with a place the caller can book now.")

    _q_storable = field_validator("q")(storable)


class RunListFilters(RunFilters):
    programme: Id | None = Field(None, description="Runs of this programme only.")
    ended: bool = Field(False, description="Include runs whose last day has passed.")


class StatusFilter(Schema):
    status: BookingStatus | None = None


# --- Queries ---------------------------------------------------------------------------------


def _check_dates(filters: RunFilters) -> None:
    if (
        filters.starts_after is not None
        and filters.starts_before is not None
        and filters.starts_before < filters.starts_after
    ):
        raise HttpError(422, "starts_before (query): must be the same day as or after starts_after")


def _programmes(actor: Actor, filters: RunFilters) -> tuple[QuerySet[Programme], tuple[str, ...]]:
    """The programmes the actor sees that meet the programme filters, and the order to walk them in.

    The words and topic are found through the catalogue's terms, as the catalogue page finds them.
    """
    programmes = access.visible_programmes(actor).filter(_programme_conditions(filters))
    return catalogue.by_terms(programmes, filters.q, filters.topic)


def _programme_conditions(filters: RunFilters) -> Q:
    """The kind, delivery mode and host filters, as a condition on programmes."""
    condition = Q()
    if filters.kind:
        condition &= Q(kind=filters.kind)
    if filters.mode:
        condition &= Q(delivery_mode=filters.mode)
    if filters.host is not None:
        condition &= Q(host_id=filters.host)
    return condition


def _run_conditions(actor: Actor, filters: RunFilters, now: dt.datetime, ended: bool) -> Q:
    """The filters about runs: dates, places the actor can book, and not yet over."""
    condition = Q()
    if not ended:
        upcoming = Session.objects.filter(run=OuterRef("pk"), date__gte=now.date())
        condition &= Q(Exists(upcoming)) | Q(completion_deadline__gte=now.date())
    days = Q()
    if filters.starts_after is not None:
        days &= Q(date__gte=filters.starts_after)
    if filters.starts_before is not None:
        days &= Q(date__lte=filters.starts_before)
    if days:
        condition &= Q(Exists(Session.objects.filter(days, run=OuterRef("pk"))))
    if filters.has_places:
        condition &= catalogue.bookable_now(actor, now)
    return condition


def _with_places(actor: Actor, runs: QuerySet[Run]) -> QuerySet[Run]:
    """Runs with their sessions and the acting organisation's share, in two more queries."""
    shares = RunOrganisationShare.objects.filter(organisation=actor.organisation)
    return runs.prefetch_related(
        "sessions", Prefetch("shares", queryset=shares, to_attr="my_shares")
    )


def _run(actor: Actor, run: Run, now: dt.datetime) -> dict:
    share = run.my_shares[0] if run.my_shares else None
    places = catalogue.places_for(run, actor.organisation, share, now)
    return {
        "id": run.pk,
        "capacity": run.capacity,
        "places_left": max(run.places_left(), 0),
        "cut_off_at": run.cut_off_at,
        "bookings_close_at": run.bookings_close_at,
        "completion_deadline": run.completion_deadline,
        "partner_price": run.partner_price,
        "release_mode": run.release_mode,
        "released": run.is_released(),
        "cancelled": run.is_cancelled(),
        "sessions": [
            {
                "date": session.date,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "venue": session.venue,
                "online": bool(session.online_link),
            }
            for session in run.sessions.all()
        ],
        "places": {"count": places.count, "reason": places.reason},
    }


def _programme_ref(programme: Programme) -> dict:
    return {"id": programme.pk, "title": programme.title, "host": programme.host}


def _programme(actor: Actor, programme: Programme, runs: list[Run], now: dt.datetime) -> dict:
    return {
        "id": programme.pk,
        "title": programme.title,
        "summary": programme.summary,
        "description": programme.description,
        "kind": programme.kind,
        "delivery_mode": programme.delivery_mode,
        "host": programme.host,
        "topics": list(programme.topics.all()),
        "audience": programme.audience,
        "seniority_min": programme.seniority_min,
        "seniority_max": programme.seniority_max,
        "hours": programme.hours,
        "provider": programme.provider,
        "partner_price": programme.partner_price,
        "sharing_policy": programme.sharing_policy,
        "approval_required": programme.approval_required,
        "runs": [_run(actor, run, now) for run in runs],
    }


def _waiting_ahead() -> Coalesce:
    """How many people are ahead of a booking on its run's waiting list, as an annotation."""
    earlier = Q(requested_at__lt=OuterRef("requested_at")) | Q(
        requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk")
    )
    ahead = (
        Booking.objects.filter(earlier, run=OuterRef("run"), status=BookingStatus.WAITING)
        .order_by()
        .values("run")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0))


def _position(booking: Booking) -> int | None:
    if booking.status != BookingStatus.WAITING:
        return None
    ahead = getattr(booking, "ahead", None)
    return ahead + 1 if ahead is not None else catalogue.waiting_position(booking)


def _person(person: Person) -> dict:
    return {"id": person.pk, "given_name": person.given_name, "family_name": person.family_name}


def _booking(booking: Booking) -> dict:
    run = booking.run
    return {
        "id": booking.pk,
        "run": {"id": run.pk, "programme": _programme_ref(run.programme)},
        "person": _person(booking.person),
        "organisation": booking.organisation,
        "status": booking.status,
        "position": _position(booking),
        "requested_at": booking.requested_at,
        "confirmed_at": booking.confirmed_at,
        "offer_expires_at": booking.offer_expires_at,
        "cancelled_at": booking.cancelled_at,
    }


def _waiting(actor: Actor, run: Run) -> dict:
    """The number waiting; per organisation only for the run's host leads (never names)."""
    counts = list(
        Booking.objects.filter(run=run, status=BookingStatus.WAITING)
        .order_by()
        .values("organisation_id", "organisation__name")
        .annotate(count=Count("pk"))
        .order_by("organisation__name", "organisation_id")
    )
    by_organisation = None
    if access.may_host(actor, run):
        by_organisation = [
            {
                "organisation": {"id": row["organisation_id"], "name": row["organisation__name"]},
                "count": row["count"],
            }
            for row in counts
        ]
    return {"count": sum(row["count"] for row in counts), "by_organisation": by_organisation}


def _require_person(actor: Actor) -> None:
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)


# --- Operations ------------------------------------------------------------------------------


@router.get("/programmes", response={200: ProgrammePage, **ERRORS}, summary="List programmes")
def list_programmes(
    request: HttpRequest, filters: Query[RunFilters], page: Query[Pagination]
) -> dict:
    """Programmes the caller can see, by title, each with the upcoming runs that meet the filters.

    Dates and `has_places` are conditions on runs: a programme is listed when one of its upcoming
    runs meets them. A run starts on its first session; self-paced runs have none.
    """
    actor: Actor = request.auth
    _check_dates(filters)
    now = timezone.now()
    wanted = _run_conditions(actor, filters, now, ended=False)
    programmes, ordering = _programmes(actor, filters)
    if filters.starts_after or filters.starts_before or filters.has_places:
        programmes = programmes.filter(Exists(Run.objects.filter(wanted, programme=OuterRef("pk"))))
    runs = _with_places(actor, Run.objects.filter(wanted).order_by(*RUN_ORDER))
    programmes = programmes.select_related("host").prefetch_related(
        "topics", Prefetch("runs", queryset=runs, to_attr="wanted_runs")
    )
    result = page_of(programmes, ordering, (str, int), page)
    items = [
        _programme(actor, programme, programme.wanted_runs, now) for programme in result["items"]
    ]
    return {"items": items, "next": result["next"]}


@router.get("/programmes/{pk}", response={200: ProgrammeDetail, **ERRORS}, summary="A programme")
def programme_detail(request: HttpRequest, pk: Id) -> dict:
    """One programme the caller can see, with its upcoming runs and the places they can take."""
    actor: Actor = request.auth
    programme = access.get_programme_for(actor, pk)
    now = timezone.now()
    upcoming = _run_conditions(actor, RunFilters(), now, ended=False)
    runs = _with_places(actor, programme.runs.filter(upcoming).order_by(*RUN_ORDER))
    return _programme(actor, programme, list(runs), now)


@router.get("/runs", response={200: RunPage, **ERRORS}, summary="List runs")
def list_runs(
    request: HttpRequest, filters: Query[RunListFilters], page: Query[Pagination]
) -> dict:
    """Runs of the programmes the caller can see, by cut-off, upcoming unless `ended` is given."""
    actor: Actor = request.auth
    _check_dates(filters)
    now = timezone.now()
    programmes, _ = _programmes(actor, filters)
    if filters.programme is not None:
        programmes = programmes.filter(pk=filters.programme)
    runs = (
        access.visible_runs(actor)
        .filter(programme__in=programmes.values("pk"))
        .filter(_run_conditions(actor, filters, now, ended=filters.ended))
        .select_related("programme__host")
    )
    result = page_of(_with_places(actor, runs), RUN_ORDER, (dt.datetime, int), page)
    items = [
        {**_run(actor, run, now), "programme": _programme_ref(run.programme)}
        for run in result["items"]
    ]
    return {"items": items, "next": result["next"]}


@router.get("/runs/{pk}", response={200: RunDetail, **ERRORS}, summary="A run")
def run_detail(request: HttpRequest, pk: Id) -> dict:
    """One run: sessions, the places the caller can take now and why, and the waiting list."""
    actor: Actor = request.auth
    found = access.get_run_for(actor, pk)
    page = catalogue.run_page(actor, found)
    my_booking = None
    if page.booking is not None:
        my_booking = {
            "id": page.booking.pk,
            "status": page.booking.status,
            "position": page.position,
        }
    return {
        **_run(actor, page.run, timezone.now()),
        "programme": _programme_ref(page.run.programme),
        "waiting": _waiting(actor, page.run),
        "my_booking": my_booking,
    }


@router.get(
    "/runs/{pk}/bookings",
    response={200: HostBookingPage, **ERRORS},
    summary="Bookings on a run (hosts)",
)
def run_bookings(
    request: HttpRequest, pk: Id, status: Query[StatusFilter], page: Query[Pagination]
) -> dict:
    """Who is booked or waiting on a run, for the host's L&D leads and programme leaders."""
    actor: Actor = request.auth
    found = access.get_run_for(actor, pk)
    if not access.may_host(actor, found):
        raise HttpError(403, NOT_A_HOST)
    bookings = (
        access.visible_bookings(actor)
        .filter(run=found)
        .select_related("person", "organisation")
        .annotate(ahead=_waiting_ahead())
    )
    if status.status:
        bookings = bookings.filter(status=status.status)
    result = page_of(bookings, RUN_BOOKING_ORDER, (dt.datetime, int), page)
    items = [
        {
            "id": booking.pk,
            "person": _person(booking.person),
            "organisation": booking.organisation,
            "status": booking.status,
            "position": _position(booking),
            "requested_at": booking.requested_at,
            "adjustments_note": booking.adjustments_note,
        }
        for booking in result["items"]
    ]
    return {"items": items, "next": result["next"]}


@router.post(
    "/bookings", response={201: BookingOut, **ERRORS}, summary="Book a place (or wait for one)"
)
def create_booking(request: HttpRequest, data: BookingIn) -> Status:
    """Book yourself, or a report you line-manage, on a run: confirmed, waiting or requested.

    Confirmed when a place is free to the person's organisation now; otherwise waiting (with a
    position); "requested" when the programme needs a line manager's approval. A booking the
    run's rules refuse is a 409 saying why.
    """
    actor: Actor = request.auth
    _require_person(actor)
    run = access.get_run_for(actor, data.run)
    person = actor.person
    if data.person is not None and data.person != actor.person.pk:
        person = partnership_access.get_person_for(actor, data.person)
    try:
        booking = services.book_place(actor=actor, run=run, person=person, note=data.note)
    except services.BookingRefused as refusal:
        raise HttpError(409, str(refusal)) from refusal
    return Status(201, _booking(booking))


@router.post(
    "/bookings/{pk}/cancel", response={200: BookingOut, **ERRORS}, summary="Cancel a booking"
)
def cancel_booking(request: HttpRequest, pk: Id) -> dict:
    """Cancel a booking or a place on a waiting list; a place it held passes to the next waiting.

    The person, their line manager or the run's host leads may cancel.
    """
    actor: Actor = request.auth
    _require_person(actor)
    booking = access.get_booking_for(actor, pk)
    try:
        booking = services.cancel_booking(actor=actor, booking=booking)
    except services.BookingRefused as refusal:
        raise HttpError(409, str(refusal)) from refusal
    return _booking(booking)


@router.get("/bookings/mine", response={200: BookingPage, **ERRORS}, summary="My bookings")
def my_bookings(request: HttpRequest, status: Query[StatusFilter], page: Query[Pagination]) -> dict:
    """The caller's own bookings, newest first, wherever they worked when booking."""
    actor: Actor = request.auth
    _require_person(actor)
    bookings = (
        access.visible_bookings(actor)
        .filter(person=actor.person)
        .select_related("run__programme__host", "person", "organisation")
        .annotate(ahead=_waiting_ahead())
    )
    if status.status:
        bookings = bookings.filter(status=status.status)
    result = page_of(bookings, MY_BOOKING_ORDER, (dt.datetime, int), page)
    return {
        "items": [_booking(booking) for booking in result["items"]],
        "next": result["next"],
    }
