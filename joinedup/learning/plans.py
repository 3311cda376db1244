"""Commissioning plans: a programme an organisation intends to design or buy ("design once").

Each write is one transaction with one audit entry, and logs a similarity change so every
process's index of similar items sees the plan (`similar.record_change`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access, similar
from .models import CommissioningPlan, PlanStatus, Topic

PLAN_FIELDS = (
    "title",
    "need",
    "audience",
    "estimated_design_cost",
    "delivery_cost_per_place",
    "expected_learners",
    "starts_on",
    "ends_on",
)
AMOUNT_LIMIT = Decimal("100000000")
LEARNERS_LIMIT = 1_000_000
MAX_TOPICS = 20
TEXT_LIMITS = {"title": 200, "need": 5_000, "audience": 300}
LABELS = {
    "title": "Title",
    "need": "Need",
    "audience": "Audience",
    "estimated_design_cost": "Estimated design cost",
    "delivery_cost_per_place": "Delivery cost per place",
    "expected_learners": "Expected learners",
    "starts_on": "Start date",
    "ends_on": "End date",
}


def _text(value: object, field: str, errors: dict[str, str]) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors[field] = f"{LABELS[field]} must not contain NUL characters"
    elif len(text) > TEXT_LIMITS[field]:
        errors[field] = f"{LABELS[field]} must be {TEXT_LIMITS[field]:,} characters or fewer"
    return text


def _amount(value: object, field: str, errors: dict[str, str]) -> Decimal:
    """A non-negative amount in pounds with at most two decimal places."""
    label = LABELS[field]
    try:
        amount = Decimal(str(value if value is not None else "").strip() or "0")
    except InvalidOperation:
        errors[field] = f"{label} must be an amount in pounds, like 1500 or 1500.50"
        return Decimal("0")
    if not amount.is_finite() or amount < 0:
        errors[field] = f"{label} must be 0 or more"
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors[field] = f"{label} must have no more than 2 decimal places"
    elif amount >= AMOUNT_LIMIT:
        errors[field] = f"{label} must be less than {AMOUNT_LIMIT:,}"
    return amount


def _learners(value: object, errors: dict[str, str]) -> int:
    try:
        learners = int(str(value if value is not None else "").strip() or "0")
    except ValueError:
        errors["expected_learners"] = "Expected learners must be a whole number, like 40"
        return 0
    if not 0 <= learners <= LEARNERS_LIMIT:
        errors["expected_learners"] = f"Expected learners must be from 0 to {LEARNERS_LIMIT:,}"
    return learners


def _date(value: object, field: str, errors: dict[str, str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = f"{LABELS[field]} must be a real date, like 2027-04-01"
        return None


def plan_values(
    *,
    title: str,
    need: str,
    audience: str = "",
    topics: Sequence[str] = (),
    estimated_design_cost: Decimal | str = Decimal("0"),
    delivery_cost_per_place: Decimal | str = Decimal("0"),
    expected_learners: int | str = 0,
    starts_on: dt.date | str | None = None,
    ends_on: dt.date | str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """A plan's checked fields and topic names; a ValidationError names each bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "title": _text(title, "title", errors),
        "need": _text(need, "need", errors),
        "audience": _text(audience, "audience", errors),
        "estimated_design_cost": _amount(estimated_design_cost, "estimated_design_cost", errors),
        "delivery_cost_per_place": _amount(
            delivery_cost_per_place, "delivery_cost_per_place", errors
        ),
        "expected_learners": _learners(expected_learners, errors),
        "starts_on": _date(starts_on, "starts_on", errors),
        "ends_on": _date(ends_on, "ends_on", errors),
    }
    if "title" not in errors and not values["title"]:
        errors["title"] = "Enter a title"
    if "need" not in errors and not values["need"]:
        errors["need"] = "Enter the need the programme meets"
    starts, ends = values["starts_on"], values["ends_on"]
    if starts is not None and ends is not None and ends < starts:
        errors["ends_on"] = "End date must be the same as or after the start date"
    names = sorted({" ".join(str(name).split()) for name in topics} - {""})
    if len(names) > MAX_TOPICS:
        errors["topics"] = f"Give at most {MAX_TOPICS} topics"
    elif any(len(name) > 100 or "\x00" in name for name in names):
        errors["topics"] = "Each topic must be 100 characters or fewer"
    if errors:
        raise ValidationError(errors)
    return values, names


