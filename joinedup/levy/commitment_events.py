"""What happens to a commitment's apprenticeship, recorded so that its payment schedule follows:
a break, a return with a new planned end, a withdrawal, a completion, a change of the agreed price
or planned end.

Each event is one transaction with one audit entry. It is checked by working the schedule out
with it (`payments.payment_schedule_with_events`, whose docstring holds the rules), takes effect
no earlier than the first month whose payment is not yet on the ledger (the ledger only grows,
so a month already posted is never changed), and moves what the payer is committed to
(`summaries.commitment_rescheduled`). A withdrawal or completion ends the commitment (status
stopped or completed); its last payments are still posted in their months by
`services.post_payments`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import declarations, payments, pledges, queries, summaries
from .models import (
    Commitment,
    CommitmentEvent,
    CommitmentEventKind,
    CommitmentStatus,
    EntryKind,
    LedgerEntry,
    LevyAccount,
)

ENDS = {
    CommitmentEventKind.STOP: CommitmentStatus.STOPPED,
    CommitmentEventKind.COMPLETE: CommitmentStatus.COMPLETED,
}


def record_event(
    *,
    actor: Actor | None,
    commitment: Commitment,
    kind: str,
    on: dt.date,
    planned_end_on: dt.date | None = None,
    reason: str = "",
    price: Decimal | None = None,
) -> CommitmentEvent:
    """Record a break, return, withdrawal, completion or change of price or planned end of an
    active commitment's apprenticeship and move its payments to match; ValidationError naming
    the field when it cannot happen."""
    if kind not in CommitmentEventKind.values:
        raise ValidationError(
            {"kind": "Choose a break, a return, a withdrawal, a completion or a change"}
        )
    if kind == CommitmentEventKind.RESUME and planned_end_on is None:
        raise ValidationError({"planned_end_on": "Give the new planned end date of the return"})
    changing = kind == CommitmentEventKind.CHANGE
    if changing and price is None and planned_end_on is None:
        raise ValidationError({"price": "Give the new price or the new planned end date"})
    with transaction.atomic():
        # The payer's row first, as `services.post_payments` takes it, so the two never cross.
        payer = commitment.funded_by_id or commitment.account_id
        LevyAccount.objects.select_for_update().filter(pk=payer).first()
        current = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if current.status != CommitmentStatus.ACTIVE:
            raise ValidationError(
                f"The apprenticeship {current.reference} has already ended "
                f"({current.get_status_display().lower()})"
            )
        before = queries.events_of([current.pk]).get(current.pk, [])
        if before and on < before[-1].on:
            raise ValidationError(
                {"on": f"The date must not be before the last change, on {before[-1].on:%d %B %Y}"}
            )
        event = CommitmentEvent(
            commitment=current,
            kind=kind,
            on=on,
            planned_end_on=planned_end_on
            if kind == CommitmentEventKind.RESUME or changing
            else None,
            price=price if changing else None,
            not_before=summaries.first_unposted_month(current),
            reason=reason.strip()[:300],
            created_by=actor.person if actor else None,
        )
        after = [*before, queries.schedule_event(event)]
        try:
            queries.schedule_of(current, events=after)
        except ValueError as error:
            text = str(error)
            field = (
                "planned_end_on" if "planned end" in text else "price" if "price" in text else "on"
            )
            raise ValidationError({field: f"This change cannot be recorded: {error}"}) from None
        if changing and current.funded_by_id is not None:
            _claim_more_allowance(current, before, price=price, planned_end_on=planned_end_on)
        event.save()
        summaries.commitment_rescheduled(current, before, after)
        if kind in ENDS:
            Commitment.objects.filter(pk=current.pk).update(status=ENDS[kind])
            commitment.status = ENDS[kind]
        audit.record(
            actor=actor,
            action=f"levy_commitment.{kind}",
            kind="levy.Commitment",
            object_id=current.pk,
            label=current.reference,
            organisation=current.account.organisation,
            changes={
                "event": event.pk,
                "kind": kind,
                "on": on.isoformat(),
                "planned_end_on": planned_end_on.isoformat() if planned_end_on else None,
                "price": str(price) if changing and price is not None else None,
                "not_before": event.not_before.isoformat() if event.not_before else None,
            },
        )
    return event


def _claim_more_allowance(
    commitment: Commitment,
    before: list[payments.ScheduleEvent],
    *,
    price: Decimal | None,
    planned_end_on: dt.date | None,
) -> None:
    """A change that raises a transfer's first-year cost claims the difference from the sender's
    allowance this year (refused on the price when too little is left); a lower cost releases
    nothing, as a withdrawal releases nothing."""
    price_now, end_now = commitment.price, commitment.planned_end_on
    for event in before:
        price_now = event.price if event.price is not None else price_now
        end_now = event.planned_end or end_now
    day = pledges.today()
    cost_now = declarations.transfer_first_year_cost(
        commitment, day, price=price_now, planned_end_on=end_now
    )
    cost_new = declarations.transfer_first_year_cost(
        commitment, day, price=price or price_now, planned_end_on=planned_end_on or end_now
    )
    if cost_new > cost_now:
        sender = LevyAccount.objects.select_related("organisation").get(pk=commitment.funded_by_id)
        declarations.claim_transfer_allowance(sender, cost_new - cost_now, day, field="price")


def schedule_with_events(commitment: Commitment) -> payments.PaymentSchedule | None:
    """The commitment's schedule as its events moved it (None when no terms are in force)."""
    try:
        return queries.schedule_of(commitment)
    except ValueError:
        return None


