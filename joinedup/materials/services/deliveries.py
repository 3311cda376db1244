"""Delivery requests: organisation B asks for organisation A's accredited trainer.

An L&D lead of B asks (`request_delivery`); the trainer, then the trainer's line manager at A,
then an L&D lead of A approve in that order (`approve_delivery`), and any of them may decline
with a reason (`decline_delivery`); B withdraws while approval is not complete
(`withdraw_delivery`). Each step is claimed with one conditional update of the request's status,
so two people pressing at once move it once. Every approval checks the accreditation and the
trainer's availability again. The last approval, in the same transaction, finds or creates B's
adopted copy of the programme and adds a run at B with one session a day and the trainer named.
After the last day `mark_delivered` (a scheduled job) marks the request delivered and posts the
day rate times the days from B to A on the recharge ledger, once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from joinedup.learning import access as learning_access
from joinedup.learning import services as learning
from joinedup.learning.models import Programme, Run
from joinedup.partnership import audit
from joinedup.partnership import services as ledger
from joinedup.partnership.access import are_partners
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, Person

from .. import access, delivery_notices, pool
from ..models import Accreditation, DeliveryDay, DeliveryRequest, DeliveryStatus
from . import fields
from .fields import MaterialRefused

logger = logging.getLogger(__name__)

DAYS_MAX = 30
PLACES_MAX = 1000
VENUE_MAX = 200
MESSAGE_MAX = 2000
REASON_MAX = 2000
DAY_RATE_MAX = Decimal("100000")
SOURCE_KIND = "delivery_request"

PENDING = access.DELIVERY_PENDING
NEXT_STATUS = {
    DeliveryStatus.AWAITING_TRAINER: DeliveryStatus.AWAITING_MANAGER,
    DeliveryStatus.AWAITING_MANAGER: DeliveryStatus.AWAITING_LEAD,
    DeliveryStatus.AWAITING_LEAD: DeliveryStatus.APPROVED,
}
CHANGED = "This request has changed since you opened it; look at it again"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- Checks shared by the request and every approval ----------------------------------------


def lending_employment(trainer: Person) -> Employment | None:
    """The trainer's current job that lends them: at their pool offer's organisation if they
    still work there, else their most recent current job."""
    jobs = Employment.objects.current().filter(person=trainer).select_related("organisation")
    offer = getattr(trainer, "trainer_offer", None) if trainer.pk else None
    if offer is not None and offer.is_active:
        at_offer = jobs.filter(organisation_id=offer.organisation_id).first()
        if at_offer is not None:
            return at_offer
    return jobs.first()


def line_manager_of(trainer: Person, lender: Organisation) -> Person | None:
    """The person who currently line-manages the trainer's current job at the lender."""
    job = (
        Employment.objects.current()
        .filter(person=trainer, organisation=lender, line_manager__isnull=False)
        .select_related("line_manager__person")
        .first()
    )
    if job is None or not job.line_manager.is_current():
        return None
    return job.line_manager.person


def current_accreditation(
    trainer: Person, programme: Programme, dates: Sequence[dt.date]
) -> Accreditation | None:
    """The trainer's accreditation for the programme that is current on every date, if any."""
    first, last = min(dates), max(dates)
    return (
        Accreditation.objects.filter(
            person=trainer, programme=programme, withdrawn_at__isnull=True, accredited_on__lte=first
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=last))
        .order_by("-accredited_on", "-id")
        .first()
    )


def _accreditation_refusal(trainer: Person, programme: Programme, dates: Sequence[dt.date]) -> str:
    """Why no accreditation covers the dates, in words."""
    name = trainer.full_name
    latest = (
        Accreditation.objects.filter(person=trainer, programme=programme, withdrawn_at__isnull=True)
        .exclude(expires_on__isnull=True)
        .aggregate(last=Max("expires_on"))["last"]
    )
    if latest is not None and latest < max(dates):
        return (
            f"{name}'s accreditation for {programme.title} expires on {_long_date(latest)}, "
            "before the last date you asked for"
        )
    return f"{name} does not hold a current accreditation for {programme.title}"


def _check_dates(dates: Sequence[dt.date], errors: dict[str, str]) -> list[dt.date]:
    days = sorted(set(dates))
    today = timezone.localdate()
    if not days:
        errors["dates"] = "Enter at least one date"
    elif len(days) > DAYS_MAX:
        errors["dates"] = f"Ask for no more than {DAYS_MAX} days in one request"
    else:
        past = [day for day in days if day <= today]
        if past:
            errors["dates"] = "Dates must be in the future: " + ", ".join(map(_long_date, past))
    return days


