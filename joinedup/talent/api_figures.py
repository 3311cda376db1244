"""The system-translator and leakage figures, at /api/v1/talent/figures.

The same figures and the same access as the pages: a partnership lead or analyst gets every
member organisation, an organisation admin or L&D lead their own organisation, anyone else 403.
Organisation tokens act for no person and are refused (403). Shares are exact: each comes as a
fraction "translators/people" (or "count/known") beside its denominator, and as a percentage
rounded to one decimal place; a share of nobody is null.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, OrganisationRef

from . import access, figures, leakage
from .figures_forms import EARLIEST, YEARS_AHEAD
from .translators import Share, fraction, percent

router = Router(tags=["talent"])

ERRORS = {frozenset({401, 403, 404, 422}): Error}


class PartnershipRef(Schema):
    id: int
    name: str


class ShareOut(Schema):
    count: int = Field(description="The people counted (translators, or leavers in a bucket).")
    of: int = Field(description="The denominator: the people the share is taken over.")
    share: str | None = Field(description="count/of exactly, as a fraction in lowest terms.")
    percent: Decimal | None = Field(description="The share in per cent, one decimal place.")


class TranslatorRowOut(Schema):
    organisation: OrganisationRef | None = Field(
        description="None for the partnership's row, which counts each person once."
    )
    label: str
    staff: ShareOut
    senior_staff: ShareOut = Field(description="Staff at seniority 7 or above.")


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    live: bool = Field(description="True for the current month so far; else a month-end snapshot.")
    organisation: OrganisationRef
    staff: ShareOut
    senior_staff: ShareOut


class MoveOut(Schema):
    source: str
    destination: str
    moves: int
    secondments: int


class TranslatorsOut(Schema):
    as_of: dt.date
    start: dt.date = Field(description="The period of the moves between partner employers.")
    end: dt.date
    partnership: PartnershipRef | None
    scope: str = Field(description="'partnership' (every member) or 'organisation' (your own).")
    organisations: list[TranslatorRowOut]
    over_time: list[MonthOut]
    moves: list[MoveOut]


class LeakageFiguresOut(Schema):
    leavers: int
    known: int = Field(description="Leavers neither retired nor unknown: the denominator.")
    counts: dict[str, int] = Field(description="Leavers per bucket, every bucket present.")
    share_of_known: dict[str, ShareOut] = Field(
        description="Retained, other public service and left public service, of the known."
    )
    share_of_all: dict[str, ShareOut] = Field(description="Every bucket, of all leavers.")


class LeakageRowOut(Schema):
    label: str
    figures: LeakageFiguresOut


class LeakageOut(Schema):
    start: dt.date
    end: dt.date
    partnership: PartnershipRef | None
    scope: str
    buckets: dict[str, str] = Field(description="Each bucket's key and name (DESIGN.md).")
    total: LeakageFiguresOut
    by_organisation: list[LeakageRowOut]
    by_band: list[LeakageRowOut]
    by_month: list[LeakageRowOut]


class PeriodQuery(Schema):
    start: dt.date | None = Field(None, description="First day; a year before `end` if left out.")
    end: dt.date | None = Field(None, description="Last day; today if left out.")


class TranslatorsQuery(PeriodQuery):
    as_of: dt.date | None = Field(None, description="The date to count on; today if left out.")


def _share(count: int, whole: int) -> dict:
    exact = fraction(count, whole)
    return {
        "count": count,
        "of": whole,
        "share": None if exact is None else f"{exact.numerator}/{exact.denominator}",
        "percent": percent(count, whole),
    }


def _of(share: Share) -> dict:
    return _share(share.translators, share.people)


def _scope(request: HttpRequest) -> access.FiguresScope:
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return access.figures_scope(actor)


def _checked(name: str, day: dt.date, today: dt.date) -> dt.date:
    latest = today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))
    if not EARLIEST <= day <= latest:
        raise HttpError(422, f"{name} (query): must be between 2000-01-01 and {latest}")
    return day


def _period(query: PeriodQuery, today: dt.date) -> tuple[dt.date, dt.date]:
    end = _checked("end", query.end or today, today)
    start = _checked("start", query.start or figures.last_twelve_months(end)[0], today)
    if end < start:
        raise HttpError(422, "end (query): must be the same as or after start")
    return start, end


def _partnership(scope: access.FiguresScope) -> dict | None:
    partnership = scope.partnership
    return None if partnership is None else {"id": partnership.pk, "name": partnership.name}


@router.get(
    "/translators",
    response={200: TranslatorsOut, **ERRORS},
    summary="System translator figures",
)
def translator_figures(request: HttpRequest, query: Query[TranslatorsQuery]) -> dict:
    """The share of staff and senior staff who are system translators, by organisation, on a
    date; the last 12 month-end snapshots and the current month; moves between partners."""
    scope = _scope(request)
    today = timezone.localdate()
    as_of = _checked("as_of", query.as_of or today, today)
    start, end = _period(query, today)
    rows = figures.translator_figures(scope.organisations, as_of, with_total=scope.partnership_view)
    live = rows if as_of == today else figures.translator_figures(scope.organisations, today)
    names = {organisation.pk: organisation.name for organisation in scope.organisations}
    over_time = [
        {
            "month": f"{month.month:%Y-%m}",
            "live": month.live,
            "organisation": {"id": organisation, "name": names[organisation]},
            "staff": _of(staff),
            "senior_staff": _of(senior),
        }
        for month in figures.translators_over_time(scope.organisations, live, today)
        for organisation, (staff, senior) in sorted(month.shares.items())
        if organisation in names
    ]
    moves = figures.moves_table(
        figures.partner_moves(scope.members, start, end, scope.organisations)
    )
    return {
        "as_of": as_of,
        "start": start,
        "end": end,
        "partnership": _partnership(scope),
        "scope": "partnership" if scope.partnership_view else "organisation",
        "organisations": [
            {
                "organisation": None
                if row.organisation_id is None
                else {"id": row.organisation_id, "name": row.label},
                "label": row.label,
                "staff": _of(row.staff),
                "senior_staff": _of(row.senior),
            }
            for row in rows
        ],
        "over_time": over_time,
        "moves": [row.__dict__ for row in moves],
    }


def _figures(found: leakage.Figures) -> dict:
    return {
        "leavers": found.leavers,
        "known": found.known,
        "counts": dict(found.counts),
        "share_of_known": {
            bucket: _share(found.counts[bucket], found.known) for bucket in leakage.KNOWN_BUCKETS
        },
        "share_of_all": {
            bucket: _share(found.counts[bucket], found.leavers) for bucket in leakage.BUCKETS
        },
    }


def _rows(rows: list[figures.LeakageRow]) -> list[dict]:
    return [{"label": row.label, "figures": _figures(row.figures)} for row in rows]


@router.get("/leakage", response={200: LeakageOut, **ERRORS}, summary="Leakage figures")
def leakage_figures(request: HttpRequest, query: Query[PeriodQuery]) -> dict:
    """Where leavers in the period (the last 12 months by default) went, in DESIGN.md's
    buckets, by organisation, seniority band and month."""
    scope = _scope(request)
    start, end = _period(query, timezone.localdate())
    found = figures.leakage_figures(scope.organisations, scope.members, start, end)
    return {
        "start": start,
        "end": end,
        "partnership": _partnership(scope),
        "scope": "partnership" if scope.partnership_view else "organisation",
        "buckets": dict(leakage.BUCKET_NAMES),
        "total": _figures(found.total),
        "by_organisation": _rows(found.by_organisation),
        "by_band": _rows(found.by_band),
        "by_month": _rows(found.by_month),
    }
