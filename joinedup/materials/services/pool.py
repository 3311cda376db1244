"""The trainer pool: a trainer joins (or changes their offer), leaves, and keeps availability.

Only the trainer changes their own offer, acting for their current employer, which is the
organisation that lends them; joining needs a current accreditation (not withdrawn, not
expired). Partners must be members of the employer's partnerships. Availability ranges may not
end in the past; a range that overlaps or touches another is merged into it, so an offer's
ranges never overlap. Each write is one transaction with one audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation

from .. import access
from ..models import TrainerAvailability, TrainerOffer
from . import fields
from .fields import WHOLE

NOTE_MAX = 2000
RANGE_NOTE_MAX = 200
DAYS_PER_MONTH_MAX = 31
# How far ahead a range may reach: far enough to plan a year's delivery, not forever.
AVAILABILITY_AHEAD = dt.timedelta(days=2 * 366)

NOT_ACCREDITED = "Only a trainer with a current accreditation can join the trainer pool"
NOT_IN_POOL = "Join the trainer pool before adding availability"


def _today() -> dt.date:
    return timezone.localdate()


def _days_per_month(value: object, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors["days_per_month"] = "Days per month must be a whole number from 1 to 31"
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        errors["days_per_month"] = "Days per month must be a whole number from 1 to 31"
        return None
    if not 1 <= days <= DAYS_PER_MONTH_MAX:
        errors["days_per_month"] = "Days per month must be a whole number from 1 to 31"
        return None
    return days


def _partners(
    actor: Actor, partners: Sequence[Organisation | int], errors: dict[str, str]
) -> list[Organisation]:
    """The chosen partner organisations, each a member of the employer's partnerships."""
    try:
        ids = {p.pk if isinstance(p, Organisation) else int(p) for p in partners}
    except (TypeError, ValueError):
        errors["partners"] = "Choose partner organisations from the list"
        return []
    if not ids:
        return []
    found = list(
        partner_organisations(actor)
        .exclude(pk=actor.organisation_id)
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(found) != len(ids):
        errors["partners"] = "Choose partner organisations from the list"
    return found


def _may_join(actor: Actor) -> None:
    if not access.may_offer_self(actor):
        raise PermissionDenied


def join_pool(
    *,
    actor: Actor,
    days_per_month: object,
    partners: Sequence[Organisation | int],
    note: str = "",
) -> TrainerOffer:
    """Put the actor in the trainer pool, or change their offer: days per month (blank for no
    limit), the partners they deliver for (none for every partner) and a note. Their employer
    is the organisation they act for."""
    _may_join(actor)
    errors: dict[str, str] = {}
    if not access.current_accreditations().filter(person=actor.person).exists():
        errors[WHOLE] = NOT_ACCREDITED
    days = _days_per_month(days_per_month, errors)
    chosen = _partners(actor, partners, errors)
    text = fields.clean_text(note, "note", "a note", NOTE_MAX, errors, required=False)
    fields.refuse_if(errors)
    with transaction.atomic():
        now = timezone.now()
        offer, created = TrainerOffer.objects.select_for_update().get_or_create(
            person=actor.person,
            defaults={"organisation": actor.organisation, "created_at": now},
        )
        rejoined = not created and not offer.is_active
        offer.organisation = actor.organisation
        offer.days_per_month = days
        offer.note = text
        offer.is_active = True
        offer.updated_at = now
        offer.save()
        offer.partners.set(chosen)
        audit.record(
            actor=actor,
            action="trainer_pool.joined" if created or rejoined else "trainer_pool.updated",
            kind="materials.TrainerOffer",
            object_id=offer.pk,
            label="Trainer pool offer",
            organisation=actor.organisation,
            changes={
                "days_per_month": days,
                "partners": [organisation.pk for organisation in chosen],
            },
        )
    return offer


def leave_pool(*, actor: Actor) -> TrainerOffer:
    """Take the actor out of the trainer pool; their offer and ranges stay for a later return."""
    _may_join(actor)
    with transaction.atomic():
        offer = TrainerOffer.objects.select_for_update().filter(person=actor.person).first()
        if offer is None or not offer.is_active:
            raise fields.MaterialRefused(None, "You are not in the trainer pool")
        offer.is_active = False
        offer.updated_at = timezone.now()
        offer.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="trainer_pool.left",
            kind="materials.TrainerOffer",
            object_id=offer.pk,
            label="Trainer pool offer",
            organisation=offer.organisation,
        )
    return offer


