"""Delivery requests through the services: asking, approving in order, declining, withdrawing,
the run set up at the requesting organisation, and the day rate posted once after delivery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.learning.models import Programme
from joinedup.materials import services
from joinedup.materials.jobs import mark_delivered
from joinedup.materials.models import DeliveryStatus
from joinedup.materials.services import MaterialRefused, deliveries
from joinedup.materials.tests.delivery_helpers import lending
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, OrganisationRoleGrant, RechargeEntry
from joinedup.partnership.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lend(world):
    return lending(world)


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """Run what the services queue for after commit (the e-mails), as each write commits."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def _refused_field(call) -> tuple[str | None, str]:
    with pytest.raises(MaterialRefused) as refused:
        call()
    return refused.value.field, refused.value.message


def test_request_waits_for_the_trainer_and_tells_them(lend, sends):
    request = sends(lend.ask)
    assert request.status == DeliveryStatus.AWAITING_TRAINER
    assert request.requesting_organisation == lend.world.own
    assert request.lending_organisation == lend.world.partner
    assert request.accreditation == lend.accreditation
    assert [day.date for day in request.days.all()] == lend.days()
    assert AuditEvent.objects.filter(action="delivery_request.made").count() == 1
    assert [message.to for message in mail.outbox] == [[lend.trainer.email]]


def test_approvals_go_trainer_then_manager_then_lead_and_set_up_the_run_at_the_requester(
    lend, sends
):
    request = lend.ask()
    request = sends(lambda: services.approve_delivery(actor=lend.as_trainer, request=request))
    assert request.status == DeliveryStatus.AWAITING_MANAGER
    assert mail.outbox[-1].to == [lend.manager.email]
    request = sends(lambda: services.approve_delivery(actor=lend.as_manager, request=request))
    assert request.status == DeliveryStatus.AWAITING_LEAD
    assert mail.outbox[-1].to == [lend.world.partner_ld_lead.email]
    request = sends(lambda: services.approve_delivery(actor=lend.as_lead, request=request))
    assert request.status == DeliveryStatus.APPROVED
    assert {tuple(message.to) for message in mail.outbox[-2:]} == {
        (lend.world.own_ld_lead.email,),
        (lend.trainer.email,),
    }
    assert request.manager_approved_by == lend.manager
    assert request.lead_approved_by == lend.world.partner_ld_lead

    run = request.run
    adopted = run.programme
    assert adopted.host == lend.world.own
    assert adopted.adopted_from == lend.programme
    assert adopted.title == lend.programme.title
    assert list(adopted.topics.values_list("name", flat=True)) == ["Trauma-informed practice"]
    assert run.trainer == lend.trainer
    assert run.capacity == 16
    sessions = list(run.sessions.order_by("date"))
    assert [session.date for session in sessions] == lend.days()
    assert {(s.starts_at, s.ends_at, s.venue) for s in sessions} == {
        (dt.time(9, 30), dt.time(16, 30), "Hendon Town Hall")
    }
    assert AuditEvent.objects.filter(action="delivery_request.approved").count() == 3


def test_a_second_delivery_reuses_the_adopted_programme(lend):
    first = lend.approve_all(lend.ask())
    second = lend.approve_all(lend.ask(dates=lend.days(60)))
    assert first.run.programme == second.run.programme
    assert Programme.objects.filter(adopted_from=lend.programme).count() == 1


@pytest.mark.parametrize("who", ["manager", "lead", "requester", "partner_staff", "partner_admin"])
def test_nobody_approves_before_the_trainer(lend, who):
    request = lend.ask()
    actor = {
        "manager": lend.as_manager,
        "lead": lend.as_lead,
        "requester": lend.requester,
        "partner_staff": lend.world.actor("partner_staff"),
        "partner_admin": lend.world.actor("partner_admin"),
    }[who]
    with pytest.raises(PermissionDenied):
        services.approve_delivery(actor=actor, request=request)


def test_the_lead_does_not_approve_before_the_line_manager(lend):
    request = services.approve_delivery(actor=lend.as_trainer, request=lend.ask())
    for actor in (lend.as_trainer, lend.as_lead):
        with pytest.raises(PermissionDenied):
            services.approve_delivery(actor=actor, request=request)


def test_a_manager_acting_for_another_organisation_cannot_approve(lend):
    request = services.approve_delivery(actor=lend.as_trainer, request=lend.ask())
    with pytest.raises(PermissionDenied):
        services.approve_delivery(
            actor=Actor(person=lend.manager, organisation=lend.world.own), request=request
        )


