"""Joint commissions: partners commission one plan together, share its cost and hold its places.

A plan's L&D lead starts a commission on an open plan and leads it (the plan's organisation is the
lead). L&D leads of other members of the lead's partnership join by committing places, and may
change their places or leave while it is forming. The lead sets the split method and, if it wants,
a total cost; until then the total is the default: the plan's design cost plus its delivery cost
per place times every committed place. Agreeing splits the total with `cost_split.split_cost`
(shares add up exactly to the total), posts each non-lead partner's share to the recharge ledger
(payer the partner, payee the lead) and marks the plan commissioned, once.

Once the lead links the programme the commission produced (hosted by the lead and open to
partners), each run of it reserves each non-lead partner's committed places: see
`reserve_committed_places`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership import services as ledger
from joinedup.partnership.access import are_partners
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation

from . import access, reservations, services, similar
from .cost_split import CostSplitError, Method, Partner, split_cost
from .models import (
    CommissioningPlan,
    CommissionPartner,
    CommissionStatus,
    JointCommission,
    PlanStatus,
    Programme,
    Reservation,
    Run,
    SharingPolicy,
    SplitMethod,
)
from .value_for_money import PartnerCost, Value, value_for_money

MOST_PLACES = 100_000
LARGEST_TOTAL = Decimal("9999999999.99")
SOURCE_KIND = "joint_commission"


class CommissionRefused(Exception):
    """A change the commission's state does not allow; the message says why, for the person."""


def _audit(actor: Actor | None, action: str, commission: JointCommission, **changes) -> None:
    audit.record(
        actor=actor,
        action=action,
        kind="joint_commission",
        object_id=commission.pk,
        label=f"Joint commission of {commission.plan.title}",
        organisation=commission.lead_organisation,
        changes={"plan": commission.plan_id, **changes},
    )


def _places(places: object) -> int:
    """A whole number of places from 1 to MOST_PLACES, or a ValidationError naming the field."""
    try:
        number = int(str(places).strip())
    except ValueError:
        raise ValidationError({"places": "Places must be a whole number"}) from None
    if not 1 <= number <= MOST_PLACES:
        raise ValidationError({"places": f"Places must be from 1 to {MOST_PLACES:,}"})
    return number


def _total(amount: object) -> Decimal:
    """A total cost in pounds and pence greater than zero, or a ValidationError naming it."""
    wrong = ValidationError({"total_cost": "Enter the total cost as pounds and pence, like 12500"})
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int | str):
        raise wrong
    try:
        value = Decimal(str(amount).strip().replace(",", "").removeprefix("£"))
    except InvalidOperation:
        raise wrong from None
    if not value.is_finite():
        raise wrong
    if value <= 0:
        raise ValidationError({"total_cost": "Enter a total cost greater than zero"})
    if value > LARGEST_TOTAL:
        raise ValidationError({"total_cost": "Enter a total cost of £9,999,999,999.99 or less"})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({"total_cost": "Enter the total cost in whole pence"})
    return value


def _forming(commission: JointCommission) -> None:
    """Refuse unless the commission is still forming.

    The no-op conditional update locks the row until the transaction ends, so an agreement waits
    for this change (and counts it) or wins first (and this change is refused).
    """
    if JointCommission.objects.filter(pk=commission.pk, status=CommissionStatus.FORMING).update(
        status=CommissionStatus.FORMING
    ):
        return
    status = JointCommission.objects.filter(pk=commission.pk).values_list("status", flat=True)
    if status.first() == CommissionStatus.AGREED:
        raise CommissionRefused("This joint commission has been agreed, so it cannot change.")
    raise CommissionRefused("This joint commission has been cancelled.")


# --- Costs ----------------------------------------------------------------------------------


def default_total(plan: CommissioningPlan, places: int) -> Decimal:
    """Design once plus delivery of every committed place."""
    return plan.estimated_design_cost + plan.delivery_cost_per_place * places


def committed_places(commission: JointCommission) -> int:
    """Places committed by every partner, the lead included."""
    return commission.partners.aggregate(total=Sum("places"))["total"] or 0


