"""Value for money of a joint commission (pure, no Django).

Had each partner gone alone, it would have paid to design the programme itself and then to deliver
its own places: design cost + delivery cost per place x its places. Commissioned jointly, the
programme is designed once and the partners share the joint cost. The saving is what they would
have spent separately less the joint cost, for the whole commission and for each partner (its
separate cost less its share). A share not yet agreed is worked out by the split method, so a
commission still forming shows the saving it would bring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .cost_split import Method, Partner, split_cost


@dataclass(frozen=True)
class PartnerCost:
    """One partner's commitment: its id, places, headcount and its agreed share (or None)."""

    id: str
    places: int
    headcount: int = 0
    share: Decimal | None = None


@dataclass(frozen=True)
class PartnerValue:
    id: str
    places: int
    separate_cost: Decimal
    share: Decimal
    saving: Decimal


@dataclass(frozen=True)
class Value:
    partners: list[PartnerValue]
    separate_cost: Decimal
    joint_cost: Decimal
    saving: Decimal


def separate_cost(design_cost: Decimal, delivery_per_place: Decimal, places: int) -> Decimal:
    """What one organisation would spend designing the programme and delivering its places alone."""
    return design_cost + delivery_per_place * places


def value_for_money(
    *,
    design_cost: Decimal,
    delivery_per_place: Decimal,
    joint_cost: Decimal,
    partners: Sequence[PartnerCost],
    method: Method,
) -> Value:
    """Each partner's separate cost, share and saving, and the totals (saving = separate - joint).

    Shares already agreed are used as they are; otherwise they come from `split_cost`, so they add
    up to the joint cost. With nobody committed there is nothing to compare: all zeros.
    """
    if not partners:
        zero = Decimal("0.00")
        return Value(partners=[], separate_cost=zero, joint_cost=joint_cost, saving=zero)
    agreed = all(partner.share is not None for partner in partners)
    if agreed:
        shares = {partner.id: Decimal(partner.share or 0) for partner in partners}
    else:
        weights = [Partner(p.id, places=p.places, headcount=p.headcount) for p in partners]
        if sum(p.places if method is Method.PLACES else p.headcount for p in partners) == 0:
            method = Method.EQUAL
        shares = split_cost(joint_cost, weights, method)
    rows = []
    for partner in partners:
        alone = separate_cost(design_cost, delivery_per_place, partner.places)
        share = shares[partner.id]
        rows.append(
            PartnerValue(
                id=partner.id,
                places=partner.places,
                separate_cost=alone,
                share=share,
                saving=alone - share,
            )
        )
    separate = sum((row.separate_cost for row in rows), Decimal("0.00"))
    return Value(
        partners=rows,
        separate_cost=separate,
        joint_cost=joint_cost,
        saving=separate - joint_cost,
    )