def _a_date(value: object, field: str, label: str, errors: dict[str, str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[field] = f"Enter {label} as a real date"
        return None


def add_availability(
    *, actor: Actor, starts_on: object, ends_on: object, note: str = ""
) -> TrainerAvailability:
    """Add a range of dates the actor can deliver on to their offer, merged with any range it
    overlaps or touches. It may start today at the earliest and reach two years ahead."""
    _may_join(actor)
    errors: dict[str, str] = {}
    starts = _a_date(starts_on, "starts_on", "the first date", errors)
    ends = _a_date(ends_on, "ends_on", "the last date", errors)
    text = fields.clean_text(note, "note", "a note", RANGE_NOTE_MAX, errors, required=False)
    today = _today()
    if starts is not None and starts < today:
        errors["starts_on"] = "The first date must be today or later"
    if ends is not None and ends > today + AVAILABILITY_AHEAD:
        errors["ends_on"] = "The last date must be within two years"
    if starts is not None and ends is not None and ends < starts and "ends_on" not in errors:
        errors["ends_on"] = "The last date must be the same as or after the first date"
    fields.refuse_if(errors)
    assert starts is not None and ends is not None
    with transaction.atomic():
        offer = TrainerOffer.objects.select_for_update().filter(person=actor.person).first()
        if offer is None or not offer.is_active:
            raise fields.MaterialRefused(None, NOT_IN_POOL)
        day = dt.timedelta(days=1)
        touching = list(
            offer.availability.filter(starts_on__lte=ends + day, ends_on__gte=starts - day)
        )
        merged_ids = [existing.pk for existing in touching]
        first = min([starts, *(existing.starts_on for existing in touching)])
        last = max([ends, *(existing.ends_on for existing in touching)])
        notes = [existing.note for existing in touching if existing.note]
        if touching:
            TrainerAvailability.objects.filter(pk__in=merged_ids).delete()
        availability = TrainerAvailability.objects.create(
            offer=offer, starts_on=first, ends_on=last, note=text or (notes[0] if notes else "")
        )
        offer.updated_at = timezone.now()
        offer.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="trainer_pool.availability_added",
            kind="materials.TrainerAvailability",
            object_id=availability.pk,
            label=f"{first} to {last}",
            organisation=offer.organisation,
            changes={
                "offer": offer.pk,
                "starts_on": first.isoformat(),
                "ends_on": last.isoformat(),
                "merged": merged_ids,
            },
        )
    return availability


def remove_availability(*, actor: Actor, availability: TrainerAvailability) -> None:
    """Remove one of the actor's own availability ranges."""
    _may_join(actor)
    with transaction.atomic():
        offer = TrainerOffer.objects.select_for_update().filter(person=actor.person).first()
        if offer is None or availability.offer_id != offer.pk:
            raise PermissionDenied
        deleted, _ = TrainerAvailability.objects.filter(pk=availability.pk).delete()
        if not deleted:
            raise fields.MaterialRefused(None, "That range has already been removed")
        offer.updated_at = timezone.now()
        offer.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="trainer_pool.availability_removed",
            kind="materials.TrainerAvailability",
            object_id=availability.pk,
            label=f"{availability.starts_on} to {availability.ends_on}",
            organisation=offer.organisation,
            changes={
                "offer": offer.pk,
                "starts_on": availability.starts_on.isoformat(),
                "ends_on": availability.ends_on.isoformat(),
            },
        )
