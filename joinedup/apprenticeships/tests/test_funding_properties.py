"""Properties of the pure funding rules (`funding.py`), fed the default rule rows."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.apprenticeships import funding
from joinedup.apprenticeships.funding import RuleError

from .test_funding_rules_core import DURATION, LEVEL_7, OFF_THE_JOB

starts = st.dates(min_value=dt.date(2017, 5, 1), max_value=dt.date(2030, 12, 31))
lengths = st.integers(min_value=1, max_value=5 * 366)
hours = st.decimals(min_value=Decimal("0.25"), max_value=Decimal(60), places=2)
prices = st.decimals(min_value=Decimal(1), max_value=Decimal(50000), places=2)
bands = st.decimals(min_value=Decimal(1000), max_value=Decimal(27000), places=0)


def share_minimum(start: dt.date, days: int, weekly: Decimal) -> int:
    return funding.off_the_job_minimum(
        rules=OFF_THE_JOB,
        start=start,
        planned_end=start + dt.timedelta(days=days),
        hours_per_week=weekly,
        standard_hours=500,
        prior_learning_hours=0,
    )


@given(
    start=st.dates(min_value=dt.date(2017, 5, 1), max_value=dt.date(2025, 7, 31)),
    days=lengths,
    weekly=hours,
)
def test_share_of_hours_rounds_the_exact_figure_up_to_a_whole_hour(start, days, weekly):
    rule = funding.rule_in_force(OFF_THE_JOB, start)
    assert rule is not None and rule.percent is not None
    counted = weekly if rule.weekly_hours_cap is None else min(weekly, rule.weekly_hours_cap)
    exact = Fraction(rule.percent) / 100 * Fraction(counted) * Fraction(days + 1, 7)
    assert share_minimum(start, days, weekly) == math.ceil(exact)


@given(start=starts, days=lengths, weekly=hours, more=hours)
def test_more_contracted_hours_never_need_less_off_the_job_time(start, days, weekly, more):
    assert share_minimum(start, days, weekly) <= share_minimum(start, days, weekly + more)


@given(start=starts)
def test_the_earliest_planned_end_is_allowed_and_the_day_before_is_not(start):
    earliest = funding.earliest_planned_end(rules=DURATION, start=start)
    funding.check_duration(rules=DURATION, start=start, planned_end=earliest)
    with pytest.raises(RuleError):
        funding.check_duration(
            rules=DURATION, start=start, planned_end=earliest - dt.timedelta(days=1)
        )


@given(
    start=starts,
    price=prices,
    band=bands,
    levy=st.booleans(),
    transfer=st.booleans(),
    born=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2010, 1, 1)),
)
def test_the_employer_pays_what_the_route_says(start, price, band, levy, transfer, born):
    decision = funding.decide(
        level=7,
        start=start,
        eligibility=funding.Eligibility(born),
        level7_rules=LEVEL_7,
        has_levy_account=levy,
        transfer=transfer,
        price=price,
        funding_band=band,
        government_share=Decimal("0.95"),
    )
    excess = max(price - band, Decimal(0))
    if decision.route == "private":
        assert start >= dt.date(2026, 1, 1) and funding.age_on(born, start) >= 22
        assert decision.employer_pays == price
    elif decision.route in ("levy", "transfer"):
        assert decision.employer_pays == excess
    else:
        assert not levy and not transfer
        # Pounds round half up to the penny (£3.205 is £3.21), as funding.py rounds.
        share = (min(price, band) * Decimal("0.05")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert decision.employer_pays == share + excess
    if start < dt.date(2026, 1, 1):
        assert decision.route != "private" and decision.eligibility_reason == ""
