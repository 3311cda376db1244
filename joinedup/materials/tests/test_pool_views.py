"""The trainer pool pages: a trainer's own offer and dates, and searching the pool."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.materials.models import TrainerAvailability, TrainerOffer
from joinedup.materials.tests.page_helpers import queries_for
from joinedup.materials.tests.pool_factories import (
    AccreditationFactory,
    TrainerAvailabilityFactory,
    TrainerOfferFactory,
)
from joinedup.partnership.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db

OFFER = reverse("materials:pool-offer")
SEARCH = reverse("materials:pool")


def today() -> dt.date:
    return timezone.localdate()


def date_fields(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


@pytest.fixture
def programme(world):
    return ProgrammeFactory(
        host=world.partner, title="Trauma-informed practice", delivered_by_accredited_trainers=True
    )


def accredit(person, programme, **fields):
    fields.setdefault("accredited_on", today() - dt.timedelta(days=10))
    return AccreditationFactory(person=person, programme=programme, **fields)


def pooled(person, organisation, programme, *, partners=(), **fields):
    """A trainer in the pool, accredited for the programme, available for the next 60 days."""
    accredit(person, programme)
    offer = TrainerOfferFactory(
        person=person, organisation=organisation, partners=list(partners), **fields
    )
    TrainerAvailabilityFactory(
        offer=offer, starts_on=today(), ends_on=today() + dt.timedelta(days=60)
    )
    return offer


# --- My trainer offer -----------------------------------------------------------------------------


def test_person_without_accreditation_is_told_they_cannot_join(client_for):
    page = client_for("own_staff").get(OFFER)
    assert page.status_code == 200
    assert "You have no current accreditation" in page.content.decode()
    assert b"Join the trainer pool</button>" not in page.content


def test_accredited_trainer_joins_with_days_and_partners(world, client_for, programme):
    accredit(world.own_staff, programme)
    client = client_for("own_staff")
    assert "Trauma-informed practice" in client.get(OFFER).content.decode()
    response = client.post(OFFER, {"days_per_month": "2", "partners": [world.partner.pk]})
    assert response.status_code == 302, response.context["offer_form"].errors
    offer = TrainerOffer.objects.get(person=world.own_staff)
    assert (offer.organisation, offer.days_per_month) == (world.own, 2)
    assert list(offer.partners.all()) == [world.partner]
    assert "You are in the trainer pool" in client.get(OFFER).content.decode()


def test_offer_errors_name_the_field(world, client_for, programme):
    accredit(world.own_staff, programme)
    page = client_for("own_staff").post(
        OFFER, {"days_per_month": "forty", "partners": ["999999", "x"], "note": "n" * 2001}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Days per month must be a whole number from 1 to 31" in text
    assert "Choose partner organisations from the list" in text
    assert "A note must be 2,000 characters or fewer" in text
    assert not TrainerOffer.objects.exists()


def test_joining_without_accreditation_is_refused_on_the_page(client_for):
    page = client_for("own_staff").post(OFFER, {"days_per_month": "2"})
    assert page.status_code == 200
    assert "Only a trainer with a current accreditation can join" in page.content.decode()


def test_trainer_adds_and_removes_dates(world, client_for, programme):
    pooled(world.own_staff, world.own, programme)
    TrainerAvailability.objects.all().delete()
    client = client_for("own_staff")
    first, last = today() + dt.timedelta(days=3), today() + dt.timedelta(days=4)
    response = client.post(
        reverse("materials:pool-availability-add"),
        {**date_fields("dates-starts_on", first), **date_fields("dates-ends_on", last)},
    )
    assert response.status_code == 302
    added = TrainerAvailability.objects.get()
    assert (added.starts_on, added.ends_on) == (first, last)
    response = client.post(reverse("materials:pool-availability-remove", args=[added.pk]))
    assert response.status_code == 302
    assert not TrainerAvailability.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the first date"),
        (
            {
                "dates-starts_on_day": "31",
                "dates-starts_on_month": "2",
                "dates-starts_on_year": "2027",
            },
            "First date must be a real date",
        ),
        ({"dates-starts_on_day": "<b>", "dates-starts_on_month": "\x00"}, "First date must"),
        (
            {**date_fields("dates-starts_on", dt.date(2020, 1, 1))}
            | date_fields("dates-ends_on", dt.date(2020, 1, 2)),
            "The first date must be today or later",
        ),
    ],
)
def test_date_errors_name_the_field_and_never_fail(world, client_for, programme, data, message):
    pooled(world.own_staff, world.own, programme)
    page = client_for("own_staff").post(reverse("materials:pool-availability-add"), data)
    assert page.status_code == 200
    assert message in page.content.decode()


def test_last_date_before_first_is_named(world, client_for, programme):
    pooled(world.own_staff, world.own, programme)
    data = {
        **date_fields("dates-starts_on", today() + dt.timedelta(days=5)),
        **date_fields("dates-ends_on", today() + dt.timedelta(days=4)),
    }
    page = client_for("own_staff").post(reverse("materials:pool-availability-add"), data)
    assert "The last date must be the same as or after the first date" in page.content.decode()


def test_trainer_leaves_the_pool(world, client_for, programme):
    offer = pooled(world.own_staff, world.own, programme)
    response = client_for("own_staff").post(reverse("materials:pool-leave"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert not offer.is_active


def test_nobody_removes_another_trainers_dates(world, client_for, programme):
    offer = pooled(world.own_staff, world.own, programme)
    found = offer.availability.get()
    response = client_for("own_ld_lead").post(
        reverse("materials:pool-availability-remove", args=[found.pk])
    )
    assert response.status_code == 404
    assert TrainerAvailability.objects.filter(pk=found.pk).exists()


# --- Searching the pool ---------------------------------------------------------------------------


def test_ld_lead_finds_a_partners_trainer_with_a_request_link(world, client_for, programme):
    pooled(world.own_staff, world.own, programme, days_per_month=2, note="Tuesdays")
    page = client_for("partner_ld_lead").get(SEARCH)
    text = page.content.decode()
    assert page.status_code == 200
    assert world.own_staff.full_name in text
    assert "London Borough of Barnet" in text
    assert "Trauma-informed practice" in text
    assert "Tuesdays" in text
    link = f"?trainer={world.own_staff.pk}&amp;programme={programme.pk}"
    assert link in text


def test_own_organisations_trainer_is_listed_without_a_request_link(world, client_for, programme):
    pooled(world.own_staff, world.own, programme)
    text = client_for("own_ld_lead").get(SEARCH).content.decode()
    assert world.own_staff.full_name in text
    assert "?trainer=" not in text


def test_offer_for_other_partners_only_is_not_found(world, client_for, programme):
    pooled(world.own_staff, world.own, programme, partners=[world.icb])
    text = client_for("partner_ld_lead").get(SEARCH).content.decode()
    assert world.own_staff.full_name not in text
    assert "No trainers have offered" in text


def test_outsider_never_sees_the_partnerships_trainers(world, client_for, programme):
    pooled(world.own_staff, world.own, programme)
    text = client_for("outsider").get(SEARCH).content.decode()
    assert world.own_staff.full_name not in text


def test_staff_without_a_searching_role_are_refused(client_for):
    assert client_for("own_staff").get(SEARCH).status_code == 403


def test_left_or_lapsed_trainers_are_not_found(world, client_for, programme):
    left = pooled(world.own_staff, world.own, programme)
    left.is_active = False
    left.save()
    lapsed = EmploymentFactory(organisation=world.own).person
    offer = TrainerOfferFactory(person=lapsed, organisation=world.own)
    accredit(lapsed, programme, expires_on=today() - dt.timedelta(days=1))
    text = client_for("partner_ld_lead").get(SEARCH).content.decode()
    assert world.own_staff.full_name not in text
    assert escape(offer.person.full_name) not in text


def test_filters_by_programme_organisation_and_dates(world, client_for, programme):
    other = ProgrammeFactory(host=world.own, delivered_by_accredited_trainers=True)
    pooled(world.own_staff, world.own, programme)
    second = EmploymentFactory(organisation=world.icb, person__family_name="O'Neill").person
    pooled(second, world.icb, other)
    client = client_for("partner_ld_lead")

    def names(**query) -> set[str]:
        text = client.get(SEARCH, query).content.decode()
        return {p.full_name for p in (world.own_staff, second) if escape(p.full_name) in text}

    assert names() == {world.own_staff.full_name, second.full_name}
    assert names(programme=programme.pk) == {world.own_staff.full_name}
    assert names(organisation=world.icb.pk) == {second.full_name}
    inside = today() + dt.timedelta(days=10)
    assert len(names(**date_fields("available_from", inside))) == 2
    outside = today() + dt.timedelta(days=61)
    assert names(**date_fields("available_from", outside)) == set()
    across = date_fields("available_from", inside) | date_fields("available_to", outside)
    assert names(**across) == set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"programme": "99999999"}, "Choose a programme from the list"),
        ({"programme": "x'; drop"}, "Choose a programme from the list"),
        ({"organisation": "-1"}, "Choose an organisation from the list"),
        (
            {
                "available_from_day": "40",
                "available_from_month": "1",
                "available_from_year": "2027",
            },
            "real date",
        ),
        (
            {"available_to_day": "1", "available_to_month": "1", "available_to_year": "2027"},
            "Enter the first date",
        ),
        (
            {
                **date_fields("available_from", dt.date(2027, 3, 2)),
                **date_fields("available_to", dt.date(2027, 3, 1)),
            },
            "The last date must be the same as or after the first",
        ),
        (
            {
                **date_fields("available_from", dt.date(2027, 1, 1)),
                **date_fields("available_to", dt.date(2028, 6, 1)),
            },
            "within a year of each other",
        ),
    ],
)
def test_search_errors_name_the_field(client_for, query, message):
    page = client_for("own_ld_lead").get(SEARCH, query)
    assert page.status_code == 200
    assert message in page.content.decode()


@pytest.mark.parametrize("cursor", ["junk", "W10", "\x00", "a" * 2000])
def test_mangled_cursors_give_the_first_page(client_for, cursor):
    assert client_for("own_ld_lead").get(SEARCH, {"after": cursor}).status_code == 200
    assert client_for("own_ld_lead").get(SEARCH, {"before": cursor}).status_code == 200


def test_pages_walk_every_trainer_once(world, client_for, programme, settings):
    people = [EmploymentFactory(organisation=world.own).person for _ in range(30)]
    for person in people:
        pooled(person, world.own, programme)
    client = client_for("partner_ld_lead")
    seen, url = [], SEARCH
    while url:
        page = client.get(url)
        seen += [p.pk for p in people if f'id="trainer-{p.pk}"' in page.content.decode()]
        url = page.context["links"].get("next")
        url = SEARCH + url if url else None
    assert sorted(seen) == sorted(p.pk for p in people)


def test_search_asks_as_many_queries_for_many_trainers(world, client_for, programme):
    pooled(world.own_staff, world.own, programme)
    client = client_for("partner_ld_lead")
    few = queries_for(client, SEARCH)
    for _ in range(12):
        person = EmploymentFactory(organisation=world.own).person
        offer = pooled(person, world.own, programme)
        accredit(person, ProgrammeFactory(host=world.own))
        TrainerAvailabilityFactory(
            offer=offer,
            starts_on=today() + dt.timedelta(days=90),
            ends_on=today() + dt.timedelta(days=95),
        )
    assert queries_for(client, SEARCH) == few
