"""The partnership view: every member account's balance, forecast expiry and allowance left.

For the levy lead and partnership lead. Every figure comes from the accounts' stored headline
figures (`AccountFigures`, kept by `levy.summaries`): an account whose figures a write has changed
since, or that were worked out on another day, is worked out afresh and stored first (one query
finds them, usually none). The table is sorted in SQL and shown 10 accounts a page, so the page
does not grow with the partnership; the totals add up every account's stored figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from joinedup.lib.money import pounds

from .. import access, queries, summaries
from ..models import AccountFigures

BAR_ROW = 56  # height of one account's label and bar in the chart, in SVG units
BAR_LONGEST = 600
PAGE_SIZE = 10
NAME = "account__organisation__name"
TOTALS = {
    "balance": "balance",
    "expiring_soon": "expiring_soon",
    "expiring": "expiring",
    "remaining_allowance": "allowance",
}


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
# table's order; ties go by name.
SORTS = {
    "name": ("Organisation", ()),
    "expiry": ("Expiring in 12 months", ("-expiring_soon", "-expiring")),
    "expiry24": ("Expiring in 24 months", ("-expiring", "-expiring_soon")),
    "balance": ("Balance", ("-balance",)),
    "allowance": ("Allowance left", ("-remaining_allowance",)),
}


def _page_number(text: str | None, pages: int) -> int:
    """The page asked for (from 1), else the first; past the last is the last."""
    number = int(text) if text and text.isdigit() and len(text) < 7 else 1
    return min(max(number, 1), max(pages, 1))


def _link(sort: str, number: int) -> str:
    return "?" + urlencode({"sort": sort, "page": number})


@require_GET
def partnership(request: HttpRequest) -> HttpResponse:
    """Member accounts ordered by what will expire (or the column chosen), a page at a time,
    with a chart."""
    if not access.oversees_levy(request.actor):
        raise PermissionDenied
    sort = request.GET.get("sort", "expiry")
    if sort not in SORTS:
        sort = "expiry"
    today = timezone.localdate()
    accounts = access.visible_accounts(request.actor).filter(
        organisation__in=access.overseen_organisations(request.actor)
    )
    stale = accounts.exclude(
        pk__in=AccountFigures.objects.filter(computed_on=today).values("account_id")
    )
    stale = list(stale.select_related("organisation").order_by("pk"))
    if stale:
        summaries.stored_figures(stale, today)
    shown = AccountFigures.objects.filter(account__in=accounts)
    # Exact sums in whole hundred-thousandths of a pound, on SQLite too, and the longest bar.
    every = shown.aggregate(
        count=Count("account_id"),
        largest=Max("expiring"),
        **{column: Sum(queries.units_of(column)) for column in TOTALS},
    )
    pages = -(-every["count"] // PAGE_SIZE)
    number = _page_number(request.GET.get("page"), pages)
    rows = shown.select_related("account__organisation").order_by(
        *SORTS[sort][1], NAME, "account_id"
    )[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    largest = every["largest"] or Decimal(0)
    lines = [
        AccountLine(
            account_id=row.account_id,
            name=row.account.organisation.name,
            balance=row.balance,
            expiring_soon=row.expiring_soon,
            expiring=row.expiring,
            next_expiry=f"{row.next_expiry:%B %Y}" if row.next_expiry else "Nothing expires",
            remaining_allowance=row.remaining_allowance,
            bar_length=int(row.expiring * BAR_LONGEST / largest) if largest else 0,
            bar_top=index * BAR_ROW + 24,
        )
        for index, row in enumerate(rows)
    ]
    links = {
        "previous": _link(sort, number - 1) if number > 1 else "",
        "next": _link(sort, number + 1) if number < pages else "",
    }

    context = {
        "lines": lines,
        "sort": sort,
        "columns": [(key, heading) for key, (heading, _) in SORTS.items()],
        "chart_height": len(lines) * BAR_ROW,
        "accounts": every["count"],
        "page": number,
        "pages": pages,
        "links": links if any(links.values()) else None,
        "totals": {
            name: pounds(Decimal(every[column] or 0).scaleb(-queries.PLACES))
            for column, name in TOTALS.items()
        },
    }
    return render(request, "levy/partnership_view.html", context)


urlpatterns = [path("partnership/", partnership, name="partnership")]
