"""Splitting a joint commission's cost among its partners (pure, no Django).

The total is money in pounds with at most two decimal places. It is split by one of three methods:
equal shares, by the places each partner committed, or by each partner's headcount. Every share is
whole pence and the shares add up exactly to the total: each partner first gets its exact share
rounded down to the penny, then the pennies left over go one each to the partners whose shares lost
the most in rounding (largest remainder), ties broken by partner id in string order (the smaller
id first). So each share is within a penny of its exact proportion, and the same input always
gives the same split, whatever order the partners are listed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

PENNY = Decimal("0.01")


class Method(StrEnum):
    """How the cost is shared out."""

    EQUAL = "equal"
    PLACES = "places"
    HEADCOUNT = "headcount"


class CostSplitError(ValueError):
    """The split was asked for with bad input; the message names the field at fault."""


@dataclass(frozen=True)
class Partner:
    """One organisation in the commission: its id, the places it committed and its headcount."""

    id: str
    places: int = 0
    headcount: int = 0


def weight_of(partner: Partner, method: Method) -> int:
    """The partner's weight under the method (1 for equal shares)."""
    if method is Method.EQUAL:
        return 1
    return partner.places if method is Method.PLACES else partner.headcount


def _check(total: Decimal, partners: Sequence[Partner], method: Method) -> None:
    if not isinstance(total, Decimal) or not total.is_finite():
        raise CostSplitError("total must be a finite Decimal amount")
    if total < 0:
        raise CostSplitError(f"total must not be negative (got {total})")
    if total != total.quantize(PENNY):
        raise CostSplitError(f"total must be whole pence (got {total})")
    if not isinstance(method, Method):
        raise CostSplitError(f"method must be one of {', '.join(m.value for m in Method)}")
    if not partners:
        raise CostSplitError("partners must not be empty: a cost needs someone to pay it")
    seen: set[str] = set()
    for partner in partners:
        if not isinstance(partner.id, str) or not partner.id:
            raise CostSplitError("partner id must be a non-empty string")
        if partner.id in seen:
            raise CostSplitError(f"partner id {partner.id!r} appears more than once")
        seen.add(partner.id)
        for field in ("places", "headcount"):
            value = getattr(partner, field)
            if type(value) is not int:
                raise CostSplitError(f"{field} of partner {partner.id!r} must be a whole number")
            if value < 0:
                raise CostSplitError(f"{field} of partner {partner.id!r} must not be negative")
    if sum(weight_of(partner, method) for partner in partners) == 0:
        raise CostSplitError(
            f"{method.value} of every partner is zero, so the cost cannot be split "
            f"by {method.value}"
        )


def split_cost(total: Decimal, partners: Sequence[Partner], method: Method) -> dict[str, Decimal]:
    """Each partner's share of the total, by partner id, in pence; the shares sum to the total."""
    _check(total, partners, method)
    pence = int(total.scaleb(2))
    weights = {partner.id: weight_of(partner, method) for partner in partners}
    whole = sum(weights.values())
    floors = {pid: pence * weight // whole for pid, weight in weights.items()}
    left = pence - sum(floors.values())
    # Largest remainder first; among equal remainders the smaller id in string order.
    by_remainder = sorted(weights, key=lambda pid: (-(pence * weights[pid] % whole), pid))
    for pid in by_remainder[:left]:
        floors[pid] += 1
    return {partner.id: Decimal(floors[partner.id]) * PENNY for partner in partners}