def current_total(commission: JointCommission) -> Decimal:
    """The total to split: the lead's figure if it set one (or the agreed one), else the default."""
    if commission.total_cost > 0:
        return commission.total_cost
    return default_total(commission.plan, committed_places(commission))


def shares_for(
    commission: JointCommission, method: str, total: Decimal | None = None
) -> dict[int, Decimal]:
    """Each partner's share by organisation id under the method; a ValidationError if it cannot."""
    members = list(commission.partners.all())
    if total is None:
        total = current_total(commission)
    try:
        chosen = Method(method)
    except ValueError:
        raise ValidationError({"split_method": "Choose how to split the cost"}) from None
    weights = [Partner(str(m.organisation_id), m.places, m.headcount) for m in members]
    try:
        split = split_cost(total, weights, chosen)
    except CostSplitError as error:
        raise ValidationError({"split_method": str(error)}) from None
    return {int(key): share for key, share in split.items()}


@dataclass(frozen=True)
class Preview:
    """The shares each partner would pay under a split method and total, before agreeing."""

    method: str
    total: Decimal
    rows: list[tuple[CommissionPartner, Decimal]]


def preview(commission: JointCommission, method: str, total: Decimal | str | None) -> Preview:
    """The shares under the method and total (blank: the current total); a ValidationError
    naming the field when they cannot be worked out."""
    blank = total is None or str(total).strip() == ""
    amount = current_total(commission) if blank else _total(total)
    if amount <= 0:
        raise ValidationError({"total_cost": "The total cost is zero: enter a total cost"})
    shares = shares_for(commission, method, amount)
    members = sorted(
        commission.partners.select_related("organisation"), key=lambda m: (m.joined_at, m.pk)
    )
    return Preview(
        method=method,
        total=amount,
        rows=[(member, shares[member.organisation_id]) for member in members],
    )


# --- Forming --------------------------------------------------------------------------------


def start_commission(
    *, actor: Actor, plan: CommissioningPlan, places: int | str, split_method: str = "places"
) -> JointCommission:
    """The plan's L&D lead starts a joint commission on its open plan, committing its own places."""
    if not access.may_start_commission(actor, plan):
        raise PermissionDenied
    count = _places(places)
    if split_method not in SplitMethod.values:
        raise ValidationError({"split_method": "Choose how to split the cost"})
    if plan.status != PlanStatus.OPEN:
        raise CommissionRefused("This plan is no longer open, so no joint commission can start.")
    lead = plan.organisation
    try:
        with transaction.atomic():
            commission = JointCommission.objects.create(
                plan=plan,
                lead_organisation=lead,
                split_method=split_method,
                created_by=actor.person,
            )
            CommissionPartner.objects.create(
                commission=commission,
                organisation=lead,
                places=count,
                headcount=lead.headcount,
                joined_by=actor.person,
            )
            _audit(actor, "commission.started", commission, places=count, method=split_method)
    except IntegrityError as error:
        raise CommissionRefused("This plan already has a joint commission.") from error
    return commission


def join_commission(
    *, actor: Actor, commission: JointCommission, places: int | str
) -> CommissionPartner:
    """A partner's L&D lead commits places to a forming commission; headcount is noted now."""
    if not access.may_join_commission(actor, commission):
        raise PermissionDenied
    count = _places(places)
    organisation: Organisation = actor.organisation
    try:
        with transaction.atomic():
            _forming(commission)
            member = CommissionPartner.objects.create(
                commission=commission,
                organisation=organisation,
                places=count,
                headcount=organisation.headcount,
                joined_by=actor.person,
            )
            _audit(
                actor,
                "commission.joined",
                commission,
                organisation=organisation.pk,
                places=count,
                headcount=organisation.headcount,
            )
    except IntegrityError as error:
        raise CommissionRefused("Your organisation has already joined this commission.") from error
    return member


