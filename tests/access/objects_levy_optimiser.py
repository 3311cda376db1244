"""The own, partner's and outsider's levy objects behind the optimiser routes (see objects.py).

A need of the organisation; an optimiser run of its partnership (own and partner share the
world's); a recommendation whose sender is the organisation, funding a need of another member,
with levy funds landed last allowance year so that its levy officer can pledge it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from joinedup.levy.allowance import allowance_year_start
from joinedup.levy.models import EntryKind, LedgerEntry, OptimiserRun, Recommendation
from joinedup.levy.tests.factories import LevyAccountFactory, NeedFactory
from joinedup.partnership.tests.factories import MembershipFactory, OrganisationFactory
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of

# Whose need each organisation's recommendation funds: another member of its partnership.
FUNDED = {"own": "partner", "partner": "own"}


def _partnership(world: World, which: str):
    return world.other_partnership if which == "outsider" else world.partnership


def _need(world: World, which: str, organisation=None):
    today = timezone.localdate()
    return NeedFactory(
        partnership=_partnership(world, which),
        organisation=organisation or organisation_of(world, which),
        start_month=dt.date(today.year + 1, today.month, 1),
    )


def need(world: World, which: str) -> Kwargs:
    return {"pk": _need(world, which).pk}


def _run(world: World, which: str) -> OptimiserRun:
    return OptimiserRun.objects.create(
        partnership=_partnership(world, which),
        status="optimal",
        expiry_avoided=Decimal(0),
        greedy_expiry_avoided=Decimal(0),
        expiry_without_transfers=Decimal(0),
        inputs={"senders": [], "needs": []},
    )


def optimiser_run(world: World, which: str) -> Kwargs:
    return {"pk": _run(world, which).pk}


def recommendation(world: World, which: str) -> Kwargs:
    today = timezone.localdate()
    sender = LevyAccountFactory(organisation=organisation_of(world, which))
    LedgerEntry.objects.get_or_create(
        account=sender,
        key="matrix-funds-in",
        defaults={
            "kind": EntryKind.FUNDS_IN,
            "month": dt.date(allowance_year_start(today).year - 1, 4, 1),
            "amount": Decimal("20000"),
        },
    )
    if which in FUNDED:
        receiver = organisation_of(world, FUNDED[which])
    else:
        receiver = OrganisationFactory(name="Matrix charity elsewhere")
        MembershipFactory(partnership=world.other_partnership, organisation=receiver)
    item = Recommendation.objects.create(
        optimiser_run=_run(world, which),
        need=_need(world, which, receiver),
        sender=sender,
        amount=Decimal("6000"),
        expiry_avoided=Decimal("400"),
        explanation=[{"month": f"{today:%Y-%m}", "amount": "400"}],
    )
    return {"pk": item.pk}


RESOLVERS: dict[str, Resolver] = {
    "levy:need": need,
    "levy:need-edit": need,
    "levy:need-withdraw": need,
    "levy:optimiser-result": optimiser_run,
    "levy:recommendation": recommendation,
    "levy:recommendation-pledge": recommendation,
    "api:optimiser_run_detail": optimiser_run,
    "api:recommendation_detail": recommendation,
    "api:pledge_recommendation": recommendation,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/levy/optimiser-runs/{pk}": optimiser_run,
    "GET /api/v1/levy/recommendations/{pk}": recommendation,
    "POST /api/v1/levy/recommendations/{pk}/pledge": recommendation,
}
