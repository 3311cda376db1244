"""An enrolment's payments: the levy commitment of a levy- or transfer-funded enrolment, the
changes passed on to it, and the schedule the enrolment page shows.

- `start`: a levy- or transfer-funded enrolment gets a `levy.Commitment` on the employer's levy
  account (opened for a transfer's receiver that has none), made by the levy's own service
  (`levy.declarations.add_commitment`; a transfer claims its first-year cost from the sender's
  allowance there, one conditional update). Its completion payment waits for the recorded
  completion. Privately and co-funded enrolments post nothing to the levy ledger.
- `pause`, `resume`, `change_terms`, `stop`, `complete`: passed on to the commitment as dated events
  (`levy.commitment_events.record_event`), which move its schedule by the rules of
  `levy.payments.payment_schedule_with_events`. A commitment the levy officer has already ended
  takes nothing more.
- `move`: a change of employer stops the old commitment and, when the levy pays for the new
  employer, starts one on its account for the rest of the price.
- `schedule_rows`: each month's payment and whether it is on the ledger; for privately and
  co-funded enrolments, what the employer pays and when (a guide: nothing is posted).

The levy app never imports this app: the commitment's reference is the enrolment's reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from joinedup.levy import (
    commitment_events,
    declarations,
    payments,
    queries,
    rules,
    services,
    summaries,
)
from joinedup.levy.models import (
    Commitment,
    CommitmentEventKind,
    CommitmentStatus,
)
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access
from .models import Enrolment, EnrolmentStatus, FundingRoute

LEVY_ROUTES = (FundingRoute.LEVY, FundingRoute.TRANSFER)


@dataclass(frozen=True)
class ScheduleRow:
    """One payment of an enrolment's schedule. `posted`: on the levy ledger (True/False), or None
    when the levy ledger never holds it (paid by the employer directly)."""

    month: str
    month_start: dt.date
    label: str
    amount: Decimal
    posted: bool | None
    payer: str


def _funding_band(enrolment: Enrolment) -> Decimal:
    band = enrolment.cohort.programme.standard.funding_band
    if band is None:
        raise ValidationError(
            {"funding_route": "The standard has no funding band, so the levy cannot pay for it"}
        )
    return band


def _check_payer(enrolment: Enrolment) -> None:
    """Refuse a levy- or transfer-funded enrolment with no account or sender to pay."""
    transfer = enrolment.funding_route == FundingRoute.TRANSFER
    if not transfer and enrolment.levy_account_id is None:
        raise ValidationError({"levy_account": "Choose the levy account that pays"})
    if transfer and enrolment.transfer_from_id is None:
        raise ValidationError({"transfer_from": "Choose the partner whose transfer pays"})


def _commit(
    enrolment: Enrolment,
    *,
    actor: Actor | None,
    start_on: dt.date,
    price: Decimal,
    funding_band: Decimal,
    action: str,
    changes: dict,
) -> Commitment:
    """Add the enrolment's levy commitment on its employer's account (opened for a transfer's
    receiver that has none, as the levy service opens it: once; the sender's funds pay), link it
    to the enrolment and audit `action`. Inside the caller's transaction."""
    transfer = enrolment.funding_route == FundingRoute.TRANSFER
    account = enrolment.levy_account or services.open_account(
        actor=actor, organisation=enrolment.employer
    )
    # Back at an employer it left: its earlier commitment keeps the plain reference.
    reference = enrolment.reference
    earlier = Commitment.objects.filter(account=account).filter(
        Q(reference=reference) | Q(reference__startswith=f"{reference}-")
    )
    if earlier.exists():
        reference = f"{reference}-{earlier.count() + 1}"
    programme = enrolment.cohort.programme
    standard = programme.standard
    commitment = declarations.add_commitment(
        actor=actor,
        account=account,
        reference=reference,
        provider=programme.provider.name,
        standard_code=standard.reference_code,
        standard_title=standard.title,
        level=standard.level,
        start_on=start_on,
        planned_end_on=enrolment.planned_end_on,
        price=price,
        funding_band=funding_band,
        funded_by=enrolment.transfer_from if transfer else None,
        completion_on_record=True,
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(levy_commitment=commitment)
    enrolment.levy_commitment = commitment
    audit.record(
        actor=actor,
        action=action,
        kind="apprenticeships.Enrolment",
        object_id=enrolment.pk,
        label=enrolment.reference,
        organisation=enrolment.employer,
        changes={
            "levy_commitment": commitment.pk,
            "account": account.pk,
            "funded_by": enrolment.transfer_from_id if transfer else None,
            **changes,
        },
    )
    return commitment


def start(enrolment: Enrolment, *, actor: Actor | None) -> Commitment | None:
    """A levy- or transfer-funded enrolment's levy commitment, made now (once; a second call
    returns the first); nothing for privately or co-funded enrolments."""
    if enrolment.funding_route not in LEVY_ROUTES:
        return None
    _check_payer(enrolment)
    with transaction.atomic():
        current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if current.levy_commitment_id is not None:
            enrolment.levy_commitment = current.levy_commitment
            return current.levy_commitment
        commitment = _commit(
            current,
            actor=actor,
            start_on=current.start_on,
            price=current.price,
            funding_band=_funding_band(current),
            action="apprenticeship_payments.started",
            changes={},
        )
    enrolment.levy_commitment = commitment
    return commitment


def _pass_on(
    enrolment: Enrolment,
    *,
    actor: Actor | None,
    kind: str,
    on: dt.date,
    planned_end_on: dt.date | None = None,
    price: Decimal | None = None,
    why: str = "",
) -> None:
    """Record the change on the enrolment's levy commitment, if it has one still active (`why`
    follows the enrolment's reference in the event's reason). A refusal about the date names the
    enrolment's `effective_on`."""
    if enrolment.levy_commitment_id is None:
        return
    with transaction.atomic():
        commitment = Commitment.objects.select_related("account__organisation").get(
            pk=enrolment.levy_commitment_id
        )
        if commitment.status != CommitmentStatus.ACTIVE:
            return
        try:
            commitment_events.record_event(
                actor=actor,
                commitment=commitment,
                kind=kind,
                on=on,
                planned_end_on=planned_end_on,
                price=price,
                reason=f"Enrolment {enrolment.reference}{why}",
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "on" in error.error_dict:
                raise ValidationError({"effective_on": error.error_dict["on"]}) from None
            raise


def pause(enrolment: Enrolment, *, actor: Actor | None, on: dt.date) -> None:
    """A break in learning from `on`: instalments pause (see the levy's rules)."""
    _pass_on(enrolment, actor=actor, kind=CommitmentEventKind.BREAK, on=on)


def resume(
    enrolment: Enrolment, *, actor: Actor | None, on: dt.date, planned_end_on: dt.date
) -> None:
    """Back from a break on `on`: what is unpaid is spread to the new planned end."""
    _pass_on(
        enrolment,
        actor=actor,
        kind=CommitmentEventKind.RESUME,
        on=on,
        planned_end_on=planned_end_on,
    )


def change_terms(
    enrolment: Enrolment,
    *,
    actor: Actor | None,
    on: dt.date,
    price: Decimal | None = None,
    planned_end_on: dt.date | None = None,
) -> None:
    """A new agreed price or planned end from `on` (either or both; not before the commitment
    starts): what is unpaid is spread again under the new capped price to the planned end. After
    a move the commitment pays the price less what was paid before it (`levy_paid_before`)."""
    if enrolment.levy_commitment_id is None:
        return
    commitment = Commitment.objects.only("start_on").get(pk=enrolment.levy_commitment_id)
    if price is not None:
        paid_before = Decimal(enrolment.levy_paid_before)
        if price <= paid_before:
            raise ValidationError(
                {
                    "price": f"The price must be more than the £{paid_before:,.2f} paid before "
                    "the apprentice moved employer"
                }
            )
        price -= paid_before
    _pass_on(
        enrolment,
        actor=actor,
        kind=CommitmentEventKind.CHANGE,
        on=max(on, commitment.start_on),
        planned_end_on=planned_end_on,
        price=price,
    )


def stop(enrolment: Enrolment, *, actor: Actor | None, on: dt.date) -> None:
    """Withdrawn on `on`: no later instalment and no completion payment."""
    _pass_on(enrolment, actor=actor, kind=CommitmentEventKind.STOP, on=on)


def complete(enrolment: Enrolment, *, actor: Actor | None, on: dt.date) -> None:
    """Completed on `on`: the completion payment (and before the planned end, the balancing
    payment) in that month."""
    _pass_on(enrolment, actor=actor, kind=CommitmentEventKind.COMPLETE, on=on)


def _paid_before_move(enrolment: Enrolment, on: dt.date) -> Decimal:
    """Of the capped price, what is paid once a move on `on` stops the payments: what earlier
    commitments paid and the current one's schedule (the stop already recorded), or, without a
    commitment, what the plan reached by then."""
    if enrolment.levy_commitment_id is not None:
        old = queries.schedule_of(Commitment.objects.get(pk=enrolment.levy_commitment_id))
        return Decimal(enrolment.levy_paid_before) + old.total
    plan = payments.payment_schedule(
        start=enrolment.start_on,
        planned_end=enrolment.planned_end_on,
        price=enrolment.price,
        funding_band=_funding_band(enrolment),
        terms=payments.in_force(rules.payment_terms(), enrolment.start_on),
        events=[payments.ScheduleEvent(kind=payments.EventKind.STOP, on=on)],
    )
    return plan.total


def _first_month_after_move(enrolment: Enrolment, on: dt.date) -> dt.date:
    """The first month the old commitment would no longer pay after a move on `on` (a move on
    a month's last day leaves that month to it; a month already on the ledger stays posted)."""
    month = payments.census_month(on)
    if enrolment.levy_commitment_id is not None:
        old = Commitment.objects.get(pk=enrolment.levy_commitment_id)
        month = max(month, summaries.first_unposted_month(old) or month)
    return month


def move(enrolment: Enrolment, *, actor: Actor | None, on: dt.date) -> Commitment | None:
    """The apprentice moved employer on `on` (the enrolment already holds the new employer,
    route and accounts; called by `enrolments.change_employer`).

    The old commitment stops as for a withdrawal: no later instalment, no completion payment.
    When the levy pays for the new employer (its own account, or a partner's transfer), a new
    commitment on the new employer's account pays the rest of the capped price from the first
    month the old one no longer pays to the planned end, 80% by month and 20% on completion, as
    the apprenticeship service's change of employer does; what was paid is not paid again
    (`levy_paid_before`). A move with no month of training left changes nothing here: the old
    commitment still pays the completion payment."""
    levy_paid = enrolment.funding_route in LEVY_ROUTES
    if levy_paid:
        _check_payer(enrolment)
    new_start = max(on, _first_month_after_move(enrolment, on))
    try:
        payments.instalment_months(new_start, enrolment.planned_end_on)
    except ValueError:
        return None
    with transaction.atomic():
        moved = f": moved to {enrolment.employer.name}"
        _pass_on(enrolment, actor=actor, kind=CommitmentEventKind.STOP, on=on, why=moved)
        paid = _paid_before_move(enrolment, on) if levy_paid else Decimal(0)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            levy_commitment=None, levy_paid_before=paid
        )
        enrolment.levy_commitment, enrolment.levy_paid_before = None, paid
        band = _funding_band(enrolment) if levy_paid else Decimal(0)
        left = payments.capped_price(enrolment.price, band) - paid if levy_paid else Decimal(0)
        if left <= 0:
            return None
        commitment = _commit(
            enrolment,
            actor=actor,
            start_on=new_start,
            price=left,
            # Less what was paid, so that a later change of price is capped as the whole is.
            funding_band=band - paid,
            action="apprenticeship_payments.moved",
            changes={"price": str(left), "paid_before": str(paid), "start_on": str(new_start)},
        )
        if enrolment.status == EnrolmentStatus.ON_BREAK:
            commitment_events.record_event(
                actor=actor,
                commitment=commitment,
                kind=CommitmentEventKind.BREAK,
                on=new_start,
                reason=f"Enrolment {enrolment.reference}: on a break when it moved",
            )
    return commitment


# --- The schedule the enrolment page shows ----------------------------------------------------


def _month_text(month: dt.date) -> str:
    return f"{month:%B %Y}"


def _rows(
    schedule: payments.PaymentSchedule,
    *,
    payer: str,
    share: Decimal = Decimal(1),
    posted: set[str] | None = None,
) -> list[ScheduleRow]:
    """The schedule's payments as rows: `share` of each (the employer's part when co-funded,
    rounded on the running total so the rows add up to the share of the whole); `posted` the
    months on the ledger, or None when the ledger never holds them."""
    running = {"before": Decimal(0), "shown": Decimal(0)}

    def row(month: dt.date, label: str, amount: Decimal) -> ScheduleRow:
        on_ledger = None if posted is None else f"{month:%Y-%m}" in posted
        running["before"] += amount
        part = queries.to_ledger_places(running["before"] * share) - running["shown"]
        running["shown"] += part
        return ScheduleRow(_month_text(month), month, label, part, on_ledger, payer)

    count = len(schedule.instalments)
    rows = [
        row(i.month, f"Instalment {number} of {count}", i.amount)
        for number, i in enumerate(schedule.instalments, start=1)
    ]
    if schedule.balancing_payment:
        rows.append(row(schedule.completion_month, "Balancing payment", schedule.balancing_payment))
    if schedule.completion_payment:
        label = "Completion payment"
        if not schedule.completion_due:
            label += " (expected: paid in the month the completion is recorded)"
        rows.append(row(schedule.completion_month, label, schedule.completion_payment))
    return rows


def _history_events(enrolment: Enrolment) -> list[payments.ScheduleEvent]:
    """A privately or co-funded enrolment's history as schedule events (its last planned end for
    each return)."""
    events: list[payments.ScheduleEvent] = []
    on_break = False
    for change in enrolment.history.order_by("effective_on", "changed_at", "id"):
        if change.status == EnrolmentStatus.ON_BREAK and not on_break:
            events.append(payments.ScheduleEvent(payments.EventKind.BREAK, change.effective_on))
            on_break = True
        elif change.status == EnrolmentStatus.ACTIVE and on_break:
            events.append(
                payments.ScheduleEvent(
                    payments.EventKind.RESUME,
                    change.effective_on,
                    planned_end=enrolment.planned_end_on,
                )
            )
            on_break = False
        elif change.status == EnrolmentStatus.WITHDRAWN:
            events.append(payments.ScheduleEvent(payments.EventKind.STOP, change.effective_on))
            break
        elif change.status == EnrolmentStatus.COMPLETED:
            events.append(payments.ScheduleEvent(payments.EventKind.COMPLETE, change.effective_on))
            break
    return events


def _employer_rows(enrolment: Enrolment) -> list[ScheduleRow]:
    """What the employer pays the provider directly, and when: all of a privately funded price
    (in the levy's pattern, as a guide), or when co-funded its share of each payment up to the
    band and everything above the band at the start."""
    employer = enrolment.employer.name
    start_month = enrolment.start_on.replace(day=1)
    terms = payments.in_force(rules.payment_terms(), enrolment.start_on)
    private = enrolment.funding_route == FundingRoute.PRIVATE
    band = enrolment.price if private else _funding_band(enrolment)
    schedule_args = {
        "start": enrolment.start_on,
        "planned_end": enrolment.planned_end_on,
        "price": enrolment.price,
        "funding_band": band,
        "terms": terms,
        "completion_on_record": True,
    }
    try:
        schedule = payments.payment_schedule(**schedule_args, events=_history_events(enrolment))
    except ValueError:
        schedule = payments.payment_schedule(**schedule_args)
    if private:
        return _rows(schedule, payer=employer)
    government = payments.in_force(rules.co_investment_rates(), enrolment.start_on)
    rows = _rows(schedule, payer=employer, share=1 - government.government_share)
    if schedule.employer_excess:
        rows.insert(
            0,
            ScheduleRow(
                _month_text(start_month),
                start_month,
                "Above the funding band",
                schedule.employer_excess,
                None,
                employer,
            ),
        )
    return rows


def schedule_rows(enrolment: Enrolment) -> list[ScheduleRow]:
    """The enrolment's payments month by month: from the levy account (posted to its ledger or
    not yet) for a levy- or transfer-funded enrolment that has started, with anything above the
    funding band that the employer pays directly; what the employer pays for privately and
    co-funded ones; nothing before a levy-funded enrolment starts."""
    if enrolment.funding_route not in LEVY_ROUTES:
        try:
            return _employer_rows(enrolment)
        except (ValidationError, ValueError):
            return []
    if enrolment.levy_commitment_id is None:
        return []
    commitment = Commitment.objects.select_related(
        "account__organisation", "funded_by__organisation"
    ).get(pk=enrolment.levy_commitment_id)
    try:
        schedule = queries.schedule_of(commitment)
    except ValueError:
        return []
    paying = commitment.funded_by or commitment.account
    payer = f"{paying.organisation.name} levy account"
    rows = _rows(schedule, payer=payer, posted=commitment_events.posted_months(commitment))
    if schedule.employer_excess:
        start_month = commitment.start_on.replace(day=1)
        rows.insert(
            0,
            ScheduleRow(
                _month_text(start_month),
                start_month,
                "Above the funding band: paid by the employer directly",
                schedule.employer_excess,
                None,
                enrolment.employer.name,
            ),
        )
    return rows


def enrolment_link(actor: Actor, commitment: Commitment) -> tuple[str, str] | None:
    """The link from a levy commitment's page to its enrolment, for those who may see it
    (registered with `levy.commitment_events.register_link` when the app is ready)."""
    enrolment = (
        access.visible_enrolments(actor)
        .filter(levy_commitment=commitment)
        .only("pk", "reference")
        .first()
    )
    if enrolment is None:
        return None
    url = reverse("apprenticeships:enrolment", args=[enrolment.pk])
    return f"Enrolment {enrolment.reference}", url