@transaction.atomic
def change_places(*, actor: Actor, member: CommissionPartner, places: int | str) -> None:
    """A partner's L&D lead changes the places it commits while the commission is forming."""
    if not access.may_change_membership(actor, member):
        raise PermissionDenied
    count = _places(places)
    _forming(member.commission)
    before = member.places
    CommissionPartner.objects.filter(pk=member.pk).update(places=count)
    member.places = count
    _audit(
        actor,
        "commission.places_changed",
        member.commission,
        organisation=member.organisation_id,
        places=count,
        previous=before,
    )


@transaction.atomic
def leave_commission(*, actor: Actor, member: CommissionPartner) -> None:
    """A partner (not the lead) leaves a forming commission."""
    if not access.may_change_membership(actor, member):
        raise PermissionDenied
    commission = member.commission
    if member.organisation_id == commission.lead_organisation_id:
        raise CommissionRefused("The lead organisation cannot leave: cancel the commission.")
    _forming(commission)
    CommissionPartner.objects.filter(pk=member.pk).delete()
    _audit(actor, "commission.left", commission, organisation=member.organisation_id)


@transaction.atomic
def set_terms(
    *,
    actor: Actor,
    commission: JointCommission,
    split_method: str,
    total_cost: Decimal | str | None = None,
) -> JointCommission:
    """The lead's L&D lead chooses the split method and a total (blank: the default total)."""
    if not access.may_lead_commission(actor, commission):
        raise PermissionDenied
    if split_method not in SplitMethod.values:
        raise ValidationError({"split_method": "Choose how to split the cost"})
    blank = total_cost is None or str(total_cost).strip() == ""
    total = Decimal("0") if blank else _total(total_cost)
    _forming(commission)
    JointCommission.objects.filter(pk=commission.pk).update(
        split_method=split_method, total_cost=total
    )
    commission.split_method = split_method
    commission.total_cost = total
    _audit(actor, "commission.terms_set", commission, method=split_method, total=str(total))
    return commission


def agree_commission(
    *,
    actor: Actor,
    commission: JointCommission,
    split_method: str | None = None,
    total_cost: Decimal | str | None = None,
) -> JointCommission:
    """The lead agrees: shares are fixed, each non-lead share is posted from the partner to the
    lead on the recharge ledger, and the plan is commissioned; all or nothing, and only once.

    A split method or total given here is applied first, in the same transaction (a blank total
    keeps the one set before, or the default).
    """
    if not access.may_lead_commission(actor, commission):
        raise PermissionDenied
    method = commission.split_method if split_method is None else split_method
    if method not in SplitMethod.values:
        raise ValidationError({"split_method": "Choose how to split the cost"})
    blank = total_cost is None or str(total_cost).strip() == ""
    chosen_total = None if blank else _total(total_cost)
    with transaction.atomic():
        now = timezone.now()
        # The claim: only one agreement moves it out of forming, so shares are posted once; the
        # partners are read after it, so a join that got in first is counted.
        claimed = JointCommission.objects.filter(
            pk=commission.pk, status=CommissionStatus.FORMING
        ).update(status=CommissionStatus.AGREED, agreed_at=now, agreed_by=actor.person)
        if not claimed:
            _forming(commission)
        members = list(commission.partners.select_related("organisation"))
        if not any(m.organisation_id != commission.lead_organisation_id for m in members):
            raise CommissionRefused(
                "No other organisation has joined yet, so there is no one to share the cost with."
            )
        total = current_total(commission) if chosen_total is None else chosen_total
        if total <= 0:
            raise ValidationError(
                {"total_cost": "The total cost is zero: set a total cost before agreeing"}
            )
        shares = shares_for(commission, method, total)
        JointCommission.objects.filter(pk=commission.pk).update(
            total_cost=total, split_method=method
        )
        if not CommissioningPlan.objects.filter(
            pk=commission.plan_id, status=PlanStatus.OPEN
        ).update(status=PlanStatus.COMMISSIONED, updated_at=now):
            raise CommissionRefused("The plan is no longer open, so it cannot be commissioned.")
        similar.record_change(similar.PLAN, commission.plan_id)
        lead = commission.lead_organisation
        posted = []
        for member in members:
            member.share = shares[member.organisation_id]
            if member.organisation_id != lead.pk and member.share > 0:
                member.recharge = ledger.post_recharge(
                    actor=actor,
                    payer=member.organisation,
                    payee=lead,
                    amount=member.share,
                    source_kind=SOURCE_KIND,
                    source_id=str(commission.pk),
                    source_label=f"Joint commission of {commission.plan.title}: share",
                    occurred_on=timezone.localdate(now),
                )
                posted.append(member.recharge.pk)
        CommissionPartner.objects.bulk_update(members, ["share", "recharge"])
        commission.status = CommissionStatus.AGREED
        commission.split_method = method
        commission.total_cost = total
        commission.agreed_at = now
        commission.agreed_by = actor.person
        _audit(
            actor,
            "commission.agreed",
            commission,
            method=commission.split_method,
            total=str(total),
            shares={str(m.organisation_id): str(m.share) for m in members},
            recharges=posted,
        )
    return commission


