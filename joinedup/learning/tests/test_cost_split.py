"""Splitting a joint commission's cost (learning/cost_split.py): examples and properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.learning.cost_split import CostSplitError, Method, Partner, split_cost


def test_equal_shares_give_the_odd_penny_to_the_first_id_in_string_order():
    partners = [Partner("police"), Partner("council"), Partner("trust")]
    shares = split_cost(Decimal("100.00"), partners, Method.EQUAL)
    assert shares == {
        "police": Decimal("33.33"),
        "council": Decimal("33.34"),
        "trust": Decimal("33.33"),
    }


def test_shares_come_back_in_the_partners_order():
    partners = [Partner("b"), Partner("a")]
    assert list(split_cost(Decimal("1.01"), partners, Method.EQUAL)) == ["b", "a"]


def test_split_by_places_follows_the_places_committed():
    partners = [Partner("a", places=10), Partner("b", places=30), Partner("c", places=0)]
    shares = split_cost(Decimal("12000.00"), partners, Method.PLACES)
    assert shares == {"a": Decimal("3000.00"), "b": Decimal("9000.00"), "c": Decimal("0.00")}


def test_split_by_headcount_gives_leftover_pennies_to_the_largest_remainders():
    # Exact shares 0.1428..., 0.2857..., 0.5714... of 1.00: floors 14, 28, 57 pence, one left
    # over; remainders 2/7, 4/7, 1/7 of a penny, so b gets it.
    partners = [Partner("a", headcount=1), Partner("b", headcount=2), Partner("c", headcount=4)]
    shares = split_cost(Decimal("1.00"), partners, Method.HEADCOUNT)
    assert shares == {"a": Decimal("0.14"), "b": Decimal("0.29"), "c": Decimal("0.57")}


def test_a_zero_total_gives_zero_shares():
    shares = split_cost(Decimal("0"), [Partner("a"), Partner("b")], Method.EQUAL)
    assert shares == {"a": Decimal("0.00"), "b": Decimal("0.00")}


def test_the_method_may_be_given_by_its_name():
    shares = split_cost(Decimal("3.00"), [Partner("a", places=1)], Method("places"))
    assert shares == {"a": Decimal("3.00")}


@pytest.mark.parametrize(
    ("total", "partners", "method", "message"),
    [
        (Decimal("10"), [], Method.EQUAL, "partners must not be empty"),
        (Decimal("-0.01"), [Partner("a")], Method.EQUAL, "total must not be negative"),
        (Decimal("1.005"), [Partner("a")], Method.EQUAL, "total must be whole pence"),
        (Decimal("NaN"), [Partner("a")], Method.EQUAL, "total must be a finite Decimal"),
        (10, [Partner("a")], Method.EQUAL, "total must be a finite Decimal"),
        (Decimal("1"), [Partner("a")], "equal", "method must be one of"),
        (Decimal("1"), [Partner("a"), Partner("a")], Method.EQUAL, "'a' appears more than once"),
        (Decimal("1"), [Partner("")], Method.EQUAL, "partner id must be a non-empty string"),
        (Decimal("1"), [Partner("a", places=-1)], Method.EQUAL, "places of partner 'a' must not"),
        (Decimal("1"), [Partner("a", headcount=-3)], Method.HEADCOUNT, "headcount of partner"),
        (Decimal("1"), [Partner("a", places=True)], Method.PLACES, "must be a whole number"),
        (Decimal("1"), [Partner("a"), Partner("b")], Method.PLACES, "places of every partner"),
        (Decimal("1"), [Partner("a", places=2)], Method.HEADCOUNT, "headcount of every partner"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(total, partners, method, message):
    with pytest.raises(CostSplitError, match=message):
        split_cost(total, partners, method)


def test_the_error_is_a_value_error():
    assert issubclass(CostSplitError, ValueError)


totals = st.integers(min_value=0, max_value=10**12).map(lambda pence: Decimal(pence) / 100)
partner_lists = st.lists(
    st.builds(
        Partner,
        id=st.text(alphabet="abcxyz019", min_size=1, max_size=4),
        places=st.integers(min_value=0, max_value=10_000),
        headcount=st.integers(min_value=0, max_value=100_000),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda partner: partner.id,
)


def weights(partners: list[Partner], method: Method) -> list[int]:
    if method is Method.EQUAL:
        return [1] * len(partners)
    return [p.places if method is Method.PLACES else p.headcount for p in partners]


@given(totals, partner_lists, st.sampled_from(Method))
def test_shares_sum_exactly_to_the_total_each_within_a_penny_of_its_proportion(
    total, partners, method
):
    weight = weights(partners, method)
    if sum(weight) == 0:
        with pytest.raises(CostSplitError):
            split_cost(total, partners, method)
        return
    shares = split_cost(total, partners, method)
    assert sum(shares.values()) == total
    for partner, partner_weight in zip(partners, weight, strict=True):
        share = shares[partner.id]
        assert share == share.quantize(Decimal("0.01"))
        exact = Fraction(total) * partner_weight / sum(weight)
        assert abs(Fraction(share) - exact) < Fraction(1, 100)
        assert share >= 0


@given(totals, partner_lists, st.sampled_from(Method), st.randoms())
def test_the_split_does_not_depend_on_the_partners_order(total, partners, method, rng):
    if sum(weights(partners, method)) == 0:
        return
    shuffled = list(partners)
    rng.shuffle(shuffled)
    assert split_cost(total, shuffled, method) == split_cost(total, partners, method)
