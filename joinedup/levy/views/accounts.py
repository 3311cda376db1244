"""The levy ledger pages: the levy home, an account's statement by month, a month's entries, the
expiry forecast, the transfer allowance, and the rules in force.

An organisation's figures are read by its own levy officers and admins and by its partnership's
levy lead and partnership lead (`access.get_account_for`: 404 for everyone else). Amounts are kept
to 5 decimal places and shown to the penny, halves rounded away from zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from joinedup.lib.money import pounds

from .. import access, queries, services, summaries
from ..expiry import Month
from ..models import AccountFigures, LevyAccount, RuleKind

PENNY = Decimal("0.01")
# The forecast chart: one column per month, bars scaled to the tallest.
CHART_LEFT = 8
CHART_COLUMN = 30
CHART_BAR = 22
CHART_TALLEST = 180
CHART_BASE = 200
# The forecast lists the apprenticeships that started first; the rest are on their own page.
APPRENTICESHIPS_SHOWN = 20


def money(amount: Decimal) -> str:
    """An amount to the penny (halves away from zero), with a minus sign when it is negative."""
    rounded = amount.quantize(PENNY, ROUND_HALF_UP)
    return f"−{pounds(rounded)}" if rounded < 0 else pounds(rounded)


def percentage(share: Decimal) -> str:
    """A share as a percentage with no needless zeros (0.5 is 50%, 0.125 is 12.5%)."""
    return f"{(share * 100).normalize():f}%"


def _today() -> dt.date:
    return timezone.localdate()


def _headline(figures: AccountFigures) -> dict[str, str]:
    """An account's headline figures as shown on its pages (stored, `summaries.stored_figures`)."""
    first = figures.next_expiry
    return {
        "balance": money(figures.balance),
        "expiring": money(figures.expiring),
        "next_expiry": (
            f"{money(figures.next_expiry_amount)} in {first:%B %Y}" if first else "Nothing"
        ),
        "remaining_allowance": money(figures.remaining_allowance),
    }


