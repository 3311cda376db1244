"""The system-translator and leakage pages, each figure as a chart with its table, and CSVs.

A partnership lead or analyst sees every member organisation; an organisation admin or L&D lead
sees their own organisation; everyone else is refused (403), through `access.figures_scope`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from joinedup.lib.charts import Chart, bar_chart
from joinedup.lib.spreadsheet_cells import neutralise

from .. import access, figures, leakage
from ..figures_forms import LeakagePeriodForm, TranslatorsForm
from ..translators import Share, percent


def per_cent(part: int, whole: int) -> str:
    """'33.3%', or a dash when the whole is nobody."""
    found = percent(part, whole)
    return "–" if found is None else f"{found}%"


def share_text(share: Share) -> str:
    return per_cent(share.translators, share.people)


def _value(share: Share) -> Decimal:
    return share.percent or Decimal(0)


# --- System translators ------------------------------------------------------------------------


def _translators(request: HttpRequest) -> dict:
    scope = access.figures_scope(request.actor)
    today = timezone.localdate()
    form = TranslatorsForm(request.GET, today=today)
    context: dict = {"form": form, "scope": scope, "today": today}
    if not form.is_valid():
        return context
    as_of, start, end = (form.cleaned_data[name] for name in ("as_of", "start", "end"))
    rows = figures.translator_figures(scope.organisations, as_of, with_total=scope.partnership_view)
    live = rows if as_of == today else figures.translator_figures(scope.organisations, today)
    over_time = figures.translators_over_time(scope.organisations, live, today)
    names = {organisation.pk: organisation.name for organisation in scope.organisations}
    moves = figures.moves_table(
        figures.partner_moves(scope.members, start, end, scope.organisations)
    )
    context |= {
        "as_of": as_of,
        "start": start,
        "end": end,
        "rows": rows,
        "chart": bar_chart(
            [
                (
                    f"{row.label}: {share_text(row.staff)} of staff, "
                    f"{share_text(row.senior)} of senior staff",
                    [_value(row.staff), _value(row.senior)],
                )
                for row in rows
            ],
            scale=100,
        ),
        "over_time": over_time,
        "over_time_rows": [
            (month, names[organisation], shares)
            for month in over_time
            for organisation, shares in sorted(
                month.shares.items(), key=lambda item: names.get(item[0], "")
            )
            if organisation in names
        ],
        "over_time_chart": bar_chart(
            [
                (
                    f"{month.month:%B %Y}{' (so far)' if month.live else ''}: "
                    f"{share_text(month.together()[0])} of staff, "
                    f"{share_text(month.together()[1])} of senior staff",
                    [_value(month.together()[0]), _value(month.together()[1])],
                )
                for month in over_time
            ],
            scale=100,
        ),
        "moves": moves,
        "moves_chart": bar_chart(
            [
                (
                    f"{row.source} to {row.destination}: {row.moves} moved, "
                    f"{row.secondments} seconded",
                    [row.moves, row.secondments],
                )
                for row in moves
            ],
        ),
    }
    return context


@require_GET
def translators(request: HttpRequest) -> HttpResponse:
    """The share of staff and of senior staff who are system translators, by organisation, on
    a date and over the last 12 months, and moves between partner employers in a period."""
    return render(request, "talent/figures/translators.html", _translators(request))


def _csv(rows: list[list[object]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _form_refusal(form) -> HttpResponse:
    """A CSV asked for with a bad filter: say which field, in plain text."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


TRANSLATOR_COLUMNS = [
    "Figures",
    "Organisation",
    "Staff",
    "Translators",
    "Share of staff",
    "Senior staff",
    "Senior translators",
    "Share of senior staff",
]


def _share_cells(staff: Share, senior: Share) -> list[object]:
    return [
        staff.people,
        staff.translators,
        share_text(staff),
        senior.people,
        senior.translators,
        share_text(senior),
    ]


@require_GET
def translators_csv(request: HttpRequest) -> HttpResponse:
    """The translator figures on the date, then month by month, as CSV (cells neutralised)."""
    context = _translators(request)
    if "rows" not in context:
        return _form_refusal(context["form"])
    lines: list[list[object]] = [TRANSLATOR_COLUMNS]
    as_of: dt.date = context["as_of"]
    for row in context["rows"]:
        lines.append([f"As of {as_of:%Y-%m-%d}", row.label, *_share_cells(row.staff, row.senior)])
    for month, name, (staff, senior) in context["over_time_rows"]:
        kind = "so far (live)" if month.live else "month end (snapshot)"
        lines.append([f"{month.month:%Y-%m} {kind}", name, *_share_cells(staff, senior)])
    return _csv(lines, f"system-translators-{as_of:%Y-%m-%d}.csv")


