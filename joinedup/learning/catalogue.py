"""Read-only queries behind the catalogue, programme and run pages, through `learning.access`.

`places_for` says how many of a run's places an organisation's staff can take now, and why; the
pages show its answer rather than working it out in templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from joinedup.lib.keyset import KeysetPage, keyset_page
from joinedup.partnership.access import partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation

from . import access, terms
from .models import (
    ACTIVE_STATUSES,
    LONDON,
    Booking,
    BookingStatus,
    CatalogueTerm,
    CatalogueWord,
    Programme,
    Run,
    RunOrganisationShare,
    Session,
    Topic,
)
from .models import SharingPolicy as Policy

PAGE_SIZE = 20
# Runs shown under each programme in the catalogue; its own page lists them all.
RUNS_SHOWN = 3
MARKER = 987654321
PROGRAMME_ORDER = ("title", "id")
# What a programme's entry in the catalogue shows, and what `places_for` reads of it.
CATALOGUE_PROGRAMME_FIELDS = (
    "title",
    "summary",
    "kind",
    "delivery_mode",
    "sharing_policy",
    "host__name",
)


@dataclass(frozen=True)
class Places:
    """The places a viewer's organisation can take on a run now, and the reason in words."""

    count: int
    reason: str


def _day(moment: dt.datetime) -> str:
    return f"{moment.astimezone(LONDON):%-d %B %Y}"


def places_for(
    run: Run,
    organisation: Organisation,
    share: RunOrganisationShare | None = None,
    now: dt.datetime | None = None,
) -> Places:
    """How many places the organisation's staff can book on the run now, and why."""
    held = share.places_taken if share is not None else 0
    return _places(run, organisation, held, now or timezone.now())


def _places(run: Run, organisation: Organisation, held: int, now: dt.datetime) -> Places:
    """`places_for` given the places the organisation already holds on the run (under a cap)."""
    programme = run.programme
    left = max(run.capacity - run.places_taken, 0)
    if run.bookings_closed(now):
        return Places(0, "Bookings have closed.")
    if organisation.pk == programme.host_id:
        if left:
            return Places(left, f"Open to {organisation.name} staff.")
        return Places(0, "Full: you can join the waiting list.")
    if programme.sharing_policy == Policy.OWN_ONLY:
        return Places(0, f"For {programme.host.name} staff only.")
    if programme.sharing_policy == Policy.OWN_THEN_PARTNERS and run.released_at is None:
        if now < run.cut_off_at:
            return Places(
                0,
                f"Open to partners from {_day(run.cut_off_at)}: you can join the waiting list.",
            )
        return Places(0, "Unfilled places are being released to partners: join the waiting list.")
    if run.partner_cap is not None:
        allowed = max(run.partner_cap - held, 0)
        if allowed < left:
            if not allowed:
                return Places(
                    0,
                    f"{organisation.name} holds its limit of {run.partner_cap} places: "
                    "you can join the waiting list.",
                )
            return Places(allowed, f"Open to partners, up to {run.partner_cap} per organisation.")
    if left:
        return Places(left, "Open to partners.")
    return Places(0, "Full: you can join the waiting list.")


@dataclass(frozen=True)
class RunRow:
    run: Run
    places: Places


@dataclass(frozen=True)
class RunLine:
    """A run's row in the catalogue, its words worked out here once rather than in the template."""

    url: str
    name: str
    starts: str
    places: int
    reason: str


@dataclass(frozen=True)
class ProgrammeRow:
    """A programme in the catalogue with its next few runs; `more` when it has further ones."""

    pk: int
    url: str
    title: str
    about: str
    summary: str
    runs: list[RunLine]
    more: bool


def _upcoming(today: dt.date) -> Q:
    """Runs with a session from today on, or a completion deadline not yet past (no join)."""
    return Q(Exists(Session.objects.filter(run=OuterRef("pk"), date__gte=today))) | Q(
        completion_deadline__gte=today
    )


