"""An enrolment through the real statements and payments: version 1 issued on enrolling, the
three signatures in turn make it active and start its levy payments, a break and a withdrawal are
passed on, and nothing but withdrawal happens before the third signature."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from joinedup.apprenticeships import enrolments, statements
from joinedup.apprenticeships.models import EnrolmentStatus, FundingRoute

from .enrolments_data import cohort_fixture, enrol, own_levy_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


def test_three_signatures_start_the_levy_payments_and_the_status_passes_on(world, cohort, own_levy):
    made = enrol(world, cohort)
    assert made.funding_route == FundingRoute.LEVY
    version = made.commitment_statements.get()
    assert version.version == 1
    with pytest.raises(ValidationError):
        enrolments.change_status(
            actor=world.actor("own_ld_lead"),
            enrolment=made,
            status=S.ON_BREAK,
            effective_on=dt.date(2026, 10, 1),
            reason="Too early",
        )
    for persona in ("apprentice", "own_ld_lead"):
        statements.sign(actor=world.actor(persona), statement=version)
        made.refresh_from_db()
        assert made.status == S.AWAITING_COMMITMENT and made.levy_commitment is None
    statements.sign(actor=world.actor("programme_leader"), statement=version)
    made.refresh_from_db()
    assert made.status == S.ACTIVE
    assert made.levy_commitment is not None
    enrolments.change_status(
        actor=world.actor("own_ld_lead"),
        enrolment=made,
        status=S.ON_BREAK,
        effective_on=dt.date(2027, 1, 4),
        reason="Illness",
    )
    enrolments.change_status(
        actor=world.actor("programme_leader"),
        enrolment=made,
        status=S.WITHDRAWN,
        effective_on=dt.date(2027, 3, 1),
        reason="Left",
    )
    made.refresh_from_db()
    assert [h.status for h in made.history.order_by("changed_at", "id")] == [
        S.AWAITING_COMMITMENT,
        S.ACTIVE,
        S.ON_BREAK,
        S.WITHDRAWN,
    ]