def _set_topics(plan: CommissioningPlan, names: list[str]) -> None:
    if names:
        Topic.objects.bulk_create([Topic(name=name) for name in names], ignore_conflicts=True)
    plan.topics.set(Topic.objects.filter(name__in=names))


def _plain(value: object) -> object:
    """A value the audit log's JSON can hold."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def create_plan(*, actor: Actor, **fields: Any) -> CommissioningPlan:
    """The acting organisation's L&D lead or programme leader records a plan (open)."""
    if not access.may_plan(actor):
        raise PermissionDenied
    unknown = fields.keys() - {*PLAN_FIELDS, "topics"}
    if unknown:
        raise TypeError(f"create_plan() got unexpected fields {sorted(unknown)}")
    values, names = plan_values(**fields)
    with transaction.atomic():
        plan = CommissioningPlan.objects.create(
            organisation=actor.organisation, created_by=actor.person, **values
        )
        _set_topics(plan, names)
        similar.record_change(similar.PLAN, plan.pk)
        audit.record(
            actor=actor,
            action="plan.created",
            kind="commissioning_plan",
            object_id=plan.pk,
            label=plan.title,
            organisation=actor.organisation,
            changes={**{k: _plain(v) for k, v in values.items() if k != "need"}, "topics": names},
        )
    return plan


def update_plan(*, actor: Actor, plan: CommissioningPlan, **fields: Any) -> dict[str, tuple]:
    """The plan's organisation changes an open plan; each changed field as (before, after)."""
    if not access.may_change_plan(actor, plan):
        raise PermissionDenied
    unknown = fields.keys() - {*PLAN_FIELDS, "topics"}
    if unknown:
        raise TypeError(f"update_plan() got unexpected fields {sorted(unknown)}")
    if plan.status != PlanStatus.OPEN:
        raise ValidationError("Only an open plan can be changed")
    before = {field: getattr(plan, field) for field in PLAN_FIELDS}
    before_topics = sorted(plan.topics.values_list("name", flat=True))
    values, names = plan_values(**{**before, "topics": before_topics, **fields})
    changed: dict[str, tuple] = {
        field: (before[field], value) for field, value in values.items() if before[field] != value
    }
    if names != before_topics:
        changed["topics"] = (before_topics, names)
    if not changed:
        return changed
    with transaction.atomic():
        values["updated_at"] = timezone.now()
        CommissioningPlan.objects.filter(pk=plan.pk).update(**values)
        for field, value in values.items():
            setattr(plan, field, value)
        if "topics" in changed:
            _set_topics(plan, names)
        if changed.keys() & {"title", "need", "audience", "topics"}:
            similar.record_change(similar.PLAN, plan.pk)
        audit.record(
            actor=actor,
            action="plan.updated",
            kind="commissioning_plan",
            object_id=plan.pk,
            label=plan.title,
            organisation=plan.organisation,
            # The need is free text, so the log says that it changed, not what it says.
            changes={
                field: _plain(after) if field != "need" else "changed"
                for field, (_, after) in changed.items()
            },
        )
    return changed


def close_plan(*, actor: Actor, plan: CommissioningPlan) -> CommissioningPlan:
    """The plan's organisation closes an open plan: it is no longer offered as a similar item."""
    if not access.may_change_plan(actor, plan):
        raise PermissionDenied
    with transaction.atomic():
        closed = CommissioningPlan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).update(
            status=PlanStatus.CLOSED, updated_at=timezone.now()
        )
        if not closed:
            raise ValidationError("This plan is already closed or commissioned")
        plan.status = PlanStatus.CLOSED
        similar.record_change(similar.PLAN, plan.pk)
        audit.record(
            actor=actor,
            action="plan.closed",
            kind="commissioning_plan",
            object_id=plan.pk,
            label=plan.title,
            organisation=plan.organisation,
        )
    return plan