@transaction.atomic
def cancel_commission(*, actor: Actor, commission: JointCommission) -> JointCommission:
    """The lead cancels a commission before it is agreed; nothing was posted, so nothing moves."""
    if not access.may_lead_commission(actor, commission):
        raise PermissionDenied
    if not JointCommission.objects.filter(pk=commission.pk, status=CommissionStatus.FORMING).update(
        status=CommissionStatus.CANCELLED
    ):
        _forming(commission)
    commission.status = CommissionStatus.CANCELLED
    _audit(actor, "commission.cancelled", commission)
    return commission


# --- The programme and its runs -------------------------------------------------------------


def programme_choices(commission: JointCommission) -> QuerySet[Programme]:
    """The lead's programmes that partners can take places on (not for its own staff only)."""
    return (
        Programme.objects.filter(host_id=commission.lead_organisation_id)
        .exclude(sharing_policy=SharingPolicy.OWN_ONLY)
        .order_by("title", "id")
    )


def link_programme(
    *, actor: Actor, commission: JointCommission, programme: Programme
) -> list[Reservation]:
    """The lead names the programme the agreed commission produced; its open runs reserve the
    partners' places now, and every run added later does the same."""
    if not access.may_lead_commission(actor, commission):
        raise PermissionDenied
    if programme.host_id != commission.lead_organisation_id:
        raise ValidationError({"programme": "Choose a programme your organisation hosts"})
    if programme.sharing_policy == SharingPolicy.OWN_ONLY:
        raise ValidationError(
            {"programme": "Choose a programme open to partners: this one is for your staff only"}
        )
    made: list[Reservation] = []
    with transaction.atomic():
        if not JointCommission.objects.filter(
            pk=commission.pk, status=CommissionStatus.AGREED, programme__isnull=True
        ).update(programme=programme):
            if commission.status != CommissionStatus.AGREED:
                raise CommissionRefused("Agree the commission before linking its programme.")
            raise CommissionRefused("This commission's programme is linked already.")
        commission.programme = programme
        _audit(actor, "commission.programme_linked", commission, programme=programme.pk)
        now = timezone.now()
        runs = Run.objects.filter(
            programme=programme, cancelled_at__isnull=True, released_at__isnull=True
        ).filter(cut_off_at__gt=now)
        for run in runs.select_related("programme__host").order_by("cut_off_at", "id"):
            made += reserve_committed_places(actor=actor, run=run)
    return made


def _held_elsewhere(member: CommissionPartner, run: Run) -> int:
    """Places the partner holds or used in blocks on the programme's other (not cancelled) runs."""
    blocks = Reservation.objects.filter(
        organisation_id=member.organisation_id,
        run__programme_id=run.programme_id,
        run__cancelled_at__isnull=True,
    ).exclude(run=run)
    return blocks.aggregate(held=Sum(F("places") - F("places_returned")))["held"] or 0


