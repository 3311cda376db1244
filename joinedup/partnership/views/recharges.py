"""Recharge pages of the acting organisation: statement, entries, CSV export and reversing."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.money import pounds

from .. import access, queries, services
from ..forms import RechargePeriodForm, ReverseRechargeForm
from .manage import page_links, posted, show_refusal

BAR_ROW = 56  # height of one partner's label and bar in the chart, in SVG units
BAR_LONGEST = 600


@dataclass(frozen=True)
class StatementLine:
    """One partner's row of the statement, with its net balance in words and as a chart bar."""

    row: queries.StatementRow
    net_text: str
    bar_length: int
    bar_top: int
    owed_to_us: bool


def net_in_words(net: Decimal) -> str:
    """A net balance as people read it: who owes whom, or settled."""
    if net > 0:
        return f"{pounds(net)} owed to us"
    if net < 0:
        return f"{pounds(net)} owed by us"
    return "Settled"


def _require_reader(request: HttpRequest) -> None:
    if not access.may_read_recharges(request.actor):
        raise PermissionDenied


def _period(request: HttpRequest) -> RechargePeriodForm:
    form = RechargePeriodForm(
        request.GET,
        partners=queries.recharge_partner_choices(request.actor),
        today=timezone.localdate(),
    )
    form.is_valid()
    return form


def _lines(rows: list[queries.StatementRow]) -> list[StatementLine]:
    largest = max((abs(row.net) for row in rows), default=Decimal(0))
    return [
        StatementLine(
            row=row,
            net_text=net_in_words(row.net),
            bar_length=int(abs(row.net) * BAR_LONGEST / largest) if largest else 0,
            bar_top=index * BAR_ROW + 24,
            owed_to_us=row.net >= 0,
        )
        for index, row in enumerate(rows)
    ]


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """What the acting organisation owes and is owed per partner in a period, with totals."""
    _require_reader(request)
    form = _period(request)
    context: dict = {"form": form, "organisation": request.actor.organisation}
    if not form.errors:
        period = form.cleaned_data
        rows = queries.recharge_statement(
            request.actor.organisation,
            period["start"],
            period["end"],
            partner_id=period["partner"],
        )
        totals = queries.statement_totals(rows)
        context |= {
            "lines": _lines(rows),
            "chart_height": len(rows) * BAR_ROW,
            "owed_by_us": pounds(totals.owed_by_us),
            "owed_to_us": pounds(totals.owed_to_us),
            "net": net_in_words(totals.net),
            "query": request.GET.urlencode(),
        }
    return render(request, "partnership/recharges/statement.html", context)


@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    """The acting organisation's entries in a period, newest first, filtered by partner."""
    _require_reader(request)
    form = _period(request)
    context: dict = {"form": form, "organisation": request.actor.organisation}
    if not form.errors:
        period = form.cleaned_data
        page = queries.recharge_entries(
            request.actor,
            period["start"],
            period["end"],
            partner_id=period["partner"],
            after=request.GET.get("after"),
            before=request.GET.get("before"),
        )
        context |= {
            "rows": [
                (entry, access.may_reverse_recharge(request.actor, entry)) for entry in page.items
            ],
            "links": page_links(request, page),
            "query": request.GET.urlencode(),
        }
    return render(request, "partnership/recharges/entries.html", context)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def _csv_stream(lines: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"  # Excel reads the file as UTF-8 only with a byte order mark
    for line in lines:
        yield writer.writerow(line)


@require_GET
def statement_csv(request: HttpRequest) -> HttpResponse:
    """The statement's entries as CSV for a finance system, streamed however long the period."""
    _require_reader(request)
    form = _period(request)
    if form.errors:
        return render(
            request,
            "partnership/recharges/statement.html",
            {"form": form, "organisation": request.actor.organisation},
            status=400,
        )
    organisation = request.actor.organisation
    start: dt.date = form.cleaned_data["start"]
    end: dt.date = form.cleaned_data["end"]
    lines = queries.recharge_statement_csv_lines(
        organisation, start, end, partner_id=form.cleaned_data["partner"]
    )
    response = StreamingHttpResponse(_csv_stream(lines), content_type="text/csv; charset=utf-8")
    name = f"recharges-{slugify(organisation.name)}-{start.isoformat()}-to-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse (or dispute) a charge with a reason: a new entry of the negated amount."""
    entry = access.get_recharge_for(request.actor, pk)
    if not access.may_reverse_recharge(request.actor, entry):
        raise PermissionDenied
    form = ReverseRechargeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_recharge(
                actor=request.actor, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The entry is reversed.")
            return redirect("partnership:recharge-entries")
    return render(request, "partnership/recharges/reverse.html", {"entry": entry, "form": form})
