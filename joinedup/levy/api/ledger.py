"""API operations for levy accounts: the list, an account's headline figures, its statement by
month, its expiry forecast and its transfer allowance.

Everything is read through `levy.access`, so a caller sees exactly the accounts whose figures the
pages show them: their own organisation's (levy officers and admins) and those of the partnership
they oversee (levy lead, partnership lead); anyone else's account is a 404. Organisation tokens
read no levy figures. Amounts are decimal strings to 5 decimal places, as the ledger keeps them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from joinedup.partnership.api import Error, Id, OrganisationRef, Pagination, page_of

from .. import access, queries
from ..models import LevyAccount

router = Router(tags=["levy"])

ERRORS = {frozenset({401, 403, 404, 422}): Error}
ACCOUNT_ORDER = ("organisation__name", "id")


class AccountOut(Schema):
    id: int
    organisation: OrganisationRef
    english_fraction: Decimal
    opened_on: dt.date


class AccountPage(Schema):
    items: list[AccountOut]
    next: str | None


class AccountDetail(AccountOut):
    balance: Decimal
    forecast_expiry: Decimal = Field(
        description="What will expire in the next 24 months given committed payments."
    )
    next_expiry_month: str | None = Field(description="YYYY-MM of the first expiry, if any.")
    next_expiry_amount: Decimal | None
    remaining_allowance: Decimal = Field(
        description="Transfer allowance less what pledges use, within 0 and the balance."
    )


class StatementMonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    funds_in: Decimal
    top_up: Decimal
    adjustments: Decimal
    payments: Decimal
    transfers_in: Decimal
    transfers_out: Decimal
    refunds: Decimal
    expiries: Decimal
    closing_balance: Decimal


class StatementOut(Schema):
    account: int
    balance: Decimal
    months: list[StatementMonthOut] = Field(description="Months with entries, newest first.")


class ForecastMonthOut(Schema):
    month: str = Field(description="YYYY-MM: what expires at the end of this month.")
    expiring: Decimal
    landed: list[str] = Field(description="YYYY-MM in which the expiring funds landed.")
    save_by_then: Decimal = Field(
        description="Extra spending by the end of this month that leaves nothing expiring up to it."
    )


class ForecastOut(Schema):
    account: int
    total: Decimal
    months: list[ForecastMonthOut]
    committed: dict[str, Decimal] = Field(
        description="Committed payments not yet posted, by YYYY-MM, that the forecast counts."
    )


class AllowanceOut(Schema):
    account: int
    starts_on: dt.date
    ends_on: dt.date
    previous_year_funds_in: Decimal
    share: Decimal
    allowance: Decimal
    committed: Decimal = Field(description="Used by pledges this allowance year.")
    transferred: Decimal = Field(description="Transfers paid since the year began.")
    balance: Decimal
    remaining: Decimal


def _account(account: LevyAccount) -> dict:
    return {
        "id": account.pk,
        "organisation": account.organisation,
        "english_fraction": account.english_fraction,
        "opened_on": account.opened_on,
    }


@router.get("/accounts", response={200: AccountPage, **ERRORS}, summary="List levy accounts")
def list_accounts(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The levy accounts whose figures the caller reads, by organisation name."""
    accounts = access.visible_accounts(request.auth).select_related("organisation")
    result = page_of(accounts, ACCOUNT_ORDER, (str, int), page)
    return {"items": [_account(account) for account in result["items"]], "next": result["next"]}


@router.get("/accounts/{pk}", response={200: AccountDetail, **ERRORS}, summary="A levy account")
def account_detail(request: HttpRequest, pk: Id) -> dict:
    """One account's balance, forecast expiry and transfer allowance left."""
    account = access.get_account_for(request.auth, pk)
    summary = queries.account_summary(account, timezone.localdate())
    first = summary.next_expiry
    return _account(account) | {
        "balance": summary.balance,
        "forecast_expiry": summary.forecast_total,
        "next_expiry_month": f"{first.month:%Y-%m}" if first else None,
        "next_expiry_amount": first.expiring if first else None,
        "remaining_allowance": summary.remaining_allowance,
    }


@router.get(
    "/accounts/{pk}/statement",
    response={200: StatementOut, **ERRORS},
    summary="A levy account's statement by month",
)
def account_statement(request: HttpRequest, pk: Id) -> dict:
    """Each month's movements by kind and the balance at its end, newest first."""
    account = access.get_account_for(request.auth, pk)
    rows = queries.statement(account)
    return {
        "account": account.pk,
        "balance": rows[0].closing_balance if rows else Decimal(0),
        "months": [
            {
                "month": f"{row.month:%Y-%m}",
                "funds_in": row.funds_in,
                "top_up": row.top_up,
                "adjustments": row.adjustments,
                "payments": row.payments,
                "transfers_in": row.transfers_in,
                "transfers_out": row.transfers_out,
                "refunds": row.refunds,
                "expiries": row.expiries,
                "closing_balance": row.closing_balance,
            }
            for row in rows
        ],
    }


@router.get(
    "/accounts/{pk}/forecast",
    response={200: ForecastOut, **ERRORS},
    summary="A levy account's expiry forecast",
)
def account_forecast(request: HttpRequest, pk: Id) -> dict:
    """What will expire in each of the next 24 months given committed payments."""
    account = access.get_account_for(request.auth, pk)
    forecast = queries.forecast(account, timezone.localdate())
    return {
        "account": account.pk,
        "total": forecast.total,
        "months": [
            {
                "month": f"{row.month:%Y-%m}",
                "expiring": row.expiring,
                "landed": [f"{landed:%Y-%m}" for landed in row.landed],
                "save_by_then": row.save_by_then,
            }
            for row in forecast.months
        ],
        "committed": forecast.committed,
    }


@router.get(
    "/accounts/{pk}/allowance",
    response={200: AllowanceOut, **ERRORS},
    summary="A levy account's transfer allowance",
)
def account_allowance(request: HttpRequest, pk: Id) -> dict:
    """This allowance year's transfer allowance: what it rests on, what is used, what is left."""
    account = access.get_account_for(request.auth, pk)
    detail = queries.allowance_detail(account, timezone.localdate())
    return {"account": account.pk, **vars(detail)}