def _figures(account: LevyAccount) -> dict[str, str]:
    return _headline(summaries.stored_figures([account], _today())[account.pk])


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where the person's levy pages start: their organisation's account, or the accounts they
    oversee, or the offer to open their organisation's account."""
    actor = request.actor
    own = access.own_account(actor)
    overseen = list(
        access.visible_accounts(actor)
        .filter(organisation__in=access.overseen_organisations(actor))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    context = {
        "own": own,
        "figures": _figures(own) if own else None,
        "may_open": own is None and access.may_open_account(actor),
        "overseen": [account for account in overseen if account != own],
        "oversees": access.oversees_levy(actor),
        "organisation": actor.organisation,
    }
    return render(request, "levy/ledger_home.html", context)


@require_POST
def account_open(request: HttpRequest) -> HttpResponse:
    """Open the acting organisation's levy account (its levy officer); opening twice opens one."""
    if not access.may_open_account(request.actor):
        raise PermissionDenied
    account = services.open_account(actor=request.actor, organisation=request.actor.organisation)
    messages.success(request, f"The levy account of {account.organisation.name} is open")
    return redirect("levy:account", pk=account.pk)


@dataclass(frozen=True)
class StatementLine:
    """One month of the statement as shown: each column to the penny."""

    month: dt.date
    key: str
    cells: list[str]
    closing: str


STATEMENT_HEADINGS = [
    ("funds_in", "Levy"),
    ("top_up", "Top-up"),
    ("adjustments", "Adjustments"),
    ("payments", "Payments"),
    ("transfers_in", "Transfers in"),
    ("transfers_out", "Transfers out"),
    ("refunds", "Refunds"),
    ("expiries", "Expired"),
]


def _account_context(request: HttpRequest, account: LevyAccount, section: str) -> dict:
    return {
        "account": account,
        "organisation": account.organisation,
        "section": section,
        "manages": access.may_manage_account(request.actor, account),
    }


def _chosen_page(pages: list[queries.StatementPage], year: str | None) -> int:
    """The page holding the tax year asked for (`?year=2024` for 2024 to 2025), else the newest."""
    if year and year.isdigit():
        for index, page in enumerate(pages):
            if int(year) in page.years:
                return index
    return 0


def _page_link(pk: int, page: queries.StatementPage) -> str:
    return f"{reverse('levy:account', kwargs={'pk': pk})}?year={page.years[0]}"


@require_GET
def account(request: HttpRequest, pk: int) -> HttpResponse:
    """The account's balance and its statement by month, newest first, a page of whole tax years
    at a time (at least 12 months), reading only that page's months; the headline is the stored
    figures."""
    account = access.get_account_for(request.actor, pk)
    pages = queries.statement_pages(queries.statement_months(account))
    index = _chosen_page(pages, request.GET.get("year"))
    shown = pages[index] if pages else queries.StatementPage((), [])
    lines = [
        StatementLine(
            month=row.month,
            key=f"{row.month:%Y-%m}",
            cells=[money(getattr(row, name)) for name, _ in STATEMENT_HEADINGS],
            closing=money(row.closing_balance),
        )
        for row in queries.statement_page(account, shown)
    ]
    links = {
        "previous": _page_link(account.pk, pages[index - 1]) if index > 0 else "",
        "next": _page_link(account.pk, pages[index + 1]) if index + 1 < len(pages) else "",
    }
    context = _account_context(request, account, "statement") | {
        "figures": _figures(account),
        "headings": [heading for _, heading in STATEMENT_HEADINGS],
        "lines": lines,
        "tax_years": (
            f"April {shown.years[-1]} to March {shown.years[0] + 1}" if shown.years else ""
        ),
        "links": links if any(links.values()) else None,
    }
    return render(request, "levy/ledger_account.html", context)


def _month(text: str) -> dt.date:
    """A month in a URL (YYYY-MM) as its first day; anything else is a page that does not exist."""
    try:
        parsed = Month.parse(text)
    except ValueError:
        raise Http404("No such month") from None
    if not 1 <= parsed.year <= 9999:
        raise Http404("No such month")
    return dt.date(parsed.year, parsed.month, 1)


@require_GET
def account_month(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    """Every entry of one month, with what each was for (a payment says what levy covered)."""
    account = access.get_account_for(request.actor, pk)
    first = _month(month)
    entries = (
        access.entries_for(request.actor, account)
        .filter(month=first)
        .select_related("counterparty__organisation")
        .order_by("id")
    )
    rows = [
        {
            "kind": entry.get_kind_display(),
            "label": entry.label,
            "amount": money(entry.amount),
            "posted": entry.created_at,
        }
        for entry in entries
    ]
    total = sum((entry.amount for entry in entries), Decimal(0))
    context = _account_context(request, account, "statement") | {
        "month": first,
        "rows": rows,
        "total": money(total),
    }
    return render(request, "levy/ledger_month.html", context)


@dataclass(frozen=True)
class ForecastLine:
    """One month of the forecast as shown, with its column of the chart."""

    month: dt.date
    expiring: str
    landed: str
    save_by_then: str
    nothing: bool
    bar_x: int
    bar_y: int
    bar_height: int
    label_x: int
    month_label: str
    year_label: str


def _forecast_lines(forecast: queries.Forecast) -> list[ForecastLine]:
    tallest = max((row.expiring for row in forecast.months), default=Decimal(0))
    lines = []
    for index, row in enumerate(forecast.months):
        height = int(row.expiring * CHART_TALLEST / tallest) if tallest else 0
        x = CHART_LEFT + index * CHART_COLUMN
        lines.append(
            ForecastLine(
                month=row.month,
                expiring=money(row.expiring),
                landed=", ".join(f"{landed:%B %Y}" for landed in row.landed),
                save_by_then=money(row.save_by_then),
                nothing=row.expiring == 0,
                bar_x=x,
                bar_y=CHART_BASE - height,
                bar_height=height,
                label_x=x + CHART_BAR // 2,
                month_label=f"{row.month:%b}",
                year_label=f"{row.month:%Y}" if index == 0 or row.month.month == 1 else "",
            )
        )
    return lines


@require_GET
def account_forecast(request: HttpRequest, pk: int) -> HttpResponse:
    """What will expire in each of the next 24 months given committed payments, and what more
    spending by when would save it; the commitments it counts."""
    account = access.get_account_for(request.actor, pk)
    today = _today()
    forecast = queries.forecast(account, today)
    committed = [
        {"month": queries.month_start(Month.parse(month)), "amount": money(amount)}
        for month, amount in forecast.committed.items()
    ]
    apprenticeships = [
        {
            "row": row,
            "still_to_pay": money(row.still_to_pay),
        }
        for row in queries.committed_apprenticeships(account, today, APPRENTICESHIPS_SHOWN)
    ]
    in_training = queries.active_commitments(account).count()
    first = forecast.next_expiry
    context = _account_context(request, account, "forecast") | {
        "lines": _forecast_lines(forecast),
        "total": money(forecast.total),
        "next_expiry": first,
        "next_amount": money(first.expiring) if first else "",
        "committed": committed,
        "committed_total": money(sum(forecast.committed.values(), Decimal(0))),
        "apprenticeships": apprenticeships,
        "in_training": in_training,
        "chart_width": CHART_LEFT * 2 + len(forecast.months) * CHART_COLUMN,
        "chart_base": CHART_BASE,
        "chart_bar": CHART_BAR,
    }
    return render(request, "levy/ledger_forecast.html", context)


@require_GET
def account_allowance(request: HttpRequest, pk: int) -> HttpResponse:
    """The transfer allowance of this allowance year: what it rests on, used and left."""
    account = access.get_account_for(request.actor, pk)
    detail = queries.allowance_detail(account, _today())
    context = _account_context(request, account, "allowance") | {
        "detail": detail,
        "share": percentage(detail.share),
        "figures": {
            name: money(getattr(detail, name))
            for name in (
                "previous_year_funds_in",
                "allowance",
                "committed",
                "transferred",
                "balance",
                "remaining",
            )
        },
    }
    return render(request, "levy/ledger_allowance.html", context)


UNITS = {
    RuleKind.LEVY_RATE: "share",
    RuleKind.TOP_UP_RATE: "share",
    RuleKind.GOVERNMENT_CO_INVESTMENT: "share",
    RuleKind.TRANSFER_SHARE: "share",
    RuleKind.COMPLETION_SHARE: "share",
    RuleKind.LEVY_ALLOWANCE: "pounds",
    RuleKind.PLEDGE_MINIMUM: "pounds",
    RuleKind.PLEDGE_CLOSE_BELOW: "pounds",
    RuleKind.CRITERION_SCORE: "percent",
}


def _rule_value(kind: str, value: Decimal) -> str:
    """A rule's value as people read it: a share as a percentage, pounds, or a count."""
    unit = UNITS.get(RuleKind(kind), "count")
    if unit == "share":
        return percentage(value)
    if unit == "pounds":
        return money(value)
    if unit == "percent":
        return f"{value.normalize():f}%"
    return f"{value.normalize():f}"


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """The levy rules as dated rows: each value and the day it came into force."""
    today = _today()
    groups: dict[str, list[dict]] = {}
    rows = list(access.visible_rules(request.actor).order_by("kind", "starts_on"))
    for index, rule in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        superseded = (
            following is not None and following.kind == rule.kind and following.starts_on <= today
        )
        groups.setdefault(rule.get_kind_display(), []).append(
            {
                "starts_on": rule.starts_on,
                "value": _rule_value(rule.kind, rule.value),
                "source": rule.source,
                "status": "Replaced"
                if superseded
                else ("In force" if rule.starts_on <= today else "From a future date"),
            }
        )
    return render(request, "levy/ledger_rules.html", {"groups": groups})


urlpatterns = [
    path("", home, name="home"),
    path("accounts/open/", account_open, name="account-open"),
    path("accounts/<int:pk>/", account, name="account"),
    path("accounts/<int:pk>/months/<str:month>/", account_month, name="account-month"),
    path("accounts/<int:pk>/forecast/", account_forecast, name="account-forecast"),
    path("accounts/<int:pk>/allowance/", account_allowance, name="account-allowance"),
    path("rules/", rules, name="rules"),
]