def reserve_committed_places(*, actor: Actor | None, run: Run) -> list[Reservation]:
    """Reserve, on a run of a commissioned programme, a block for each non-lead partner.

    Committed places are a total across the programme's runs, so each block is the partner's
    places not yet held on its other runs (places given back unnamed at a cut-off count again),
    capped by the places still free on the run and the run's per-partner cap. When the run
    cannot hold every partner's places, partners are served in the order they joined. A run
    that is not open to reserving (cancelled, for the host's staff only, past its cut-off) gets
    no blocks; the run itself is still added. Blocks claim places like any reservation.
    """
    commissions = JointCommission.objects.filter(
        programme_id=run.programme_id, status=CommissionStatus.AGREED
    ).select_related("plan")
    now = timezone.now()
    if reservations._refusal(run, now):
        return []
    made: list[Reservation] = []
    for commission in commissions.order_by("agreed_at", "id"):
        members = commission.partners.exclude(
            organisation_id=commission.lead_organisation_id
        ).select_related("organisation")
        for member in members.order_by("joined_at", "id"):
            reservation = _reserve_for(actor, run, member)
            if reservation is not None:
                made.append(reservation)
    return made


def _reserve_for(actor: Actor | None, run: Run, member: CommissionPartner) -> Reservation | None:
    if Reservation.objects.filter(run=run, organisation_id=member.organisation_id).exists():
        return None
    if not are_partners(run.programme.host, member.organisation):
        return None
    fresh = Run.objects.get(pk=run.pk)
    count = min(member.places - _held_elsewhere(member, run), fresh.places_left())
    if run.partner_cap is not None:
        count = min(count, run.partner_cap)
    if count < 1:
        return None
    try:
        with transaction.atomic():
            reservations._claim(run, member.organisation_id, count)
            reservation = Reservation.objects.create(
                run=run, organisation=member.organisation, places=count, made_by=None
            )
            reservations._audit(
                actor,
                "reservation.made",
                reservation,
                places=count,
                joint_commission=member.commission_id,
            )
    except (services.BookingRefused, IntegrityError):
        return None
    return reservation


# --- Reads for pages and the API --------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    member: CommissionPartner
    separate_cost: Decimal
    share: Decimal
    saving: Decimal


@dataclass(frozen=True)
class Summary:
    commission: JointCommission
    rows: list[MemberRow]
    places: int
    total: Decimal
    value: Value


def summarise(commission: JointCommission) -> Summary:
    """The commission's partners with their separate cost, share and saving, and the totals."""
    members = sorted(commission.partners.all(), key=lambda m: (m.joined_at, m.pk))
    plan = commission.plan
    total = (
        commission.total_cost
        if commission.total_cost > 0
        else default_total(plan, sum(m.places for m in members))
    )
    agreed = commission.status == CommissionStatus.AGREED
    value = value_for_money(
        design_cost=plan.estimated_design_cost,
        delivery_per_place=plan.delivery_cost_per_place,
        joint_cost=total,
        partners=[
            PartnerCost(
                id=str(m.organisation_id),
                places=m.places,
                headcount=m.headcount,
                share=m.share if agreed else None,
            )
            for m in members
        ],
        method=Method(commission.split_method),
    )
    by_id = {row.id: row for row in value.partners}
    rows = [
        MemberRow(
            member=m,
            separate_cost=by_id[str(m.organisation_id)].separate_cost,
            share=by_id[str(m.organisation_id)].share,
            saving=by_id[str(m.organisation_id)].saving,
        )
        for m in members
    ]
    return Summary(
        commission=commission,
        rows=rows,
        places=sum(m.places for m in members),
        total=total,
        value=value,
    )


def member_of(actor: Actor, commission: JointCommission) -> CommissionPartner | None:
    """The acting organisation's membership of the commission, if it has one."""
    if actor.organisation is None:
        return None
    return commission.partners.filter(organisation=actor.organisation).first()


def summaries(commissions: QuerySet[JointCommission]) -> list[Summary]:
    """Summaries of many commissions with their plans, lead and partners read in three queries."""
    rows = list(
        commissions.select_related("plan", "lead_organisation").prefetch_related(
            "partners__organisation"
        )
    )
    return [summarise(commission) for commission in rows]


def not_cancelled() -> Q:
    """Commissions that count in reports: forming or agreed."""
    return ~Q(status=CommissionStatus.CANCELLED)
