"""The partnership's near-duplicate report: programmes of different host organisations alike enough
to be merged, with the estimated saving of merging each pair.

A partnership lead asks for a report (`request_report`); a background task builds it
(`build_report`), saving its progress as it goes. Pairs come from the worker process's similarity
index (`similar.near_duplicate_pairs`: every programme and open plan of the installation, kept
current by the change log, so a worker builds it once and not for every report; term weights are
the installation's). Reported are pairs of two programmes scoring at least the threshold whose
hosts are different current members of the partnership. At most `MAX_PAIRS` pairs are kept,
best score first; `pairs_found` counts them all.

Estimated saving of merging a pair: had the learners of the dearer programme (higher cost per
place) taken the cheaper one instead, the partnership would have paid the difference in cost per
place less for each of them. So it is

    places taken on the dearer programme's runs in the last 12 months x (its cost per place - the
    cheaper programme's cost per place),

counting runs not cancelled with a session in the 365 days up to the day the report is built.
It leaves out design costs (programmes do not record them) and any saving from running fewer,
fuller runs, so it is a floor: a pair of equally priced programmes shows a saving of 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import get_led_partnership, open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation

from . import access, similar, tasks
from .models import (
    NearDuplicatePair,
    NearDuplicateReport,
    Programme,
    ReportStatus,
    Run,
    Session,
)
from .similar import parse_item_id

MIN_THRESHOLD = Decimal("0.50")
DEFAULT_THRESHOLD = Decimal("0.80")
MAX_PAIRS = 5_000
YEAR = dt.timedelta(days=365)


def clean_threshold(value: object) -> Decimal:
    """A threshold from 0.50 to 1.00 with at most two decimal places; else a ValidationError."""
    try:
        threshold = Decimal(str(value).strip())
    except InvalidOperation:
        threshold = Decimal("NaN")
    if (
        not threshold.is_finite()
        or not MIN_THRESHOLD <= threshold <= 1
        or threshold.as_tuple().exponent < -2  # type: ignore[operator]
    ):
        raise ValidationError({"threshold": "Threshold must be a number from 0.50 to 1.00"})
    return threshold


def request_report(*, actor: Actor, threshold: object = DEFAULT_THRESHOLD) -> NearDuplicateReport:
    """A partnership lead asks for a report of their partnership; the task builds it."""
    if not access.may_run_near_duplicate_report(actor):
        raise PermissionDenied
    partnership = get_led_partnership(actor)
    cleaned = clean_threshold(threshold)
    with transaction.atomic():
        report = NearDuplicateReport.objects.create(
            partnership=partnership, threshold=cleaned, requested_by=actor.person
        )
        audit.record(
            actor=actor,
            action="near_duplicate_report.requested",
            kind="near_duplicate_report",
            object_id=report.pk,
            partnership=partnership,
            changes={"threshold": str(cleaned)},
        )
        transaction.on_commit(
            lambda: tasks.build_near_duplicate_report.enqueue(report_id=report.pk)
        )
    return report


def _progress(report_id: int, percent: int, **fields: object) -> None:
    NearDuplicateReport.objects.filter(pk=report_id).update(progress=percent, **fields)


def places_in_last_year(programme_ids: set[int], today: dt.date) -> dict[int, int]:
    """Places taken on each programme's runs not cancelled with a session in the last year."""
    recent = Session.objects.filter(date__gt=today - YEAR, date__lte=today).values("run")
    rows = (
        Run.objects.filter(
            programme_id__in=sorted(programme_ids), cancelled_at__isnull=True, pk__in=recent
        )
        .order_by()
        .values("programme_id")
        .annotate(places=Sum("places_taken"))
    )
    return {row["programme_id"]: row["places"] or 0 for row in rows}


def saving_of(dearer_cost: Decimal, cheaper_cost: Decimal, dearer_places: int) -> Decimal:
    """The dearer programme's recent places times the difference in cost per place."""
    return (dearer_places * (dearer_cost - cheaper_cost)).quantize(Decimal("0.01"))


def build_report(report_id: int) -> NearDuplicateReport:
    """Compare the partnership's programmes and store the near-duplicate pairs (the task's work)."""
    report = NearDuplicateReport.objects.get(pk=report_id)
    try:
        _build(report)
    except Exception as error:  # the page says it failed instead of spinning for ever
        _progress(
            report.pk,
            report.progress,
            status=ReportStatus.FAILED,
            error=f"The report could not be built ({type(error).__name__}). Ask for it again.",
            finished_at=timezone.now(),
        )
        raise
    report.refresh_from_db()
    return report


def _build(report: NearDuplicateReport) -> None:
    _progress(report.pk, 5, status=ReportStatus.RUNNING)
    members = Organisation.objects.filter(
        pk__in=open_memberships().filter(partnership=report.partnership).values("organisation")
    )
    host_of = dict(
        Programme.objects.filter(host__in=members).order_by().values_list("pk", "host_id")
    )
    _progress(report.pk, 20, programmes_compared=len(host_of))
    found = []
    for pair in similar.near_duplicate_pairs(float(report.threshold)):
        (first_kind, first), (second_kind, second) = (
            parse_item_id(pair.first),
            parse_item_id(pair.second),
        )
        if first_kind != similar.PROGRAMME or second_kind != similar.PROGRAMME:
            continue
        if first in host_of and second in host_of and host_of[first] != host_of[second]:
            found.append((first, second, pair))
    _progress(report.pk, 80, pairs_found=len(found))
    kept = found[:MAX_PAIRS]
    ids = {pk for first, second, _ in kept for pk in (first, second)}
    costs = dict(Programme.objects.filter(pk__in=sorted(ids)).values_list("pk", "cost_per_place"))
    places = defaultdict(int, places_in_last_year(ids, timezone.localdate()))
    rows = []
    for first, second, pair in kept:
        dearer, cheaper = sorted((first, second), key=lambda pk: (-costs[pk], pk))
        rows.append(
            NearDuplicatePair(
                report=report,
                first_id=first,
                second_id=second,
                score=Decimal(str(pair.score)).quantize(Decimal("0.000001")),
                shared_terms=", ".join(pair.shared_terms)[:500],
                estimated_saving=saving_of(costs[dearer], costs[cheaper], places[dearer]),
            )
        )
    with transaction.atomic():
        NearDuplicatePair.objects.bulk_create(rows, batch_size=1_000)
        _progress(
            report.pk,
            100,
            status=ReportStatus.DONE,
            estimated_saving=sum((row.estimated_saving for row in rows), Decimal("0")),
            finished_at=timezone.now(),
        )
