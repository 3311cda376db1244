"""Searching the trainer pool, shared by the search page and the API.

The actor's pool (`access.pool_offers`) is narrowed by programme (the trainer holds a current
accreditation of it), lending organisation, and dates (one availability range covers every day
from the first date to the last). Pages are keyset pages in the trainer's name order, and each
page reads its trainers' current accreditations and coming availability in one query each, so a
page costs the same number of queries however large the pool is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from joinedup.learning import access as learning_access
from joinedup.learning.models import Programme
from joinedup.lib.keyset import KeysetPage, keyset_page
from joinedup.partnership.access import partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation

from . import access
from .models import Accreditation, TrainerAvailability, TrainerOffer

PAGE_SIZE = 10
# The trainer's name, then the person (one offer each): the order of the people's name index.
POOL_ORDER = ("person__family_name", "person__given_name", "person_id")
# The longest span of dates one search may ask a trainer to be available for.
LONGEST_SPAN = dt.timedelta(days=366)


@dataclass(frozen=True)
class PoolFilters:
    programme_id: int | None = None
    organisation_id: int | None = None
    available_from: dt.date | None = None
    available_to: dt.date | None = None


def programme_choices(actor: Actor) -> QuerySet[Programme]:
    """Programmes the actor sees that are delivered by accredited trainers, by title."""
    return (
        learning_access.visible_programmes(actor)
        .filter(delivered_by_accredited_trainers=True)
        .order_by("title", "pk")
    )


def lender_choices(actor: Actor) -> QuerySet[Organisation]:
    """Organisations whose trainers the actor could find: their partnerships' members, by name."""
    return partner_organisations(actor).order_by("name", "pk")


def _checked_per_trainer(condition: Exists) -> Q:
    """The condition, checked trainer by trainer as the name order walks the pool.

    A plain EXISTS lets PostgreSQL start from every matching row of the subquery (all of a
    programme's accreditations) and sort the trainers it finds, which grows with the pool; under
    an OR (with a condition that never holds: no person has id 0) it stays a per-row check, so
    the walk down the name index stops after one page (bench/trainer_pool.py, PERFORMANCE.md).
    """
    return Q(condition) | Q(person_id=0)


def _accredited_for(programme_id: int, on: dt.date) -> Q:
    held = access.current_accreditations(on).filter(
        person=OuterRef("person"), programme_id=programme_id
    )
    return _checked_per_trainer(Exists(held))


def _available(first: dt.date, last: dt.date) -> Q:
    covering = TrainerAvailability.objects.filter(
        offer=OuterRef("pk"), starts_on__lte=first, ends_on__gte=last
    )
    return _checked_per_trainer(Exists(covering))


def searched_offers(actor: Actor, filters: PoolFilters) -> QuerySet[TrainerOffer]:
    """The actor's pool narrowed by the filters (unordered, nothing fetched yet)."""
    offers = access.pool_offers(actor)
    today = timezone.localdate()
    if filters.programme_id is not None:
        offers = offers.filter(_accredited_for(filters.programme_id, today))
    else:
        # Only trainers who can deliver something today: a lapsed trainer's offer waits.
        held = access.current_accreditations(today).filter(person=OuterRef("person"))
        offers = offers.filter(Exists(held))
    if filters.organisation_id is not None:
        offers = offers.filter(organisation_id=filters.organisation_id)
    if filters.available_from is not None:
        last = filters.available_to or filters.available_from
        offers = offers.filter(_available(filters.available_from, last))
    return offers


def with_details(offers: QuerySet[TrainerOffer]) -> QuerySet[TrainerOffer]:
    """Each offer with its trainer, employer, current accreditations (`current`, with their
    programmes) and coming availability (`coming`), read once per page."""
    today = timezone.localdate()
    current = (
        access.current_accreditations(today)
        .select_related("programme")
        .order_by("programme__title", "programme_id", "-accredited_on")
    )
    coming = TrainerAvailability.objects.filter(ends_on__gte=today).order_by("starts_on")
    return offers.select_related("person", "organisation").prefetch_related(
        Prefetch("person__accreditations", queryset=current, to_attr="current"),
        Prefetch("availability", queryset=coming, to_attr="coming"),
    )


def search_pool(
    actor: Actor,
    filters: PoolFilters,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of the actor's pool, narrowed by the filters, in the trainers' name order."""
    offers = with_details(searched_offers(actor, filters))
    return keyset_page(offers, POOL_ORDER, after=after, before=before, size=size)


def accredited_programmes(offer: TrainerOffer) -> list[Accreditation]:
    """The trainer's current accreditations on a searched page, one per programme."""
    seen: set[int] = set()
    kept = []
    for accreditation in offer.person.current:
        if accreditation.programme_id not in seen:
            seen.add(accreditation.programme_id)
            kept.append(accreditation)
    return kept