def test_a_stale_copy_cannot_approve_the_same_step_twice(lend):
    request = lend.ask()
    stale = type(request).objects.get(pk=request.pk)
    services.approve_delivery(actor=lend.as_trainer, request=request)
    field, message = _refused_field(
        lambda: services.approve_delivery(actor=lend.as_trainer, request=stale)
    )
    assert "changed" in message


def test_the_trainer_declines_with_a_reason_and_the_requester_is_told(lend, sends):
    request = lend.ask()
    request = sends(
        lambda: services.decline_delivery(
            actor=lend.as_trainer, request=request, reason="On leave that week"
        )
    )
    assert request.status == DeliveryStatus.DECLINED
    assert request.declined_by == lend.trainer
    assert mail.outbox[-1].to == [lend.world.own_ld_lead.email]
    assert "On leave that week" in mail.outbox[-1].body
    with pytest.raises(PermissionDenied):
        services.approve_delivery(actor=lend.as_trainer, request=request)


def test_the_manager_declines_at_their_step_and_a_reason_is_needed(lend):
    request = services.approve_delivery(actor=lend.as_trainer, request=lend.ask())
    field, _ = _refused_field(
        lambda: services.decline_delivery(actor=lend.as_manager, request=request, reason=" ")
    )
    assert field == "reason"
    request = services.decline_delivery(actor=lend.as_manager, request=request, reason="Busy")
    assert request.status == DeliveryStatus.DECLINED


def test_the_requester_cannot_decline_but_can_withdraw_until_approval_is_complete(lend):
    request = lend.ask()
    with pytest.raises(PermissionDenied):
        services.decline_delivery(actor=lend.requester, request=request, reason="No")
    request = services.withdraw_delivery(actor=lend.requester, request=request)
    assert request.status == DeliveryStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="delivery_request.withdrawn").count() == 1

    approved = lend.approve_all(lend.ask())
    with pytest.raises(PermissionDenied):
        services.withdraw_delivery(actor=lend.requester, request=approved)


def test_withdrawn_dates_are_free_again(lend):
    services.withdraw_delivery(actor=lend.requester, request=lend.ask())
    assert lend.ask().status == DeliveryStatus.AWAITING_TRAINER


def test_only_an_ld_lead_asks(lend):
    for persona in ("own_admin", "own_staff", "partnership_lead"):
        with pytest.raises(PermissionDenied):
            lend.ask(actor=lend.world.actor(persona))


def test_an_expired_accreditation_cannot_be_requested(lend):
    lend.accreditation.expires_on = timezone.localdate() + dt.timedelta(days=30)
    lend.accreditation.save()
    field, message = _refused_field(lend.ask)
    assert field == "trainer"
    assert "expires on" in message


def test_a_withdrawn_accreditation_cannot_be_requested(lend):
    lend.accreditation.withdrawn_at = timezone.now()
    lend.accreditation.save()
    field, message = _refused_field(lend.ask)
    assert field == "trainer"
    assert "current accreditation" in message


def test_unavailable_dates_cannot_be_requested_and_are_named(lend):
    outside = timezone.localdate() + dt.timedelta(days=400)
    field, message = _refused_field(lambda: lend.ask(dates=[outside]))
    assert field == "dates"
    assert f"{outside.day} {outside:%B %Y}" in message


def test_dates_already_asked_for_cannot_be_asked_for_again(lend):
    lend.ask()
    field, _ = _refused_field(lend.ask)
    assert field == "dates"


def test_past_dates_bad_times_and_places_are_refused(lend):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert _refused_field(lambda: lend.ask(dates=[yesterday]))[0] == "dates"
    assert _refused_field(lambda: lend.ask(dates=[]))[0] == "dates"
    assert _refused_field(lambda: lend.ask(ends_at=dt.time(9, 0)))[0] == "ends_at"
    assert _refused_field(lambda: lend.ask(starts_at=None))[0] == "starts_at"
    assert _refused_field(lambda: lend.ask(places=0))[0] == "places"
    assert _refused_field(lambda: lend.ask(places="many"))[0] == "places"
    assert _refused_field(lambda: lend.ask(day_rate="-5"))[0] == "day_rate"


def test_a_programme_not_delivered_by_accredited_trainers_is_refused(lend):
    lend.programme.delivered_by_accredited_trainers = False
    lend.programme.save()
    assert _refused_field(lend.ask)[0] == "programme"


