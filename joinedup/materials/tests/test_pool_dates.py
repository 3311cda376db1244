"""pool.unavailable_dates: which dates a pooled trainer cannot deliver on, and why."""

from __future__ import annotations

import datetime as dt

import pytest

from joinedup.materials import pool
from joinedup.materials.models import DeliveryStatus
from joinedup.materials.tests.pool_factories import (
    DeliveryDayFactory,
    DeliveryRequestFactory,
    TrainerAvailabilityFactory,
    TrainerOfferFactory,
)
from joinedup.partnership.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MARCH_2 = dt.date(2027, 3, 2)
MARCH_3 = dt.date(2027, 3, 3)
APRIL_6 = dt.date(2027, 4, 6)


@pytest.fixture
def offer():
    """An active offer of two days a month, available all of 2027."""
    offer = TrainerOfferFactory(days_per_month=2)
    TrainerAvailabilityFactory(offer=offer)
    return offer


@pytest.fixture
def council():
    return OrganisationFactory(name="Riverside Council")


def unavailable(offer, organisation, dates, excluding=None):
    return pool.unavailable_dates(
        trainer=offer.person, organisation=organisation, dates=dates, excluding=excluding
    )


def booked(offer, *dates, status=DeliveryStatus.AWAITING_TRAINER):
    request = DeliveryRequestFactory(
        trainer=offer.person, lending_organisation=offer.organisation, status=status
    )
    for date in dates:
        DeliveryDayFactory(request=request, date=date)
    return request


def test_available_dates_are_left_out(offer, council):
    assert unavailable(offer, council, [MARCH_2, MARCH_3]) == {}


def test_no_dates_asks_nothing(offer, council, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert unavailable(offer, council, []) == {}


def test_trainer_without_an_offer_is_unavailable_every_date(council):
    offer = TrainerOfferFactory()
    offer.delete()
    assert unavailable(offer, council, [MARCH_2]) == {MARCH_2: pool.NO_OFFER}


def test_trainer_who_left_the_pool_is_unavailable(offer, council):
    offer.is_active = False
    offer.save()
    assert unavailable(offer, council, [MARCH_2, APRIL_6]) == {
        MARCH_2: pool.NO_OFFER,
        APRIL_6: pool.NO_OFFER,
    }


def test_organisation_not_among_the_partners_is_refused(offer, council):
    offer.partners.set([OrganisationFactory()])
    assert unavailable(offer, council, [MARCH_2]) == {
        MARCH_2: "The trainer does not deliver for Riverside Council."
    }


def test_organisation_among_the_partners_is_accepted(offer, council):
    offer.partners.set([council, OrganisationFactory()])
    assert unavailable(offer, council, [MARCH_2]) == {}


def test_dates_outside_every_range_are_refused(council):
    offer = TrainerOfferFactory()
    TrainerAvailabilityFactory(offer=offer, starts_on=MARCH_2, ends_on=MARCH_2)
    TrainerAvailabilityFactory(offer=offer, starts_on=APRIL_6, ends_on=dt.date(2027, 4, 30))
    assert unavailable(offer, council, [MARCH_2, MARCH_3, APRIL_6, dt.date(2027, 5, 1)]) == {
        MARCH_3: pool.OUTSIDE_AVAILABILITY,
        dt.date(2027, 5, 1): pool.OUTSIDE_AVAILABILITY,
    }


def test_a_month_over_the_days_per_month_is_refused(offer, council):
    booked(offer, dt.date(2027, 3, 10))
    assert unavailable(offer, council, [MARCH_2, MARCH_3, APRIL_6]) == {
        MARCH_2: "The trainer offers 2 days a month and March 2027 would need 3 days.",
        MARCH_3: "The trainer offers 2 days a month and March 2027 would need 3 days.",
    }


def test_requested_dates_alone_can_fill_the_month(offer, council):
    offer.days_per_month = 1
    offer.save()
    assert unavailable(offer, council, [MARCH_2, MARCH_3]) == {
        MARCH_2: "The trainer offers 1 day a month and March 2027 would need 2 days.",
        MARCH_3: "The trainer offers 1 day a month and March 2027 would need 2 days.",
    }


def test_no_days_per_month_means_no_limit(offer, council):
    offer.days_per_month = None
    offer.save()
    booked(offer, dt.date(2027, 3, 10), dt.date(2027, 3, 11), dt.date(2027, 3, 12))
    assert unavailable(offer, council, [MARCH_2, MARCH_3]) == {}


def test_declined_and_withdrawn_requests_free_their_days(offer, council):
    booked(offer, dt.date(2027, 3, 10), dt.date(2027, 3, 11), status=DeliveryStatus.DECLINED)
    booked(offer, dt.date(2027, 3, 12), status=DeliveryStatus.WITHDRAWN)
    assert unavailable(offer, council, [MARCH_2, MARCH_3]) == {}


def test_approved_and_delivered_requests_hold_their_days(offer, council):
    booked(offer, dt.date(2027, 3, 10), status=DeliveryStatus.APPROVED)
    booked(offer, dt.date(2027, 3, 11), status=DeliveryStatus.DELIVERED)
    assert set(unavailable(offer, council, [MARCH_2])) == {MARCH_2}


def test_the_excluded_request_does_not_count_against_itself(offer, council):
    request = booked(offer, MARCH_2, MARCH_3)
    assert set(unavailable(offer, council, [MARCH_2, MARCH_3])) == {MARCH_2, MARCH_3}
    assert unavailable(offer, council, [MARCH_2, MARCH_3], excluding=request) == {}


def test_a_date_already_booked_is_refused(council):
    offer = TrainerOfferFactory(days_per_month=None)
    TrainerAvailabilityFactory(offer=offer)
    booked(offer, MARCH_2)
    assert unavailable(offer, council, [MARCH_2, MARCH_3]) == {MARCH_2: pool.ALREADY_BOOKED}


def test_other_trainers_bookings_do_not_count(offer, council):
    other = TrainerOfferFactory()
    booked(other, dt.date(2027, 3, 10), dt.date(2027, 3, 11))
    assert unavailable(offer, council, [MARCH_2]) == {}


def test_repeated_dates_count_once(offer, council):
    assert unavailable(offer, council, [MARCH_2, MARCH_2, MARCH_3]) == {}


def test_query_count_does_not_grow_with_dates(offer, council, django_assert_num_queries):
    many = [dt.date(2027, month, 1) for month in range(1, 13)]
    with django_assert_num_queries(4):
        unavailable(offer, council, many)
