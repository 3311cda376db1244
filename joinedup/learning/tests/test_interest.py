"""Registering interest in a programme and being told when it gets a run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from joinedup.learning import interest
from joinedup.learning.models import Interest, SharingPolicy
from joinedup.learning.services import add_run
from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.partnership.models import AuditEvent, SentNotification

FIRST_DAY = dt.date(2027, 3, 15)


def add_a_run(world, programme):
    return add_run(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        sessions=[{"date": FIRST_DAY, "starts_at": dt.time(9, 30), "ends_at": dt.time(16, 0)}],
        capacity=12,
    )


def test_registering_twice_keeps_one_interest_with_an_audit_entry(world):
    programme = ProgrammeFactory(host=world.own)
    actor = world.actor("partner_staff")

    first = interest.register_interest(actor=actor, programme=programme)
    second = interest.register_interest(actor=actor, programme=programme)

    assert first.pk == second.pk
    assert Interest.objects.count() == 1
    assert interest.has_registered(actor, programme)
    assert interest.interest_count(programme) == 1
    assert AuditEvent.objects.filter(action="interest.registered").count() == 1


def test_withdrawing_removes_the_interest(world):
    programme = ProgrammeFactory(host=world.own)
    actor = world.actor("own_staff")
    interest.register_interest(actor=actor, programme=programme)

    assert interest.withdraw_interest(actor=actor, programme=programme) is True
    assert interest.withdraw_interest(actor=actor, programme=programme) is False

    assert not interest.has_registered(actor, programme)
    assert interest.interest_count(programme) == 0


@pytest.mark.django_db(transaction=True)
def test_adding_a_run_tells_each_interested_person_once_after_it_commits(world):
    programme = ProgrammeFactory(host=world.own, title="Motivational interviewing & you")
    for persona in ("own_staff", "partner_staff"):
        interest.register_interest(actor=world.actor(persona), programme=programme)

    run = add_a_run(world, programme)
    add_a_run(world, programme)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.person("partner_staff").email, world.person("own_staff").email]
    )
    message = mail.outbox[0]
    assert message.subject == "New run: Motivational interviewing & you"
    assert f"/learning/runs/{run.pk}/" in message.body
    assert "15 March 2027 at 09:30" in message.body
    assert Interest.objects.filter(notified_at__isnull=True).count() == 0
    assert SentNotification.objects.filter(template="learning_run_added").count() == 2
    assert interest.interest_count(programme) == 0


@pytest.mark.django_db(transaction=True)
def test_a_person_told_once_can_register_again_for_the_next_run(world):
    programme = ProgrammeFactory(host=world.own)
    actor = world.actor("own_staff")
    interest.register_interest(actor=actor, programme=programme)
    add_a_run(world, programme)
    assert not interest.has_registered(actor, programme)

    interest.register_interest(actor=actor, programme=programme)
    add_a_run(world, programme)

    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_adding_the_run_rolls_back(world):
    programme = ProgrammeFactory(host=world.own)
    interest.register_interest(actor=world.actor("own_staff"), programme=programme)

    add_a_run(world, programme)

    # The test's transaction never commits, so the mail waits for a commit that never comes.
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_someone_who_can_no_longer_see_the_programme_is_not_told(world):
    programme = ProgrammeFactory(host=world.own, sharing_policy=SharingPolicy.OWN_ONLY)
    interest.register_interest(actor=world.actor("partner_staff"), programme=programme)
    interest.register_interest(actor=world.actor("own_staff"), programme=programme)

    add_a_run(world, programme)

    assert [message.to[0] for message in mail.outbox] == [world.person("own_staff").email]
