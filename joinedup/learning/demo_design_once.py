"""The demo's "design once" story: a police programme to reuse, an open plan and a joint commission.

`demo_data.load()` calls `load()` here once the learning offer exists. What a visitor finds:

- North Thames Police's "Trauma-informed policing: wellbeing and resilience" course, open to
  partners: when the Barnet L&D lead persona plans a trauma-informed practice and staff wellbeing
  programme, it is the most similar existing programme, with the shared terms shown;
- North Thames Fire and Rescue Service's open commissioning plan for trauma and resilience
  support for crews, which the same plan finds among other organisations' open plans;
- Brent's plan for multi-agency hoarding and self-neglect practice, commissioned jointly with
  Camden and the fire service: agreed, split by committed places, each partner's share posted to
  Brent on the recharge ledger, so the partnership lead's value-for-money report shows the saving.

The police programme is the marker: when it exists, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, OrganisationRoleGrant
from joinedup.partnership.models import OrganisationRole as Role

from . import commissions, plans, services, similar
from .models import CommissioningPlan, JointCommission, Programme, SplitMethod
from .models import DeliveryMode as Mode
from .models import ProgrammeKind as Kind
from .models import SharingPolicy as Policy

POLICE = "North Thames Police"  # fictional organisations have no official code
FIRE = "North Thames Fire and Rescue Service"
BRENT = "E09000005"
CAMDEN = "E09000007"

POLICE_TITLE = "Trauma-informed policing: wellbeing and resilience"
POLICE_SUMMARY = (
    "Understanding trauma and how it shapes what victims, witnesses and colleagues need, and "
    "looking after your own wellbeing after distressing incidents."
)
POLICE_TOPICS = ("Trauma-informed practice", "Wellbeing")

FIRE_PLAN = {
    "title": "Trauma and resilience support for crews",
    "need": (
        "Crews attend distressing incidents. We want peer supporters on every watch who can "
        "recognise trauma responses, support colleagues' wellbeing and know where to refer."
    ),
    "audience": "Firefighters, crew managers and control room staff",
    "topics": ["Trauma-informed practice", "Wellbeing"],
    "estimated_design_cost": Decimal("9500.00"),
    "delivery_cost_per_place": Decimal("95.00"),
    "expected_learners": 80,
}

BRENT_PLAN = {
    "title": "Hoarding and self-neglect: multi-agency practice",
    "need": (
        "Practitioners across housing, adult social care and fire safety meet the same people "
        "who hoard or neglect themselves; they need one approach to assessment, fire risk and "
        "safeguarding under the Care Act 2014."
    ),
    "audience": "Housing officers, social workers and fire safety advisers",
    "topics": ["Adult social care", "Safeguarding", "Housing"],
    "estimated_design_cost": Decimal("12000.00"),
    "delivery_cost_per_place": Decimal("85.00"),
    "expected_learners": 60,
}
# Organisation and the places each commits; Brent, the lead, first.
BRENT_PARTNERS = ((BRENT, 60), (CAMDEN, 40), (FIRE, 25))


def _lead(organisation: Organisation) -> Actor | None:
    """The organisation's first L&D lead, acting for it."""
    grant = (
        OrganisationRoleGrant.objects.filter(organisation=organisation, role=Role.LD_LEAD)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return Actor(person=grant.person, organisation=organisation) if grant else None


def _organisations() -> dict[str, Organisation]:
    found = {
        o.official_code: o for o in Organisation.objects.filter(official_code__in=(BRENT, CAMDEN))
    }
    found |= {
        o.name: o for o in Organisation.objects.filter(is_fictional=True, name__in=(POLICE, FIRE))
    }
    return found


def _plan(actor: Actor, details: dict, today: dt.date) -> CommissioningPlan:
    return plans.create_plan(
        actor=actor,
        starts_on=today + dt.timedelta(days=90),
        ends_on=today + dt.timedelta(days=270),
        **details,
    )


def _commission(leads: dict[str, Actor], today: dt.date) -> JointCommission:
    """Brent's plan commissioned with Camden and the fire service, agreed and shares posted."""
    (lead_key, lead_places), *others = BRENT_PARTNERS
    plan = _plan(leads[lead_key], BRENT_PLAN, today)
    commission = commissions.start_commission(
        actor=leads[lead_key], plan=plan, places=lead_places, split_method=SplitMethod.PLACES
    )
    for key, places in others:
        commissions.join_commission(actor=leads[key], commission=commission, places=places)
    places = sum(count for _, count in BRENT_PARTNERS)
    return commissions.agree_commission(
        actor=leads[lead_key],
        commission=commission,
        total_cost=commissions.default_total(plan, places),
    )


def load() -> dict[str, int]:
    """Add the police programme, the fire service's open plan and Brent's joint commission."""
    organisations = _organisations()
    if len(organisations) != 4:
        return {}
    if Programme.objects.filter(host=organisations[POLICE], title=POLICE_TITLE).exists():
        return {}
    leads = {key: _lead(organisation) for key, organisation in organisations.items()}
    if None in leads.values():
        return {}
    today = timezone.localdate()
    services.create_programme(
        actor=leads[POLICE],
        title=POLICE_TITLE,
        kind=Kind.COURSE,
        delivery_mode=Mode.IN_PERSON,
        sharing_policy=Policy.PARTNERS_FROM_START,
        hours=Decimal("6"),
        cost_per_place=Decimal("220"),
        partner_price=Decimal("120"),
        topics=POLICE_TOPICS,
        summary=POLICE_SUMMARY,
        audience="Officers, staff and volunteers who meet victims and witnesses",
    )
    _plan(leads[FIRE], FIRE_PLAN, today)
    _commission(leads, today)
    similar.record_rebuild()
    return {"design-once programmes": 1, "commissioning plans": 2, "joint commissions": 1}
