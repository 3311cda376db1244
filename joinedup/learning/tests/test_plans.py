"""Commissioning plans: who records, changes and closes them, the rules each field follows, and
the audit entry of each write (learning/plans.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.learning import plans, similar
from joinedup.learning.models import CommissioningPlan, PlanStatus, SimilarityChange
from joinedup.partnership.models import AuditEvent

VALUES = {
    "title": "Coaching conversations for managers",
    "need": "New managers avoid difficult conversations",
    "topics": ["Coaching", "Leadership"],
    "estimated_design_cost": "12000",
    "delivery_cost_per_place": "85.50",
    "expected_learners": "60",
    "starts_on": dt.date(2027, 4, 1),
    "ends_on": dt.date(2028, 3, 31),
}


@pytest.fixture(autouse=True)
def _fresh_index():
    similar.reset_for_tests()
    yield
    similar.reset_for_tests()


def refusal(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


def test_ld_lead_records_a_plan_with_an_audit_entry_and_a_similarity_change(world):
    plan = plans.create_plan(actor=world.actor("own_ld_lead"), **VALUES)

    assert plan.organisation == world.own and plan.status == PlanStatus.OPEN
    assert plan.estimated_design_cost == Decimal("12000")
    assert plan.delivery_cost_per_place == Decimal("85.50")
    assert sorted(plan.topics.values_list("name", flat=True)) == ["Coaching", "Leadership"]
    event = AuditEvent.objects.get(action="plan.created")
    assert event.object_id == str(plan.pk) and "need" not in event.changes
    assert SimilarityChange.objects.filter(kind="plan", object_id=plan.pk).count() == 1


@pytest.mark.parametrize("persona", ["own_staff", "own_admin", "partnership_lead", "anonymous"])
def test_only_leads_and_programme_leaders_record_plans(world, persona):
    with pytest.raises(PermissionDenied):
        plans.create_plan(actor=world.actor(persona), **VALUES)
    assert not CommissioningPlan.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "Enter a title"),
        ("title", "x" * 201, "Title must be 200 characters or fewer"),
        ("need", "", "Enter the need the programme meets"),
        ("estimated_design_cost", "lots", "Estimated design cost must be an amount in pounds"),
        ("estimated_design_cost", "-1", "Estimated design cost must be 0 or more"),
        ("delivery_cost_per_place", "1.234", "no more than 2 decimal places"),
        ("delivery_cost_per_place", "NaN", "Delivery cost per place must be 0 or more"),
        ("expected_learners", "many", "Expected learners must be a whole number"),
        ("expected_learners", "-3", "Expected learners must be from 0"),
        ("ends_on", dt.date(2027, 3, 1), "End date must be the same as or after the start date"),
        ("starts_on", "2027-02-30", "Start date must be a real date"),
        ("topics", ["x" * 101], "Each topic must be 100 characters or fewer"),
        ("need", "a\x00b", "Need must not contain NUL characters"),
    ],
)
def test_a_bad_field_is_refused_naming_it(world, field, value, message):
    with pytest.raises(ValidationError) as error:
        plans.create_plan(actor=world.actor("own_ld_lead"), **{**VALUES, field: value})

    assert message in " ".join(refusal(error)[field])


def test_owner_changes_a_plan_and_only_text_changes_reach_the_index(world):
    plan = plans.create_plan(actor=world.actor("own_ld_lead"), **VALUES)
    before = SimilarityChange.objects.count()

    changed = plans.update_plan(actor=world.actor("own_ld_lead"), plan=plan, expected_learners=80)
    assert changed == {"expected_learners": (60, 80)}
    assert SimilarityChange.objects.count() == before

    plans.update_plan(actor=world.actor("own_ld_lead"), plan=plan, title="Coaching for all")
    assert SimilarityChange.objects.count() == before + 1
    assert AuditEvent.objects.filter(action="plan.updated").count() == 2
    plan.refresh_from_db()
    assert plan.title == "Coaching for all" and plan.expected_learners == 80


def test_a_partner_may_not_change_or_close_a_plan(world):
    plan = plans.create_plan(actor=world.actor("own_ld_lead"), **VALUES)

    with pytest.raises(PermissionDenied):
        plans.update_plan(actor=world.actor("partner_ld_lead"), plan=plan, title="Mine now")
    with pytest.raises(PermissionDenied):
        plans.close_plan(actor=world.actor("partner_ld_lead"), plan=plan)


def test_a_closed_plan_cannot_be_changed_or_closed_again(world):
    plan = plans.create_plan(actor=world.actor("own_ld_lead"), **VALUES)
    plans.close_plan(actor=world.actor("own_ld_lead"), plan=plan)

    with pytest.raises(ValidationError):
        plans.update_plan(actor=world.actor("own_ld_lead"), plan=plan, title="Again")
    with pytest.raises(ValidationError):
        plans.close_plan(actor=world.actor("own_ld_lead"), plan=plan)
    assert AuditEvent.objects.filter(action="plan.closed").count() == 1
