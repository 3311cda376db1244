"""Opportunities a host organisation offers across the partnership: create, change, close and
withdraw. Only the host's L&D leads and organisation admins, acting for it, write them.

Each write is one transaction with one audit entry. Errors name the field (a ValidationError
whose keys are the field names below). Skills are typed names resolved to the partnership's
vocabulary (`skills.resolve`), so a synonym lands on its canonical skill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import acting_partnerships, partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, Partnership, Sector

from . import access, skills
from .models import (
    Audience,
    Opportunity,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)

FIELDS = (
    "kind",
    "title",
    "description",
    "seniority_min",
    "seniority_max",
    "starts_on",
    "duration_months",
    "time_share",
    "location",
    "remote",
    "closes_on",
    "audience",
)
LIST_FIELDS = ("essential_skills", "desirable_skills", "audience_organisations", "audience_sectors")
TEXT_LIMITS = {"title": 200, "description": 10_000, "location": 200}
MAX_SKILLS = 20
MAX_DURATION_MONTHS = 60
LABELS = {
    "kind": "Kind",
    "title": "Title",
    "description": "Description",
    "seniority_min": "Lowest seniority",
    "seniority_max": "Highest seniority",
    "starts_on": "Start date",
    "duration_months": "Duration",
    "time_share": "Share of time",
    "location": "Location",
    "closes_on": "Closing date",
    "audience": "Who may apply",
}


def _text(value: object, field: str, errors: dict[str, str]) -> str:
    text = str(value if value is not None else "").strip()
    if "\x00" in text:
        errors[field] = f"{LABELS[field]} must not contain NUL characters"
    elif len(text) > TEXT_LIMITS[field]:
        errors[field] = f"{LABELS[field]} must be {TEXT_LIMITS[field]:,} characters or fewer"
    return text


def _whole(value: object, field: str, low: int, high: int, errors: dict[str, str]) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value if value is not None else "").strip())
    except ValueError:
        errors[field] = f"{LABELS[field]} must be a whole number from {low} to {high}"
        return low
    if not low <= number <= high:
        errors[field] = f"{LABELS[field]} must be from {low} to {high}"
    return number


def _date(value: object, field: str, errors: dict[str, str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        errors[field] = f"Enter the {LABELS[field].lower()}"
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = f"{LABELS[field]} must be a real date, like 2027-04-01"
        return None


def _skill_names(value: Iterable[str], field: str, errors: dict[str, str]) -> list[str]:
    names: list[str] = []
    for name in value or ():
        cleaned = skills.clean_name(name)
        if not cleaned:
            continue
        if "\x00" in cleaned or len(cleaned) > skills.NAME_LIMIT:
            errors[field] = f"Each skill must be {skills.NAME_LIMIT} characters or fewer"
            return []
        if skills.key_of(cleaned) not in {skills.key_of(n) for n in names}:
            names.append(cleaned)
    if len(names) > MAX_SKILLS:
        errors[field] = f"Give at most {MAX_SKILLS} skills"
    return names


def opportunity_values(
    *,
    actor: Actor,
    kind: str,
    title: str,
    description: str,
    starts_on: dt.date | str | None,
    duration_months: int | str,
    closes_on: dt.date | str | None,
    seniority_min: int | str = 1,
    seniority_max: int | str = 9,
    time_share: int | str = 100,
    location: str = "",
    remote: bool = False,
    audience: str = Audience.PARTNERSHIP,
    essential_skills: Sequence[str] = (),
    desirable_skills: Sequence[str] = (),
    audience_organisations: Sequence[int] = (),
    audience_sectors: Sequence[str] = (),
    today: dt.date | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An opportunity's checked fields and its lists (skills, audience); a ValidationError names
    each bad field."""
    errors: dict[str, str] = {}
    if kind not in OpportunityKind.values:
        errors["kind"] = "Choose a kind of opportunity from the list"
    if audience not in Audience.values:
        errors["audience"] = "Choose who may apply from the list"
    values: dict[str, Any] = {
        "kind": kind,
        "title": _text(title, "title", errors),
        "description": _text(description, "description", errors),
        "seniority_min": _whole(seniority_min, "seniority_min", 1, 9, errors),
        "seniority_max": _whole(seniority_max, "seniority_max", 1, 9, errors),
        "starts_on": _date(starts_on, "starts_on", errors),
        "duration_months": _whole(
            duration_months, "duration_months", 1, MAX_DURATION_MONTHS, errors
        ),
        "time_share": _whole(time_share, "time_share", 1, 100, errors),
        "location": _text(location, "location", errors),
        "remote": bool(remote),
        "closes_on": _date(closes_on, "closes_on", errors),
        "audience": audience,
    }
    if "title" not in errors and not values["title"]:
        errors["title"] = "Enter a title"
    if "description" not in errors and not values["description"]:
        errors["description"] = "Enter a description"
    if (
        "seniority_min" not in errors
        and "seniority_max" not in errors
        and values["seniority_min"] > values["seniority_max"]
    ):
        errors["seniority_max"] = "Highest seniority must be the same as or above the lowest"
    if not values["remote"] and not values["location"] and "location" not in errors:
        errors["location"] = "Enter a location, or say the opportunity can be done remotely"
    starts, closes = values["starts_on"], values["closes_on"]
    if closes is not None and closes < (today or timezone.localdate()):
        errors["closes_on"] = "Closing date must be today or later"
    elif starts is not None and closes is not None and closes > starts:
        errors["closes_on"] = "Closing date must be on or before the start date"
    lists: dict[str, Any] = {
        "essential_skills": _skill_names(essential_skills, "essential_skills", errors),
        "desirable_skills": _skill_names(desirable_skills, "desirable_skills", errors),
        "audience_organisations": [],
        "audience_sectors": [],
    }
    essential_keys = {skills.key_of(n) for n in lists["essential_skills"]}
    lists["desirable_skills"] = [
        n for n in lists["desirable_skills"] if skills.key_of(n) not in essential_keys
    ]
    if audience == Audience.ORGANISATIONS:
        lists["audience_organisations"] = _audience_organisations(
            actor, audience_organisations, errors
        )
    elif audience == Audience.SECTORS:
        chosen = sorted({str(s) for s in audience_sectors or ()})
        if not chosen:
            errors["audience_sectors"] = "Choose at least one sector"
        elif any(s not in Sector.values for s in chosen):
            errors["audience_sectors"] = "Choose sectors from the list"
        lists["audience_sectors"] = chosen
    if errors:
        raise ValidationError(errors)
    return values, lists


