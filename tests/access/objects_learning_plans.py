"""The own, partner's and outsider's commissioning plan and near-duplicate report (see objects.py).

A plan is an open plan of the organisation. A report belongs to a partnership: the own and the
partner's organisations share the standing world's partnership, the outsider's is the other one.
"""

from __future__ import annotations

from joinedup.learning.models import CommissioningPlan, NearDuplicateReport, ReportStatus
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of


def plan(world: World, which: str) -> Kwargs:
    """An open plan of the organisation."""
    found = CommissioningPlan.objects.create(
        organisation=organisation_of(world, which),
        title=f"Coaching skills for managers ({which})",
        need="Managers want to coach their teams",
    )
    return {"pk": found.pk}


def report(world: World, which: str) -> Kwargs:
    """A finished near-duplicate report of the organisation's partnership."""
    partnership = world.other_partnership if which == "outsider" else world.partnership
    found = NearDuplicateReport.objects.create(partnership=partnership, status=ReportStatus.DONE)
    return {"pk": found.pk}


RESOLVERS: dict[str, Resolver] = {
    "learning:plan": plan,
    "learning:plan-edit": plan,
    "learning:plan-close": plan,
    "learning:near-duplicate-report": report,
    "learning:near-duplicate-csv": report,
    "api:plan_detail": plan,
    "api:change_plan": plan,
    "api:close_plan": plan,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/learning/plans/{pk}": plan,
    "PATCH /api/v1/learning/plans/{pk}": plan,
    "POST /api/v1/learning/plans/{pk}/close": plan,
}