def _path_of(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many pks at the cost of one `reverse`."""
    head, tail = reverse(name, args=[MARKER]).split(str(MARKER))
    return lambda pk: f"{head}{pk}{tail}"


def _starts(run: Run) -> str:
    if run.first_day is not None:
        return f"{run.first_day:%-d %B %Y}"
    if run.completion_deadline is not None:
        return f"Complete by {run.completion_deadline:%-d %B %Y}"
    return "To be arranged"


Path = Callable[[int], str]


def _programme_row(
    programme: Programme,
    runs: list[Run],
    places: Callable[[Run], Places],
    paths: tuple[Path, Path],
) -> ProgrammeRow:
    """The programme's words and first `RUNS_SHOWN` runs (of the `RUNS_SHOWN + 1` read)."""
    programme_path, run_path = paths
    lines = []
    for run in runs[:RUNS_SHOWN]:
        found = places(run)
        lines.append(
            RunLine(run_path(run.pk), f"Run {run.pk}", _starts(run), found.count, found.reason)
        )
    return ProgrammeRow(
        pk=programme.pk,
        url=programme_path(programme.pk),
        title=programme.title,
        about=(
            f"{programme.get_kind_display()}, {programme.get_delivery_mode_display().lower()}, "
            f"hosted by {programme.host.name}"
        ),
        summary=programme.summary,
        runs=lines,
        more=len(runs) > RUNS_SHOWN,
    )


def _runs_with_places(actor: Actor, runs: QuerySet[Run]) -> QuerySet[Run]:
    """Runs with their sessions and the acting organisation's share, in a fixed few queries."""
    shares = RunOrganisationShare.objects.filter(organisation=actor.organisation)
    return runs.prefetch_related(
        "sessions", Prefetch("shares", queryset=shares, to_attr="my_shares")
    )


def _first_runs(actor: Actor, programmes: list[Programme], wanted: Q) -> dict[int, list[Run]]:
    """The first `RUNS_SHOWN + 1` runs meeting `wanted` (upcoming ones) of each, in one query.

    Each run comes with the day of its first session and the places the acting organisation
    holds on it (not every session and share as model instances), and its programme attached.
    """
    first = Session.objects.filter(run=OuterRef("pk")).order_by("date", "starts_at", "id")
    held = RunOrganisationShare.objects.filter(run=OuterRef("pk"), organisation=actor.organisation)
    in_programme = Window(
        RowNumber(), partition_by=F("programme_id"), order_by=(F("cut_off_at"), F("id"))
    )
    runs = (
        Run.objects.filter(wanted, programme__in=[p.pk for p in programmes])
        .annotate(
            first_day=Subquery(first.values("date")[:1]),
            places_held=Coalesce(Subquery(held.values("places_taken")[:1]), 0),
            in_programme=in_programme,
        )
        .filter(in_programme__lte=RUNS_SHOWN + 1)
        .order_by("cut_off_at", "id")
    )
    by_programme: dict[int, list[Run]] = {programme.pk: [] for programme in programmes}
    programme_of = {programme.pk: programme for programme in programmes}
    for run in runs:
        run.programme = programme_of[run.programme_id]
        by_programme[run.programme_id].append(run)
    return by_programme


def _row(actor: Actor, run: Run, now: dt.datetime) -> RunRow:
    share = run.my_shares[0] if run.my_shares else None
    return RunRow(run=run, places=places_for(run, actor.organisation, share, now))


def bookable_now(actor: Actor, now: dt.datetime) -> Q:
    """Runs with a place the actor's organisation can take now: `places_for` as a condition.

    The host's own staff may take any free place; partners only once the run is released (or
    from the start, by the programme's policy) and while their organisation is under the cap.
    """
    organisation = actor.organisation
    held = RunOrganisationShare.objects.filter(run=OuterRef("pk"), organisation=organisation)
    under_cap = Q(partner_cap__isnull=True) | Q(
        partner_cap__gt=Coalesce(Subquery(held.values("places_taken")[:1]), 0)
    )
    shared = Q(programme__sharing_policy=Policy.PARTNERS_FROM_START) | Q(
        programme__sharing_policy=Policy.OWN_THEN_PARTNERS, released_at__isnull=False
    )
    return (
        Q(places_taken__lt=F("capacity"), cancelled_at__isnull=True)
        & (Q(bookings_close_at__isnull=True) | Q(bookings_close_at__gt=now))
        & (Q(programme__host=organisation) | (shared & under_cap))
    )


def _sessions_between(start: dt.date | None, end: dt.date | None) -> Q:
    """Runs with a session on a day from `start` to `end` (either may be open)."""
    if start is None and end is None:
        return Q()
    days = Q()
    if start is not None:
        days &= Q(date__gte=start)
    if end is not None:
        days &= Q(date__lte=end)
    return Q(Exists(Session.objects.filter(days, run=OuterRef("pk"))))


@dataclass(frozen=True)
class FilterChoices:
    hosts: list[tuple[int, str]]
    topics: list[tuple[int, str]]


def filter_choices(actor: Actor) -> FilterChoices:
    """The catalogue's host and topic choices, by name, in one query.

    The hosts are the organisations whose programmes the actor may see (their own and their
    partners'); the topics are all of them.
    """
    topics = (
        Topic.objects.annotate(choice=Value("topic")).values_list("choice", "pk", "name").order_by()
    )
    if actor.organisation is None:
        rows = topics.order_by("name", "pk")
    else:
        hosts = Organisation.objects.filter(
            Q(pk=actor.organisation.pk) | Q(pk__in=partner_organisations(actor))
        ).annotate(choice=Value("host"))
        rows = topics.union(
            hosts.values_list("choice", "pk", "name").order_by(), all=True
        ).order_by("name", "pk")
    found = FilterChoices(hosts=[], topics=[])
    for choice, pk, name in rows:
        (found.hosts if choice == "host" else found.topics).append((pk, name))
    return found


def _having(term: str) -> Exists:
    return Exists(CatalogueTerm.objects.filter(programme=OuterRef("pk"), term=term))


def by_terms(
    programmes: QuerySet[Programme], query: str, topic_id: int | None
) -> tuple[QuerySet[Programme], tuple[str, ...]]:
    """Programmes whose title or summary contains the search and which have the topic, and the
    order to walk them in.

    Only programmes with a word containing the search's longest word can match (`learning.terms`).
    When exactly one word does (as for any whole word but the shortest), the programmes are
    walked through that term's rows in title order (`catalogue_term_title`) and the walk stops at
    a page, at any size; a search of one word matches all of them, any other is matched as
    before (`icontains`) among them. When no word does, nothing matches; when several do ("safe":
    "safety", "safeguarding"), the search is matched on the text as before, and a topic is walked.
    The catalogue page and the API's lists both search through here.
    """
    leading: str | None = None
    word = terms.longest_word(query) if query else None
    if word is not None:
        found = CatalogueWord.objects.filter(word__contains=word).values_list("word", flat=True)
        words = list(found[:2])
        if len(words) == 1:
            leading = words[0]
        elif not words:
            return programmes.none(), PROGRAMME_ORDER
    if query and (leading is None or not terms.is_one_word(query)):
        programmes = programmes.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    if topic_id is not None:
        topic = terms.topic_term(topic_id)
        if leading is None:
            leading = topic
        else:
            programmes = programmes.filter(_having(topic))
    if leading is None:
        return programmes, PROGRAMME_ORDER
    # The term's copy of the title, so that PostgreSQL walks the term's index in order.
    walked = programmes.filter(terms__term=leading).annotate(listed_title=F("terms__title"))
    return walked, ("listed_title", "id")


def catalogue_page(
    actor: Actor,
    *,
    query: str = "",
    kind: str = "",
    mode: str = "",
    host_id: int | None = None,
    topic_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    bookable: bool = False,
    after: str | None = None,
    before: str | None = None,
) -> tuple[KeysetPage, list[ProgrammeRow]]:
    """One page of the programmes the actor sees, searched and filtered, with upcoming runs.

    The date range and "has places I can book" are conditions on runs: a programme is listed when
    one of its upcoming runs meets them, and only such runs are shown under it.
    """
    now = timezone.now()
    programmes = (
        access.visible_programmes(actor).select_related("host").only(*CATALOGUE_PROGRAMME_FIELDS)
    )
    if kind:
        programmes = programmes.filter(kind=kind)
    if mode:
        programmes = programmes.filter(delivery_mode=mode)
    if host_id is not None:
        programmes = programmes.filter(host_id=host_id)
    programmes, ordering = by_terms(programmes, query, topic_id)
    today = now.date()
    wanted = _sessions_between(date_from, date_to)
    # A session from a day not yet past already makes a run upcoming. Asking that again makes
    # PostgreSQL expect far fewer matches and sort all of a topic's programmes to show 20.
    if date_from is None or date_from < today:
        wanted &= _upcoming(today)
    if bookable:
        wanted &= bookable_now(actor, now)
    if date_from is not None or date_to is not None or bookable:
        programmes = programmes.filter(Exists(Run.objects.filter(wanted, programme=OuterRef("pk"))))
    page = keyset_page(programmes, ordering, after=after, before=before, size=PAGE_SIZE)
    runs = _first_runs(actor, page.items, wanted)
    organisation = actor.organisation

    def places(run: Run) -> Places:
        return _places(run, organisation, run.places_held, now)

    paths = (_path_of("learning:programme"), _path_of("learning:run"))
    rows = [
        _programme_row(programme, runs[programme.pk], places, paths) for programme in page.items
    ]
    return page, rows


def programme_runs(actor: Actor, programme: Programme) -> list[RunRow]:
    """The programme's upcoming runs with the places the actor's organisation can take."""
    now = timezone.now()
    runs = _runs_with_places(
        actor, programme.runs.filter(_upcoming(now.date())).order_by("cut_off_at", "id")
    )
    return [_row(actor, run, now) for run in runs]


@dataclass(frozen=True)
class RunPage:
    run: Run
    places: Places
    booking: Booking | None
    position: int | None
    active: bool
    closed: bool


def waiting_position(booking: Booking) -> int:
    """The booking's place in the run's waiting list, by when it was asked for (1 is next)."""
    earlier = Q(requested_at__lt=booking.requested_at) | Q(
        requested_at=booking.requested_at, pk__lt=booking.pk
    )
    ahead = Booking.objects.filter(run_id=booking.run_id, status=BookingStatus.WAITING)
    return ahead.filter(earlier).count() + 1


def run_page(actor: Actor, run: Run) -> RunPage:
    """A run's sessions, the places the actor can take, and the actor's own booking on it.

    `run` is the one `access.get_run_for` fetched for this request, with its programme and host;
    its sessions and the acting organisation's share are read onto it (not the run again).
    """
    shares = RunOrganisationShare.objects.filter(organisation=actor.organisation)
    prefetch_related_objects(
        [run], "sessions", Prefetch("shares", queryset=shares, to_attr="my_shares")
    )
    booking = None
    if actor.person is not None:
        booking = (
            Booking.objects.filter(run=run, person=actor.person)
            .order_by("-requested_at", "-id")
            .first()
        )
    position = None
    if booking is not None and booking.status == BookingStatus.WAITING:
        position = waiting_position(booking)
    return RunPage(
        run=run,
        places=_row(actor, run, timezone.now()).places,
        booking=booking,
        position=position,
        active=booking is not None and booking.status in ACTIVE_STATUSES,
        closed=run.bookings_closed(),
    )


HISTORY_SIZE = 50


@dataclass(frozen=True)
class MyLearning:
    upcoming: list[Booking]
    waiting: list[Booking]
    offers: list[Booking]
    history: list[Booking]


def my_learning(actor: Actor) -> MyLearning:
    """The actor's own bookings, wherever they worked when booking: upcoming, waiting, offers."""
    if actor.person is None:
        return MyLearning([], [], [], [])
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
    bookings = (
        access.visible_bookings(actor)
        .filter(person=actor.person)
        .select_related("run__programme__host", "organisation")
        .prefetch_related("run__sessions")
        .annotate(ahead=Coalesce(Subquery(ahead), 0))
        .order_by("-requested_at", "-id")
    )
    today = timezone.localdate()
    found = MyLearning([], [], [], [])
    for booking in bookings:
        ends = booking.run.last_day()
        if booking.status == BookingStatus.OFFERED:
            found.offers.append(booking)
        elif booking.status in (BookingStatus.WAITING, BookingStatus.REQUESTED):
            booking.position = booking.ahead + 1
            found.waiting.append(booking)
        elif booking.status == BookingStatus.CONFIRMED and (ends is None or ends >= today):
            found.upcoming.append(booking)
        elif len(found.history) < HISTORY_SIZE:
            found.history.append(booking)
    found.upcoming.reverse()
    return found
