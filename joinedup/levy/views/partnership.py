"""The partnership view: every member account's balance, forecast expiry and allowance left.

For the levy lead and partnership lead. Every figure comes from `queries.account_summaries`, which
answers for all the accounts in the same few queries as for one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from joinedup.lib.money import pounds

from .. import access, queries

BAR_ROW = 56  # height of one account's label and bar in the chart, in SVG units
BAR_LONGEST = 600
SOON_MONTHS = 12


@dataclass(frozen=True)
class AccountLine:
    """One member account's row of the table, with its chart bar."""

    account_id: int
    name: str
    balance: Decimal
    expiring_soon: Decimal
    expiring: Decimal
    next_expiry: str
    remaining_allowance: Decimal
    bar_length: int = 0
    bar_top: int = 0


# Column -> (its heading, how rows are ordered by it: largest first except for names), in the
# table's order.
SORTS = {
    "name": ("Organisation", lambda line: ()),
    "expiry": ("Expiring in 12 months", lambda line: (-line.expiring_soon, -line.expiring)),
    "expiry24": ("Expiring in 24 months", lambda line: (-line.expiring, -line.expiring_soon)),
    "balance": ("Balance", lambda line: (-line.balance,)),
    "allowance": ("Allowance left", lambda line: (-line.remaining_allowance,)),
}


def _line(summary: queries.AccountSummary) -> AccountLine:
    soon = sum((row.expiring for row in summary.forecast.months[:SOON_MONTHS]), Decimal(0))
    first = summary.next_expiry
    return AccountLine(
        account_id=summary.account.pk,
        name=summary.account.organisation.name,
        balance=summary.balance,
        expiring_soon=soon,
        expiring=summary.forecast_total,
        next_expiry=f"{first.month:%B %Y}" if first else "Nothing expires",
        remaining_allowance=summary.remaining_allowance,
    )


@require_GET
def partnership(request: HttpRequest) -> HttpResponse:
    """Member accounts ordered by what will expire (or the column chosen), with a chart."""
    if not access.oversees_levy(request.actor):
        raise PermissionDenied
    sort = request.GET.get("sort", "expiry")
    if sort not in SORTS:
        sort = "expiry"
    accounts = list(
        access.visible_accounts(request.actor)
        .filter(organisation__in=access.overseen_organisations(request.actor))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    summaries = queries.account_summaries(accounts, timezone.localdate())
    lines = sorted(
        (_line(summaries[account.pk]) for account in accounts),
        key=lambda line: (*SORTS[sort][1](line), line.name),
    )
    largest = max((line.expiring for line in lines), default=Decimal(0))
    lines = [
        replace(
            line,
            bar_length=int(line.expiring * BAR_LONGEST / largest) if largest else 0,
            bar_top=index * BAR_ROW + 24,
        )
        for index, line in enumerate(lines)
    ]
    context = {
        "lines": lines,
        "sort": sort,
        "columns": [(key, heading) for key, (heading, _) in SORTS.items()],
        "chart_height": len(lines) * BAR_ROW,
        "totals": {
            "balance": pounds(sum((line.balance for line in lines), Decimal(0))),
            "expiring_soon": pounds(sum((line.expiring_soon for line in lines), Decimal(0))),
            "expiring": pounds(sum((line.expiring for line in lines), Decimal(0))),
            "allowance": pounds(sum((line.remaining_allowance for line in lines), Decimal(0))),
        },
    }
    return render(request, "levy/partnership_view.html", context)


urlpatterns = [path("partnership/", partnership, name="partnership")]
