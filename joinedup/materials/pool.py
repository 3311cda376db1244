"""Which dates a pooled trainer cannot deliver for an organisation, and why.

`unavailable_dates` is what a delivery request checks before it is made (and again when it is
approved): the trainer's offer must be active and open to the requesting organisation, each date
must fall inside one of the offer's availability ranges, must not already be booked, and the
month's days must stay within the offer's days per month. Dates that pass are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from joinedup.materials.models import (
    DeliveryDay,
    DeliveryRequest,
    DeliveryStatus,
    TrainerOffer,
)
from joinedup.partnership.models import Organisation, Person

NO_OFFER = "The trainer is not in the trainer pool."
NOT_FOR_ORGANISATION = "The trainer does not deliver for {organisation}."
OUTSIDE_AVAILABILITY = "The trainer has not said they are available on this date."
ALREADY_BOOKED = "The trainer is already asked to deliver on this date."
MONTH_FULL = "The trainer offers {days} a month and {month} would need {needed}."

# Requests that no longer hold the trainer's days.
RELEASED_STATUSES = (DeliveryStatus.DECLINED, DeliveryStatus.WITHDRAWN)


def _month(day: dt.date) -> tuple[int, int]:
    return (day.year, day.month)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def unavailable_dates(
    *,
    trainer: Person,
    organisation: Organisation,
    dates: Sequence[dt.date],
    excluding: DeliveryRequest | None = None,
) -> dict[dt.date, str]:
    """Each of `dates` the trainer cannot deliver on for `organisation`, with the reason."""
    wanted = sorted(set(dates))
    if not wanted:
        return {}
    offer = TrainerOffer.objects.filter(person=trainer, is_active=True).first()
    if offer is None:
        return dict.fromkeys(wanted, NO_OFFER)
    partner_ids = set(offer.partners.values_list("pk", flat=True))
    if partner_ids and organisation.pk not in partner_ids:
        reason = NOT_FOR_ORGANISATION.format(organisation=organisation.name)
        return dict.fromkeys(wanted, reason)

    ranges = list(
        offer.availability.filter(starts_on__lte=wanted[-1], ends_on__gte=wanted[0]).values_list(
            "starts_on", "ends_on"
        )
    )
    booked_days = DeliveryDay.objects.filter(request__trainer=trainer).exclude(
        request__status__in=RELEASED_STATUSES
    )
    if excluding is not None and excluding.pk is not None:
        booked_days = booked_days.exclude(request=excluding)
    months = {_month(day) for day in wanted}
    first_of_month = min(dt.date(year, month, 1) for year, month in months)
    booked = list(booked_days.filter(date__gte=first_of_month).values_list("date", flat=True))
    booked_per_month = Counter(_month(day) for day in booked if _month(day) in months)
    wanted_per_month = Counter(_month(day) for day in wanted)

    refused: dict[dt.date, str] = {}
    booked_set = set(booked)
    for day in wanted:
        if not any(starts <= day <= ends for starts, ends in ranges):
            refused[day] = OUTSIDE_AVAILABILITY
        elif day in booked_set:
            refused[day] = ALREADY_BOOKED
    if offer.days_per_month is not None:
        for day in wanted:
            month = _month(day)
            needed = booked_per_month[month] + wanted_per_month[month]
            if day not in refused and needed > offer.days_per_month:
                refused[day] = MONTH_FULL.format(
                    days=_days(offer.days_per_month), month=f"{day:%B %Y}", needed=_days(needed)
                )
    return refused