def _check_trainer(
    request: DeliveryRequest | None,
    *,
    trainer: Person,
    programme: Programme,
    requesting: Organisation,
    days: list[dt.date],
    errors: dict[str, str],
) -> Accreditation | None:
    """The accreditation covering the days, and whether the trainer is free on each of them."""
    accreditation = current_accreditation(trainer, programme, days)
    if accreditation is None:
        errors["trainer"] = _accreditation_refusal(trainer, programme, days)
    unavailable = pool.unavailable_dates(
        trainer=trainer, organisation=requesting, dates=days, excluding=request
    )
    if unavailable:
        errors["dates"] = "The trainer cannot deliver on " + "; ".join(
            f"{_long_date(day)}: {reason.rstrip('.')}"
            for day, reason in sorted(unavailable.items())
        )
    return accreditation


# --- Asking -----------------------------------------------------------------------------------


def _time(value: object, field: str, label: str, errors: dict[str, str]) -> dt.time | None:
    # A time with a zone is refused: times of day are Europe/London wall-clock times.
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    errors[field] = f"Enter the {label} time, like 09:30"
    return None


def _day_rate(value: object, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    amount = fields.amount(value, "day_rate", "Day rate", 2, DAY_RATE_MAX, errors)
    return amount if "day_rate" not in errors else None


def request_delivery(
    *,
    actor: Actor,
    trainer: Person,
    programme: Programme,
    dates: Sequence[dt.date],
    starts_at: dt.time | None,
    ends_at: dt.time | None,
    places: int | str,
    venue: str = "",
    day_rate: Decimal | str | None = None,
    message: str = "",
) -> DeliveryRequest:
    """An L&D lead of B asks for a partner's accredited trainer to run a programme at B."""
    if not access.may_request_delivery(actor):
        raise PermissionDenied
    requesting = actor.organisation
    errors: dict[str, str] = {}
    job = lending_employment(trainer)
    lender = job.organisation if job else None
    if lender is None:
        errors["trainer"] = "This trainer does not work for a partner organisation now"
    elif lender.pk == requesting.pk:
        errors["trainer"] = (
            "This trainer works for your organisation: a delivery request is for a partner's "
            "trainer"
        )
    elif not are_partners(requesting, lender):
        errors["trainer"] = "This trainer does not work for a partner organisation now"
    elif line_manager_of(trainer, lender) is None:
        errors["trainer"] = (
            f"The trainer has no line manager recorded at {lender.name}, who must approve: "
            "ask their learning and development lead to record one"
        )
    if not programme.delivered_by_accredited_trainers:
        errors["programme"] = f"{programme.title} is not delivered by accredited trainers"
    elif not learning_access.visible_programmes(actor).filter(pk=programme.pk).exists():
        errors["programme"] = "Choose a programme your organisation can see"
    days = _check_dates(dates, errors)
    starts = _time(starts_at, "starts_at", "start", errors)
    ends = _time(ends_at, "ends_at", "end", errors)
    if starts and ends and ends <= starts:
        errors["ends_at"] = "The end time must be after the start time"
    count = fields.whole_number(places, "places", "Places", PLACES_MAX, errors)
    if "places" not in errors and count < 1:
        errors["places"] = "Places must be 1 or more"
    venue = fields.clean_text(venue, "venue", "the venue", VENUE_MAX, errors, required=False)
    message = fields.clean_text(
        message, "message", "a message", MESSAGE_MAX, errors, required=False
    )
    rate = _day_rate(day_rate, errors)
    accreditation = None
    if days and "dates" not in errors and "trainer" not in errors and "programme" not in errors:
        accreditation = _check_trainer(
            None,
            trainer=trainer,
            programme=programme,
            requesting=requesting,
            days=days,
            errors=errors,
        )
    fields.refuse_if(errors)
    with transaction.atomic():
        request = DeliveryRequest.objects.create(
            requesting_organisation=requesting,
            lending_organisation=lender,
            trainer=trainer,
            accreditation=accreditation,
            programme=programme,
            places=count,
            venue=venue,
            starts_at=starts,
            ends_at=ends,
            day_rate=rate,
            message=message,
            requested_by=actor.person,
        )
        DeliveryDay.objects.bulk_create([DeliveryDay(request=request, date=day) for day in days])
        audit.record(
            actor=actor,
            action="delivery_request.made",
            kind="materials.DeliveryRequest",
            object_id=request.pk,
            label=programme.title,
            organisation=requesting,
            changes={
                "lending_organisation": lender.pk,
                "trainer": trainer.pk,
                "programme": programme.pk,
                "accreditation": accreditation.pk,
                "dates": [day.isoformat() for day in days],
                "starts_at": starts.isoformat(),
                "ends_at": ends.isoformat(),
                "places": count,
                "day_rate": str(rate) if rate is not None else None,
            },
        )
        delivery_notices.waiting(request)
    return request


# --- Approving, declining, withdrawing ----------------------------------------------------------


def days_of(request: DeliveryRequest) -> list[dt.date]:
    return list(request.days.order_by("date").values_list("date", flat=True))


def _recheck(request: DeliveryRequest, days: list[dt.date]) -> None:
    """The dates are still ahead, the accreditation current and the trainer free on each."""
    errors: dict[str, str] = {}
    _check_dates(days, errors)
    if "dates" not in errors:
        _check_trainer(
            request,
            trainer=request.trainer,
            programme=request.programme,
            requesting=request.requesting_organisation,
            days=days,
            errors=errors,
        )
    if errors:
        message = "; ".join(errors.values())
        raise MaterialRefused(None, f"This request cannot be approved: {message}")


def _adopted_programme(host_actor: Actor, request: DeliveryRequest) -> Programme:
    """B's own copy of the accredited programme, created the first time B adopts it."""
    source = request.programme
    found = Programme.objects.filter(
        host=request.requesting_organisation, adopted_from=source
    ).first()
    if found is not None:
        return found
    values = {field: getattr(source, field) for field in learning.PROGRAMME_FIELDS}
    topics = list(source.topics.values_list("name", flat=True))
    adopted = learning.create_programme(actor=host_actor, topics=topics, **values)
    Programme.objects.filter(pk=adopted.pk).update(
        adopted_from=source, delivered_by_accredited_trainers=True
    )
    adopted.adopted_from = source
    adopted.delivered_by_accredited_trainers = True
    return adopted


def _host_actor(request: DeliveryRequest) -> Actor:
    """Who adds B's run: the L&D lead of B who asked for it, acting for B.

    The run is the one they asked for (dates, times, places, venue); A's lead only approves
    lending the trainer, and may not add runs at B. They must still be able to host at B.
    """
    host = Actor(person=request.requested_by, organisation=request.requesting_organisation)
    if request.requested_by is None or not access.may_host_delivery(host):
        raise MaterialRefused(
            None,
            f"The person at {request.requesting_organisation.name} who asked for this delivery "
            "can no longer add runs there, so the run cannot be set up: decline the request and "
            "ask them to send a new one",
        )
    return host


def _create_run(request: DeliveryRequest, days: list[dt.date]) -> Run:
    host_actor = _host_actor(request)
    programme = _adopted_programme(host_actor, request)
    sessions = [
        {
            "date": day,
            "starts_at": request.starts_at,
            "ends_at": request.ends_at,
            "venue": request.venue,
        }
        for day in days
    ]
    try:
        run = learning.add_run(
            actor=host_actor, programme=programme, sessions=sessions, capacity=request.places
        )
    except ValidationError as error:
        raise MaterialRefused(None, "; ".join(error.messages)) from error
    Run.objects.filter(pk=run.pk).update(trainer=request.trainer)
    run.trainer = request.trainer
    return run


def approve_delivery(*, actor: Actor, request: DeliveryRequest) -> DeliveryRequest:
    """The person whose turn it is approves: the trainer, their line manager, A's L&D lead.

    The last approval creates B's run (and B's adopted programme the first time).
    """
    status = request.status
    if status not in PENDING or not access.may_approve_delivery(actor, request):
        raise PermissionDenied
    days = days_of(request)
    _recheck(request, days)
    now = timezone.now()
    changes: dict = {"status": NEXT_STATUS[status]}
    if status == DeliveryStatus.AWAITING_TRAINER:
        changes["trainer_approved_at"] = now
    elif status == DeliveryStatus.AWAITING_MANAGER:
        changes.update(manager_approved_by=actor.person, manager_approved_at=now)
    else:
        changes.update(lead_approved_by=actor.person, lead_approved_at=now)
    with transaction.atomic():
        if not DeliveryRequest.objects.filter(pk=request.pk, status=status).update(**changes):
            raise MaterialRefused(None, CHANGED)
        for name, value in changes.items():
            setattr(request, name, value)
        run = None
        if request.status == DeliveryStatus.APPROVED:
            run = _create_run(request, days)
            DeliveryRequest.objects.filter(pk=request.pk).update(run=run)
            request.run = run
        audit.record(
            actor=actor,
            action="delivery_request.approved",
            kind="materials.DeliveryRequest",
            object_id=request.pk,
            label=request.programme.title,
            organisation=request.lending_organisation,
            changes={"step": str(status), "status": str(request.status), "run": run and run.pk},
        )
        delivery_notices.waiting(request)
    return request


def decline_delivery(*, actor: Actor, request: DeliveryRequest, reason: str) -> DeliveryRequest:
    """The trainer, their line manager or A's L&D lead declines, with the reason B reads."""
    if request.status not in PENDING or not access.may_decline_delivery(actor, request):
        raise PermissionDenied
    errors: dict[str, str] = {}
    reason = fields.clean_text(reason, "reason", "the reason", REASON_MAX, errors, required=True)
    fields.refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        declined = DeliveryRequest.objects.filter(pk=request.pk, status__in=PENDING).update(
            status=DeliveryStatus.DECLINED,
            declined_by=actor.person,
            declined_at=now,
            decline_reason=reason,
        )
        if not declined:
            raise MaterialRefused(None, CHANGED)
        step = request.status
        request.status = DeliveryStatus.DECLINED
        request.declined_by, request.declined_at, request.decline_reason = actor.person, now, reason
        audit.record(
            actor=actor,
            action="delivery_request.declined",
            kind="materials.DeliveryRequest",
            object_id=request.pk,
            label=request.programme.title,
            organisation=request.lending_organisation,
            changes={"step": str(step)},
        )
        delivery_notices.decided(request)
    return request


def withdraw_delivery(*, actor: Actor, request: DeliveryRequest) -> DeliveryRequest:
    """B's L&D lead (or whoever asked) withdraws the request before approval is complete."""
    if not access.may_withdraw_delivery(actor, request):
        raise PermissionDenied
    with transaction.atomic():
        withdrawn = DeliveryRequest.objects.filter(pk=request.pk, status__in=PENDING).update(
            status=DeliveryStatus.WITHDRAWN
        )
        if not withdrawn:
            raise MaterialRefused(
                None, "Only a request still waiting for approval can be withdrawn"
            )
        step = request.status
        request.status = DeliveryStatus.WITHDRAWN
        audit.record(
            actor=actor,
            action="delivery_request.withdrawn",
            kind="materials.DeliveryRequest",
            object_id=request.pk,
            label=request.programme.title,
            organisation=request.requesting_organisation,
            changes={"step": str(step)},
        )
        delivery_notices.decided(request)
    return request


# --- After the last day -------------------------------------------------------------------------


def _deliver(request: DeliveryRequest, last_day: dt.date, count: int) -> bool:
    """Mark one approved request delivered and post its day rate, in one transaction."""
    with transaction.atomic():
        # The claim: only the first call to land moves it; a second finds nothing to update.
        if not DeliveryRequest.objects.filter(
            pk=request.pk, status=DeliveryStatus.APPROVED, recharge__isnull=True
        ).update(status=DeliveryStatus.DELIVERED):
            return False
        entry = None
        if request.day_rate:
            entry = ledger.post_recharge(
                actor=None,
                payer=request.requesting_organisation,
                payee=request.lending_organisation,
                amount=request.day_rate * count,
                source_kind=SOURCE_KIND,
                source_id=str(request.pk),
                source_label=f"{request.programme.title}: {count} days at {request.day_rate}"[:200],
                occurred_on=last_day,
            )
            DeliveryRequest.objects.filter(pk=request.pk).update(recharge=entry)
        audit.record(
            actor=None,
            action="delivery_request.delivered",
            kind="materials.DeliveryRequest",
            object_id=request.pk,
            label=request.programme.title,
            organisation=request.requesting_organisation,
            changes={"days": count, "recharge": entry.pk if entry else None},
        )
    return True


def mark_delivered(today: dt.date | None = None) -> int:
    """Mark approved requests whose last day has passed delivered (and post each day rate);
    return how many this call marked. A request whose run was cancelled stays approved."""
    today = today or timezone.localdate()
    due = (
        DeliveryRequest.objects.filter(
            status=DeliveryStatus.APPROVED, recharge__isnull=True, run__cancelled_at__isnull=True
        )
        .annotate(last_day=Max("days__date"))
        .filter(last_day__lt=today)
        .select_related("requesting_organisation", "lending_organisation", "programme")
        .order_by("last_day", "id")
    )
    marked = 0
    for request in due:
        count = request.days.count()
        try:
            marked += _deliver(request, request.last_day, count)
        except ValidationError:
            # No longer partners, say: left approved and logged, for a person to settle.
            logger.warning("Delivery request %s could not be marked delivered", request.pk)
    return marked
