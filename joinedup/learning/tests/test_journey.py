"""The issue's journey, through the web pages and the real every-minute job.

Given a Barnet course with three places, when Barnet's own staff book two of them and three of a
partner trust's nurses join the waiting list, then after the cut-off the job offers the last place
to the first nurse, her cancellation passes it to the second, whose offer lapses, so the third
accepts, attends, and both organisations see the recharge on their statements.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.learning.jobs import release_and_lapse
from joinedup.learning.models import Booking, BookingStatus, ReleaseMode, Run, SharingPolicy
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.models import RechargeEntry
from joinedup.partnership.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def booking_of(person, run: Run) -> Booking:
    return Booking.objects.filter(person=person, run=run).latest("id")


def status_of(person, run: Run) -> str:
    return booking_of(person, run).status


def post(client: Client, name: str, pk: int, data: dict | None = None) -> None:
    response = client.post(reverse(name, args=[pk]), data or {})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_partners_nurse_gets_a_released_place_attends_and_both_statements_show_the_charge(
    world, django_capture_on_commit_callbacks
):
    # Given a Barnet course with three places, offered to partners after the cut-off.
    programme = ProgrammeFactory(
        host=world.own,
        title="Difficult conversations",
        sharing_policy=SharingPolicy.OWN_THEN_PARTNERS,
        cost_per_place=Decimal("250.00"),
        partner_price=Decimal("150.00"),
    )
    run = RunFactory(programme=programme, capacity=3, release_mode=ReleaseMode.OFFER)
    session = SessionFactory(run=run)
    colleague = EmploymentFactory(organisation=world.own).person
    nurses = [world.partner_staff] + [
        EmploymentFactory(organisation=world.partner).person for _ in range(2)
    ]
    first, second, third = nurses

    # When Barnet's own staff book two places from the run page...
    for person in (world.own_staff, colleague):
        post(signed_in(person), "learning:book", run.pk)
        assert status_of(person, run) == BookingStatus.CONFIRMED
    # ...the partner's nurses find the course in the catalogue and can only join the waiting list.
    catalogue = signed_in(first).get(reverse("learning:catalogue"), {"q": "Difficult"})
    assert "Difficult conversations" in catalogue.content.decode()
    for nurse in nurses:
        post(signed_in(nurse), "learning:book", run.pk)
        assert status_of(nurse, run) == BookingStatus.WAITING
    mine = signed_in(first).get(reverse("learning:my-learning")).content.decode()
    assert "Difficult conversations" in mine

    # Then, after the cut-off, the every-minute job offers the last place to the first nurse.
    Run.objects.filter(pk=run.pk).update(cut_off_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert release_and_lapse()["released"] == 1
    assert status_of(first, run) == BookingStatus.OFFERED
    offer = next(message for message in mail.outbox if first.email in message.to)
    assert "Difficult conversations" in offer.subject + offer.body
    post(signed_in(first), "learning:accept-offer", booking_of(first, run).pk)
    assert status_of(first, run) == BookingStatus.CONFIRMED

    # She cancels: the place is offered to the second nurse, whose offer lapses unanswered.
    post(signed_in(first), "learning:cancel-booking", booking_of(first, run).pk)
    assert status_of(second, run) == BookingStatus.OFFERED
    assert status_of(third, run) == BookingStatus.WAITING
    release_and_lapse(timezone.now() + dt.timedelta(hours=run.offer_window_hours + 1))
    assert status_of(second, run) == BookingStatus.LAPSED

    # The third nurse is offered the place and accepts it.
    assert status_of(third, run) == BookingStatus.OFFERED
    post(signed_in(third), "learning:accept-offer", booking_of(third, run).pk)
    assert status_of(third, run) == BookingStatus.CONFIRMED
    run.refresh_from_db()
    assert run.places_taken == run.capacity == 3

    # The course takes place; Barnet's L&D lead records the register and the outcomes.
    type(session).objects.filter(pk=session.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1)
    )
    host = signed_in(world.own_ld_lead)
    confirmed = Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED)
    post(
        host,
        "learning:session-register",
        session.pk,
        {f"present_{booking.pk}": "yes" for booking in confirmed},
    )
    post(
        host,
        "learning:record-outcomes",
        run.pk,
        {f"outcome_{booking.pk}": "completed" for booking in confirmed},
    )

    # Both organisations see the one charge: the trust owes Barnet £150 for the third nurse.
    charge = RechargeEntry.objects.get()
    assert (charge.payer, charge.payee, charge.amount) == (
        world.partner,
        world.own,
        Decimal("150.00"),
    )
    assert booking_of(third, run).recharge == charge
    for lead in (world.partner_ld_lead, world.own_ld_lead):
        statement = signed_in(lead).get(reverse("partnership:recharges")).content.decode()
        assert "150.00" in statement
    # The nurse can download her certificate of completion.
    certificate = signed_in(third).get(
        reverse("learning:certificate", args=[booking_of(third, run).pk])
    )
    assert certificate.status_code == 200
    assert certificate.content.startswith(b"%PDF")
