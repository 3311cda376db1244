"""Registering interest in a programme without an upcoming run; telling people when one is added.

Each interested person is told once: `notified_at` is set with a conditional update, and the e-mail
goes only after the transaction that added the run commits.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Person
from joinedup.partnership.notifications import notify

from .models import Interest, Programme, Run, SharingPolicy


def _audit(actor: Actor, action: str, interest: Interest) -> None:
    audit.record(
        actor=actor,
        action=action,
        kind="learning_interest",
        object_id=interest.pk,
        label=f"Interest in {interest.programme.title}",
        organisation=interest.programme.host,
        changes={"programme": interest.programme_id, "person": interest.person_id},
    )


def has_registered(actor: Actor, programme: Programme) -> bool:
    """Whether the signed-in person is waiting to be told about a new run of the programme."""
    if actor.person is None:
        return False
    mine = Interest.objects.filter(programme=programme, person=actor.person)
    return mine.filter(notified_at__isnull=True).exists()


def register_interest(*, actor: Actor, programme: Programme) -> Interest:
    """The person asks to be told when the programme (which they can see) gets a new run."""
    if actor.person is None:
        raise PermissionDenied
    existing = Interest.objects.filter(programme=programme, person=actor.person).first()
    if existing is not None:
        # Someone told about an earlier run asks to hear about the next one too.
        if existing.notified_at is not None:
            with transaction.atomic():
                Interest.objects.filter(pk=existing.pk).update(notified_at=None)
                existing.notified_at = None
                _audit(actor, "interest.registered", existing)
        return existing
    try:
        with transaction.atomic():
            interest = Interest.objects.create(programme=programme, person=actor.person)
            _audit(actor, "interest.registered", interest)
    except IntegrityError:
        # Registered twice at once: the unique constraint keeps one.
        return Interest.objects.get(programme=programme, person=actor.person)
    return interest


@transaction.atomic
def withdraw_interest(*, actor: Actor, programme: Programme) -> bool:
    """The person no longer wants to be told about new runs; say whether they had asked."""
    if actor.person is None:
        raise PermissionDenied
    interest = Interest.objects.filter(programme=programme, person=actor.person).first()
    if interest is None:
        return False
    _audit(actor, "interest.withdrawn", interest)
    interest.delete()
    return True


def notify_interested(run: Run) -> int:
    """Tell everyone interested in the run's programme, and not yet told, that it has a run."""
    programme = run.programme
    now = timezone.now()
    told = []
    interested = Interest.objects.filter(
        programme=programme, notified_at__isnull=True, person__in=_who_sees(programme)
    )
    for interest in interested:
        # Two runs added at once would both find the interest; only one update lands.
        if Interest.objects.filter(pk=interest.pk, notified_at__isnull=True).update(
            notified_at=now
        ):
            told.append(interest.person_id)
    if told:
        transaction.on_commit(lambda: _send(run, told), robust=True)
    return len(told)


def _who_sees(programme: Programme) -> QuerySet[Person]:
    """People who can see the programme now: the host's staff, and partners' unless kept."""
    organisations = Q(organisation=programme.host)
    if programme.sharing_policy != SharingPolicy.OWN_ONLY:
        host = Actor(person=None, organisation=programme.host)
        organisations |= Q(organisation__in=partner_organisations(host))
    return Person.objects.filter(
        pk__in=Employment.objects.current().filter(organisations).values("person")
    )


def _send(run: Run, person_ids: list[int]) -> None:
    first = run.first_session()
    context = {
        "programme": run.programme,
        "run": run,
        "first_session": first,
        "url": settings.SITE_URL + reverse("learning:run", args=[run.pk]),
    }
    for person in Person.objects.filter(pk__in=person_ids):
        notify(person, "learning_run_added", context)


def interest_count(programme: Programme) -> int:
    """How many people are waiting to be told about the programme's next run."""
    return Interest.objects.filter(programme=programme, notified_at__isnull=True).count()


def none_bookable(runs: list[Run]) -> bool:
    """Whether none of these upcoming runs can be booked now (so interest may be registered)."""
    return not any(not run.is_cancelled() and not run.bookings_closed() for run in runs)