def _audience_organisations(
    actor: Actor, chosen: Sequence[int], errors: dict[str, str]
) -> list[Organisation]:
    try:
        ids = sorted({int(pk) for pk in chosen or ()})
    except (TypeError, ValueError):
        errors["audience_organisations"] = "Choose organisations from the list"
        return []
    if not ids:
        errors["audience_organisations"] = "Choose at least one organisation"
        return []
    members = list(partner_organisations(actor).filter(pk__in=ids))
    if len(members) != len(ids):
        errors["audience_organisations"] = "Choose organisations that are partnership members"
    return members


def _partnership(actor: Actor) -> Partnership:
    partnerships = acting_partnerships(actor)
    if not partnerships:
        raise ValidationError("Your organisation is not a member of a partnership")
    return partnerships[0]


def _set_lists(opportunity: Opportunity, actor: Actor, lists: dict[str, Any]) -> None:
    wanted = [
        *(
            (skill, True)
            for skill in skills.resolve(
                opportunity.partnership, lists["essential_skills"], actor.person
            )
        ),
        *(
            (skill, False)
            for skill in skills.resolve(
                opportunity.partnership, lists["desirable_skills"], actor.person
            )
        ),
    ]
    seen: set[int] = set()
    rows = []
    for skill, essential in wanted:
        # Two typed names may be synonyms of one skill: the first (essential) wins.
        if skill.pk not in seen:
            seen.add(skill.pk)
            rows.append(OpportunitySkill(opportunity=opportunity, skill=skill, essential=essential))
    OpportunitySkill.objects.filter(opportunity=opportunity).delete()
    OpportunitySkill.objects.bulk_create(rows)
    opportunity.audience_organisations.set(lists["audience_organisations"])


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def current_lists(opportunity: Opportunity) -> dict[str, Any]:
    """The opportunity's skills by name and its audience, as the services take them."""
    wanted = list(opportunity.opportunity_skills.select_related("skill"))
    return {
        "essential_skills": [w.skill.name for w in wanted if w.essential],
        "desirable_skills": [w.skill.name for w in wanted if not w.essential],
        "audience_organisations": sorted(
            opportunity.audience_organisations.values_list("pk", flat=True)
        ),
        "audience_sectors": list(opportunity.audience_sectors),
    }