def posted_months(commitment: Commitment) -> set[str]:
    """The months (YYYY-MM) whose payment of the commitment the payer has on its ledger."""
    payer = commitment.funded_by_id or commitment.account_id
    kind = EntryKind.PAYMENT if commitment.funded_by_id is None else EntryKind.TRANSFER_OUT
    keys = LedgerEntry.objects.filter(
        account_id=payer, key__startswith=f"{kind}:c{commitment.pk}:"
    ).values_list("key", flat=True)
    return {key.rsplit(":", 1)[1] for key in keys}


@dataclass(frozen=True)
class ScheduleLine:
    """One payment of a commitment's schedule as the pages show it."""

    month: dt.date
    label: str
    amount: Decimal
    posted: bool


def schedule_lines(schedule: payments.PaymentSchedule, posted: set[str]) -> list[ScheduleLine]:
    """The schedule's payments in month order, each with whether it is on the ledger."""

    def line(month: dt.date, label: str, amount: Decimal) -> ScheduleLine:
        return ScheduleLine(month, label, amount, f"{month:%Y-%m}" in posted)

    count = len(schedule.instalments)
    lines = [
        line(i.month, f"Instalment {number} of {count}", i.amount)
        for number, i in enumerate(schedule.instalments, start=1)
    ]
    if schedule.balancing_payment:
        lines.append(
            line(schedule.completion_month, "Balancing payment", schedule.balancing_payment)
        )
    if schedule.completion_payment:
        label = "Completion payment"
        if not schedule.completion_due:
            label += " (expected: paid in the month the completion is recorded)"
        lines.append(line(schedule.completion_month, label, schedule.completion_payment))
    return lines


# Links from a commitment to the record another app keeps for it (an enrolment), without the
# levy importing that app: the app registers a function of (actor, commitment) giving
# (text, url) or None when the actor may not see its record.
LinkFinder = Callable[[Actor, Commitment], "tuple[str, str] | None"]
_link_finders: list[LinkFinder] = []


def register_link(finder: LinkFinder) -> None:
    """Add a way to link a commitment to another app's record (once per function)."""
    if finder not in _link_finders:
        _link_finders.append(finder)


def links_for(actor: Actor, commitment: Commitment) -> list[tuple[str, str]]:
    """The links to other apps' records of the commitment that the actor may follow."""
    found = (finder(actor, commitment) for finder in _link_finders)
    return [link for link in found if link is not None]
