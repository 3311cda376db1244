"""The own, partner's and outsider's levy objects behind the ledger routes (see objects.py):
each organisation's levy account, with a month of entries to show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from joinedup.levy.models import EntryKind, LedgerEntry, LevyAccount
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of

MONTH = "2026-05"


def _account(world: World, which: str) -> LevyAccount:
    account = LevyAccountFactory(organisation=organisation_of(world, which))
    LedgerEntry.objects.get_or_create(
        account=account,
        key=f"funds_in:{MONTH}:1",
        defaults={
            "kind": EntryKind.FUNDS_IN,
            "month": dt.date(2026, 5, 1),
            "amount": Decimal("1000"),
            "label": "Levy declared",
        },
    )
    return account


def levy_account(world: World, which: str) -> Kwargs:
    return {"pk": _account(world, which).pk}


def levy_account_month(world: World, which: str) -> Kwargs:
    return {"pk": _account(world, which).pk, "month": MONTH}


RESOLVERS: dict[str, Resolver] = {
    "levy:account": levy_account,
    "levy:account-month": levy_account_month,
    "levy:account-forecast": levy_account,
    "levy:account-allowance": levy_account,
    "api:account_detail": levy_account,
    "api:account_statement": levy_account,
    "api:account_forecast": levy_account,
    "api:account_allowance": levy_account,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/levy/accounts/{pk}": levy_account,
    "GET /api/v1/levy/accounts/{pk}/statement": levy_account,
    "GET /api/v1/levy/accounts/{pk}/forecast": levy_account,
    "GET /api/v1/levy/accounts/{pk}/allowance": levy_account,
}