def create_opportunity(*, actor: Actor, **fields: Any) -> Opportunity:
    """The acting organisation's L&D lead or admin offers an opportunity (open at once)."""
    if not access.may_host(actor):
        raise PermissionDenied
    unknown = fields.keys() - {*FIELDS, *LIST_FIELDS}
    if unknown:
        raise TypeError(f"create_opportunity() got unexpected fields {sorted(unknown)}")
    values, lists = opportunity_values(actor=actor, **fields)
    with transaction.atomic():
        opportunity = Opportunity.objects.create(
            partnership=_partnership(actor),
            host=actor.organisation,
            contact=actor.person,
            created_by=actor.person,
            audience_sectors=lists["audience_sectors"],
            status=OpportunityStatus.OPEN,
            **values,
        )
        _set_lists(opportunity, actor, lists)
        audit.record(
            actor=actor,
            action="opportunity.created",
            kind="opportunity",
            object_id=opportunity.pk,
            label=opportunity.title,
            organisation=opportunity.host,
            partnership=opportunity.partnership,
            changes={k: _plain(v) for k, v in values.items() if k != "description"},
        )
    return opportunity


def update_opportunity(
    *, actor: Actor, opportunity: Opportunity, **fields: Any
) -> dict[str, tuple]:
    """The host changes an open or closed opportunity; each changed field as (before, after)."""
    if not access.may_manage_opportunity(actor, opportunity):
        raise PermissionDenied
    unknown = fields.keys() - {*FIELDS, *LIST_FIELDS}
    if unknown:
        raise TypeError(f"update_opportunity() got unexpected fields {sorted(unknown)}")
    if opportunity.status not in (OpportunityStatus.OPEN, OpportunityStatus.CLOSED):
        raise ValidationError("Only an open or closed opportunity can be changed")
    before = {field: getattr(opportunity, field) for field in FIELDS}
    before_lists = current_lists(opportunity)
    merged = {**before, **before_lists, **fields}
    # An unchanged closing date in the past stays acceptable on a closed opportunity.
    today = timezone.localdate()
    if "closes_on" not in fields:
        today = min(today, before["closes_on"])
    values, lists = opportunity_values(actor=actor, today=today, **merged)
    changed: dict[str, tuple] = {
        field: (before[field], value) for field, value in values.items() if before[field] != value
    }
    new_lists = {
        "essential_skills": lists["essential_skills"],
        "desirable_skills": lists["desirable_skills"],
        "audience_organisations": [o.pk for o in lists["audience_organisations"]],
        "audience_sectors": lists["audience_sectors"],
    }
    for field, value in new_lists.items():
        if value != before_lists[field]:
            changed[field] = (before_lists[field], value)
    if not changed:
        return changed
    with transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(
            audience_sectors=lists["audience_sectors"], **values
        )
        for field, value in values.items():
            setattr(opportunity, field, value)
        opportunity.audience_sectors = lists["audience_sectors"]
        _set_lists(opportunity, actor, lists)
        audit.record(
            actor=actor,
            action="opportunity.updated",
            kind="opportunity",
            object_id=opportunity.pk,
            label=opportunity.title,
            organisation=opportunity.host,
            partnership=opportunity.partnership,
            changes={
                field: _plain(after) if field != "description" else "changed"
                for field, (_, after) in changed.items()
            },
        )
    return changed


def _end(actor: Actor, opportunity: Opportunity, status: str, allowed: tuple, action: str):
    if not access.may_manage_opportunity(actor, opportunity):
        raise PermissionDenied
    with transaction.atomic():
        ended = Opportunity.objects.filter(pk=opportunity.pk, status__in=allowed).update(
            status=status
        )
        if not ended:
            label = OpportunityStatus(opportunity.status).label.lower()
            raise ValidationError(f"This opportunity is {label}: it cannot be {action} now")
        opportunity.status = status
        audit.record(
            actor=actor,
            action=f"opportunity.{action}",
            kind="opportunity",
            object_id=opportunity.pk,
            label=opportunity.title,
            organisation=opportunity.host,
            partnership=opportunity.partnership,
        )
    return opportunity


def close_opportunity(*, actor: Actor, opportunity: Opportunity) -> Opportunity:
    """The host stops taking applications; live applications carry on to a decision."""
    return _end(actor, opportunity, OpportunityStatus.CLOSED, (OpportunityStatus.OPEN,), "closed")


def reopen_opportunity(*, actor: Actor, opportunity: Opportunity) -> Opportunity:
    """The host takes applications again on a closed opportunity (closing date permitting)."""
    if opportunity.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": "Move the closing date to today or later first"})
    return _end(actor, opportunity, OpportunityStatus.OPEN, (OpportunityStatus.CLOSED,), "reopened")


def withdraw_opportunity(*, actor: Actor, opportunity: Opportunity) -> Opportunity:
    """The host withdraws the opportunity: it is hidden from everyone but the host."""
    return _end(
        actor,
        opportunity,
        OpportunityStatus.WITHDRAWN,
        (OpportunityStatus.OPEN, OpportunityStatus.CLOSED, OpportunityStatus.DRAFT),
        "withdrawn",
    )