def test_an_organisation_cannot_ask_for_its_own_trainer(lend):
    field, message = _refused_field(lambda: lend.ask(actor=lend.as_lead))
    assert field == "trainer"
    assert "your organisation" in message


def test_a_trainer_without_a_line_manager_cannot_be_requested(lend):
    lend.trainer.employments.update(line_manager=None)
    field, message = _refused_field(lend.ask)
    assert field == "trainer"
    assert "line manager" in message


def test_approval_checks_the_accreditation_again(lend):
    request = services.approve_delivery(actor=lend.as_trainer, request=lend.ask())
    lend.accreditation.withdrawn_at = timezone.now()
    lend.accreditation.save()
    field, message = _refused_field(
        lambda: services.approve_delivery(actor=lend.as_manager, request=request)
    )
    assert field is None
    assert "current accreditation" in message
    request.refresh_from_db()
    assert request.status == DeliveryStatus.AWAITING_MANAGER


def test_approval_checks_availability_again(lend):
    request = lend.ask()
    lend.offer.is_active = False
    lend.offer.save()
    _, message = _refused_field(
        lambda: services.approve_delivery(actor=lend.as_trainer, request=request)
    )
    assert "trainer pool" in message


def test_a_requester_who_can_no_longer_host_leaves_the_last_approval_refused(lend):
    request = lend.ask()
    services.approve_delivery(actor=lend.as_trainer, request=request)
    services.approve_delivery(actor=lend.as_manager, request=request)
    OrganisationRoleGrant.objects.filter(person=lend.world.own_ld_lead).delete()
    _, message = _refused_field(
        lambda: services.approve_delivery(actor=lend.as_lead, request=request)
    )
    assert "can no longer add runs" in message
    request.refresh_from_db()
    assert request.status == DeliveryStatus.AWAITING_LEAD
    assert request.run is None


def test_delivery_posts_the_day_rate_once_however_often_the_job_runs(lend):
    request = lend.approve_all(lend.ask())
    last = max(lend.days())
    assert mark_delivered(today=last) == 0
    assert mark_delivered(today=last + dt.timedelta(days=1)) == 1
    assert mark_delivered(today=last + dt.timedelta(days=2)) == 0
    request.refresh_from_db()
    assert request.status == DeliveryStatus.DELIVERED
    entry = RechargeEntry.objects.get()
    assert request.recharge == entry
    assert (entry.payer, entry.payee) == (lend.world.own, lend.world.partner)
    assert entry.amount == Decimal("700.00")
    assert (entry.source_kind, entry.source_id) == ("delivery_request", str(request.pk))
    assert entry.occurred_on == last
    assert AuditEvent.objects.filter(action="delivery_request.delivered").count() == 1


def test_delivery_without_a_day_rate_posts_nothing(lend):
    request = lend.approve_all(lend.ask(day_rate=None))
    assert mark_delivered(today=max(lend.days()) + dt.timedelta(days=1)) == 1
    request.refresh_from_db()
    assert request.status == DeliveryStatus.DELIVERED
    assert not RechargeEntry.objects.exists()


def test_requests_not_approved_are_never_marked_delivered(lend):
    lend.ask()
    services.withdraw_delivery(actor=lend.requester, request=lend.ask(dates=lend.days(50)))
    assert mark_delivered(today=timezone.localdate() + dt.timedelta(days=100)) == 0
    assert not RechargeEntry.objects.exists()


def test_a_new_line_manager_takes_over_the_step(lend):
    request = services.approve_delivery(actor=lend.as_trainer, request=lend.ask())
    new_job = EmploymentFactory(organisation=lend.world.partner, job_title="Matron")
    lend.trainer.employments.update(line_manager=new_job)
    with pytest.raises(PermissionDenied):
        services.approve_delivery(actor=lend.as_manager, request=request)
    services.approve_delivery(
        actor=Actor(person=new_job.person, organisation=lend.world.partner), request=request
    )
    assert request.status == DeliveryStatus.AWAITING_LEAD


def test_two_workers_marking_the_same_request_post_one_charge(lend):
    request = lend.approve_all(lend.ask())
    last = max(lend.days())
    first = type(request).objects.get(pk=request.pk)
    second = type(request).objects.get(pk=request.pk)
    assert deliveries._deliver(first, last, 2) is True
    assert deliveries._deliver(second, last, 2) is False
    assert RechargeEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="delivery_request.delivered").count() == 1
