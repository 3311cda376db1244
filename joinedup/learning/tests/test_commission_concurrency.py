"""A joint commission agreed twice at once, or joined while it is agreed, posts each share once.

Each thread works through the real services on its own database connection, so these need a
database with two writers: a file-based SQLite test database or PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from joinedup.learning import commissions
from joinedup.learning.models import CommissioningPlan, CommissionStatus, JointCommission
from joinedup.learning.tests.test_booking_concurrency import needs_two_writers
from joinedup.learning.tests.test_reservation_concurrency import all_at_once, ld_lead
from joinedup.partnership.models import RechargeEntry
from joinedup.partnership.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
)


def forming(partners: int) -> tuple[JointCommission, object, list]:
    """A forming commission with a lead and `partners` joined partners, and their L&D leads."""
    partnership = PartnershipFactory()
    lead_org = OrganisationFactory()
    others = [OrganisationFactory() for _ in range(partners + 1)]
    for organisation in (lead_org, *others):
        MembershipFactory(partnership=partnership, organisation=organisation)
    plan = CommissioningPlan.objects.create(
        organisation=lead_org,
        title="Shared induction",
        need="Everyone needs it",
        estimated_design_cost=Decimal("10000"),
    )
    lead = ld_lead(lead_org)
    commission = commissions.start_commission(actor=lead, plan=plan, places=10)
    leads = [ld_lead(organisation) for organisation in others]
    for actor in leads[:partners]:
        commissions.join_commission(actor=actor, commission=commission, places=5)
    return commission, lead, leads


@pytest.mark.django_db(transaction=True)
def test_agreeing_twice_at_once_posts_each_share_once():
    needs_two_writers()
    commission, lead, _ = forming(partners=3)

    errors = all_at_once(
        [lambda: commissions.agree_commission(actor=lead, commission=commission)] * 4
    )

    assert len(errors) == 3
    assert all(isinstance(error, commissions.CommissionRefused) for error in errors)
    entries = RechargeEntry.objects.filter(source_id=str(commission.pk))
    assert entries.count() == 3
    commission.refresh_from_db()
    shares = [member.share for member in commission.partners.all()]
    assert sum(shares) == commission.total_cost


@pytest.mark.django_db(transaction=True)
def test_a_join_racing_the_agreement_is_either_counted_or_refused():
    needs_two_writers()
    commission, lead, leads = forming(partners=1)
    late = leads[1]

    all_at_once(
        [
            lambda: commissions.agree_commission(actor=lead, commission=commission),
            lambda: commissions.join_commission(actor=late, commission=commission, places=5),
        ]
    )

    commission.refresh_from_db()
    assert commission.status == CommissionStatus.AGREED
    members = list(commission.partners.all())
    assert all(member.share is not None for member in members)
    assert sum(member.share for member in members) == commission.total_cost
    posted = RechargeEntry.objects.filter(source_id=str(commission.pk)).count()
    assert posted == len(members) - 1
