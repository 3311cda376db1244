"""The partnership view: every member account's balance, forecast expiry and allowance left.

For the levy lead and partnership lead. Every figure comes from the accounts' stored headline
figures (`summaries.stored_figures`: one query however long their histories; an account whose
figures a write has changed since, or that were worked out on another day, is worked out afresh
with `queries.account_summaries` and stored).
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

from .. import access, summaries
from ..models import AccountFigures, LevyAccount

BAR_ROW = 56  # height of one account's label and bar in the chart, in SVG units
BAR_LONGEST = 600


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


def _line(account: LevyAccount, figures: AccountFigures) -> AccountLine:
    return AccountLine(
        account_id=account.pk,
        name=account.organisation.name,
        balance=figures.balance,
        expiring_soon=figures.expiring_soon,
        expiring=figures.expiring,
        next_expiry=f"{figures.next_expiry:%B %Y}" if figures.next_expiry else "Nothing expires",
        remaining_allowance=figures.remaining_allowance,
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
    figures = summaries.stored_figures(accounts, timezone.localdate())
    lines = sorted(
        (_line(account, figures[account.pk]) for account in accounts),
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
