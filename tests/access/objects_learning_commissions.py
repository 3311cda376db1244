"""The own, partner's and outsider's joint commission behind the commission routes (objects.py).

Each is forming and led by the organisation, on a plan of its own; the own organisation's and the
partner's each have the other as a second member (so one can leave), the outsider's has none.
"""

from __future__ import annotations

from joinedup.learning.models import CommissioningPlan, CommissionPartner, JointCommission
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of

SECOND = {"own": "partner", "partner": "own"}


def _commission(world: World, which: str) -> JointCommission:
    lead = organisation_of(world, which)
    plan = CommissioningPlan.objects.create(
        organisation=lead, title=f"Joint plan ({which})", need="A shared need"
    )
    commission = JointCommission.objects.create(plan=plan, lead_organisation=lead)
    CommissionPartner.objects.create(commission=commission, organisation=lead, places=10)
    if which in SECOND:
        other = organisation_of(world, SECOND[which])
        CommissionPartner.objects.create(commission=commission, organisation=other, places=5)
    return commission


def commission(world: World, which: str) -> Kwargs:
    return {"pk": _commission(world, which).pk}


def commission_plan(world: World, which: str) -> Kwargs:
    """The plan of such a commission, for the route that joins it."""
    return {"pk": _commission(world, which).plan_id}


def open_plan(world: World, which: str) -> Kwargs:
    """An open plan with no commission yet, for starting one."""
    plan = CommissioningPlan.objects.create(
        organisation=organisation_of(world, which), title=f"Open plan ({which})", need="A need"
    )
    return {"pk": plan.pk}


RESOLVERS: dict[str, Resolver] = {
    "learning:commission-join": commission_plan,
    "learning:commission-start": open_plan,
    "learning:commission": commission,
    "learning:commission-places": commission,
    "learning:commission-leave": commission,
    "learning:commission-agree": commission,
    "learning:commission-cancel": commission,
    "learning:commission-programme": commission,
    "api:commission_detail": commission,
    "api:join_commission": commission,
    "api:agree_commission": commission,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/learning/joint-commissions/{pk}": commission,
    "POST /api/v1/learning/joint-commissions/{pk}/join": commission,
    "POST /api/v1/learning/joint-commissions/{pk}/agree": commission,
}