# --- Leakage ------------------------------------------------------------------------------------


def _known_share(found: leakage.Figures, bucket: str) -> str:
    return per_cent(found.counts[bucket], found.known)


def _leakage_chart(rows: list[figures.LeakageRow]) -> Chart:
    return bar_chart(
        [
            (
                f"{row.label}: "
                + ", ".join(
                    f"{leakage.BUCKET_NAMES[bucket].lower()} {_known_share(row.figures, bucket)}"
                    for bucket in leakage.KNOWN_BUCKETS
                )
                + f" of {row.figures.known} known",
                [
                    percent(row.figures.counts[bucket], row.figures.known) or Decimal(0)
                    for bucket in leakage.KNOWN_BUCKETS
                ],
            )
            for row in rows
        ],
        scale=100,
    )


@dataclass(frozen=True)
class LeakageLine:
    """One table row: the counts, and the shares of the known leavers as text."""

    label: str
    figures: leakage.Figures
    shares: list[str]


def _lines(rows: list[figures.LeakageRow]) -> list[LeakageLine]:
    return [
        LeakageLine(
            label=row.label,
            figures=row.figures,
            shares=[_known_share(row.figures, bucket) for bucket in leakage.KNOWN_BUCKETS],
        )
        for row in rows
    ]


def _leakage(request: HttpRequest) -> dict:
    scope = access.figures_scope(request.actor)
    form = LeakagePeriodForm(request.GET, today=timezone.localdate())
    context: dict = {"form": form, "scope": scope}
    if not form.is_valid():
        return context
    found = figures.leakage_figures(
        scope.organisations, scope.members, form.cleaned_data["start"], form.cleaned_data["end"]
    )
    total = figures.LeakageRow("All leavers", found.total)
    context |= {
        "leakage": found,
        "total": _lines([total])[0],
        "tables": [
            ("organisation", "By organisation", "Organisation", _lines(found.by_organisation)),
            ("band", "By seniority band", "Seniority band", _lines(found.by_band)),
            ("month", "By month of leaving", "Month", _lines(found.by_month)),
        ],
        "charts": {
            "organisation": _leakage_chart(found.by_organisation),
            "band": _leakage_chart(found.by_band),
            "month": _leakage_chart(found.by_month),
        },
        "bucket_names": [leakage.BUCKET_NAMES[bucket] for bucket in leakage.KNOWN_BUCKETS],
    }
    return context


@require_GET
def leakage_page(request: HttpRequest) -> HttpResponse:
    """Where leavers went, in DESIGN.md's buckets, by organisation, seniority band and month."""
    context = _leakage(request)
    if "leakage" in context:
        context["table_charts"] = [
            (key, caption, heading, lines, context["charts"][key])
            for key, caption, heading, lines in context["tables"]
        ]
    return render(request, "talent/figures/leakage.html", context)


LEAKAGE_COLUMNS = [
    "Grouping",
    "Group",
    "From",
    "To",
    "Leavers",
    *(leakage.BUCKET_NAMES[bucket] for bucket in leakage.BUCKETS),
    "Known destination (not retired or unknown)",
    *(f"{leakage.BUCKET_NAMES[bucket]}, share of known" for bucket in leakage.KNOWN_BUCKETS),
]


@require_GET
def leakage_csv(request: HttpRequest) -> HttpResponse:
    """The leakage figures as CSV, every text cell neutralised against formula injection."""
    context = _leakage(request)
    if "leakage" not in context:
        return _form_refusal(context["form"])
    found: figures.Leakage = context["leakage"]
    lines: list[list[object]] = [LEAKAGE_COLUMNS]
    groups = [("All", [context["total"]])] + [
        (caption, table_lines) for _, caption, _, table_lines in context["tables"]
    ]
    for grouping, table_lines in groups:
        for line in table_lines:
            lines.append(
                [
                    grouping,
                    line.label,
                    f"{found.start:%Y-%m-%d}",
                    f"{found.end:%Y-%m-%d}",
                    line.figures.leavers,
                    *(line.figures.counts[bucket] for bucket in leakage.BUCKETS),
                    line.figures.known,
                    *line.shares,
                ]
            )
    return _csv(lines, f"leakage-{found.start:%Y-%m-%d}-to-{found.end:%Y-%m-%d}.csv")
