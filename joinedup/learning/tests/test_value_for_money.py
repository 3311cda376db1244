"""Value for money of a joint commission (learning/value_for_money.py): examples and properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from joinedup.learning.cost_split import Method
from joinedup.learning.value_for_money import PartnerCost, separate_cost, value_for_money


def test_three_partners_designing_once_save_two_design_costs():
    value = value_for_money(
        design_cost=Decimal("20000.00"),
        delivery_per_place=Decimal("100.00"),
        joint_cost=Decimal("26000.00"),
        partners=[PartnerCost("council", 30), PartnerCost("trust", 20), PartnerCost("police", 10)],
        method=Method.PLACES,
    )
    # Alone: 23000 + 22000 + 21000 = 66000; jointly 26000 shared 3:2:1.
    assert value.separate_cost == Decimal("66000.00")
    assert value.saving == Decimal("40000.00")
    assert [(row.id, row.share, row.saving) for row in value.partners] == [
        ("council", Decimal("13000.00"), Decimal("10000.00")),
        ("trust", Decimal("8666.67"), Decimal("13333.33")),
        ("police", Decimal("4333.33"), Decimal("16666.67")),
    ]


def test_agreed_shares_are_used_as_they_are():
    value = value_for_money(
        design_cost=Decimal("1000"),
        delivery_per_place=Decimal("0"),
        joint_cost=Decimal("1000"),
        partners=[
            PartnerCost("a", 1, share=Decimal("900")),
            PartnerCost("b", 1, share=Decimal("100")),
        ],
        method=Method.EQUAL,
    )
    assert [row.saving for row in value.partners] == [Decimal("100"), Decimal("900")]


def test_a_headcount_split_with_no_headcounts_shows_equal_shares_instead_of_failing():
    value = value_for_money(
        design_cost=Decimal("10"),
        delivery_per_place=Decimal("0"),
        joint_cost=Decimal("10.00"),
        partners=[PartnerCost("a", 1), PartnerCost("b", 3)],
        method=Method.HEADCOUNT,
    )
    assert [row.share for row in value.partners] == [Decimal("5.00"), Decimal("5.00")]


def test_nobody_committed_is_all_zeros():
    value = value_for_money(
        design_cost=Decimal("10"),
        delivery_per_place=Decimal("1"),
        joint_cost=Decimal("0"),
        partners=[],
        method=Method.PLACES,
    )
    assert (value.separate_cost, value.saving, value.partners) == (Decimal("0"), Decimal("0"), [])


money = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999.99"), places=2)


@given(
    design=money,
    per_place=money,
    joint=money,
    places=st.lists(st.integers(1, 10000), min_size=1, max_size=8),
    headcounts=st.lists(st.integers(0, 100000), min_size=8, max_size=8),
    method=st.sampled_from(list(Method)),
)
def test_savings_add_up_and_shares_sum_to_the_joint_cost(
    design, per_place, joint, places, headcounts, method
):
    partners = [PartnerCost(str(i), n, headcount=headcounts[i]) for i, n in enumerate(places)]
    value = value_for_money(
        design_cost=design,
        delivery_per_place=per_place,
        joint_cost=joint,
        partners=partners,
        method=method,
    )
    assert sum(row.share for row in value.partners) == joint
    assert sum(row.saving for row in value.partners) == value.saving
    assert value.separate_cost == sum(separate_cost(design, per_place, n) for n in places)
    assert value.saving == value.separate_cost - joint
