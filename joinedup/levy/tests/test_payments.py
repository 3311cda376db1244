"""Provider payments and spending in a month (levy/payments.py): hand-worked examples and
Hypothesis properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from joinedup.levy.payments import (
    DEFAULT_CO_INVESTMENT_RATES,
    DEFAULT_PAYMENT_TERMS,
    CoInvestment,
    CoInvestmentRate,
    Instalment,
    PaymentTerms,
    PriceChange,
    Refund,
    SpendingLine,
    TrainingPayment,
    co_investment,
    in_force,
    instalment_months,
    payment_schedule,
    spend_month,
)

TERMS = DEFAULT_PAYMENT_TERMS[0]
RATES = DEFAULT_CO_INVESTMENT_RATES


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def months(first: str, count: int) -> list[dt.date]:
    """`count` first-of-month dates from the month of `first`."""
    start = d(first)
    indexes = (start.year * 12 + start.month - 1 + n for n in range(count))
    return [dt.date(index // 12, index % 12 + 1, 1) for index in indexes]


def schedule(price: str, band: str, start: str, end: str, changes: tuple[PriceChange, ...] = ()):
    return payment_schedule(
        start=d(start),
        planned_end=d(end),
        price=Decimal(price),
        funding_band=Decimal(band),
        terms=TERMS,
        price_changes=changes,
    )


def amounts(result) -> list[Decimal]:
    return [instalment.amount for instalment in result.instalments]


def test_nine_thousand_over_a_year_ending_on_a_last_day_is_twelve_instalments_of_600():
    result = schedule("9000", "12000", "2027-01-01", "2027-12-31")
    assert result.instalments == tuple(
        Instalment(month, Decimal(600)) for month in months("2027-01-01", 12)
    )
    assert result.completion_payment == Decimal(1800)
    assert result.completion_month == d("2027-12-01")
    assert result.capped_price == Decimal(9000)
    assert result.employer_excess == 0


def test_ending_mid_month_drops_the_end_month_and_spreads_over_eleven_rounding_to_5_places():
    # 7200 / 11 = 654.545454..., then what is unpaid over what is left: the rounding alternates
    # (a half at the sixth place goes up) and the last instalment takes the exact rest.
    result = schedule("9000", "12000", "2027-01-01", "2027-12-15")
    low, high = Decimal("654.54545"), Decimal("654.54546")
    assert [i.month for i in result.instalments] == months("2027-01-01", 11)
    assert amounts(result) == [low, high, low, high, low, high, low, high, low, high, low]
    assert sum(amounts(result)) == Decimal(7200)
    assert result.completion_payment == Decimal(1800)
    assert result.completion_month == d("2027-12-01")


def test_rounding_a_half_away_from_zero_still_leaves_an_exact_total():
    # 800 / 3 = 266.666666... -> 266.66667; 533.33333 / 2 = 266.666665 -> 266.66667 (half up);
    # the last is the rest, 266.66666.
    result = schedule("1000", "1000", "2027-01-01", "2027-03-31")
    assert amounts(result) == [Decimal("266.66667"), Decimal("266.66667"), Decimal("266.66666")]
    assert sum(amounts(result)) + result.completion_payment == Decimal(1000)


def test_a_price_above_the_band_is_capped_and_the_excess_is_the_employers():
    result = schedule("15000", "12000", "2027-01-01", "2027-12-31")
    assert result.capped_price == Decimal(12000)
    assert result.employer_excess == Decimal(3000)
    assert amounts(result) == [Decimal(800)] * 12
    assert result.completion_payment == Decimal(2400)


def test_a_price_rise_half_way_re_spreads_what_is_unpaid_over_the_instalments_left():
    # Paid Jan-Jun: 6 x 600 = 3600. New on-programme total 0.8 x 12000 = 9600; 6000 over 6 left.
    result = schedule(
        "9000", "15000", "2027-01-01", "2027-12-31", (PriceChange(d("2027-07-01"), Decimal(12000)),)
    )
    assert amounts(result) == [Decimal(600)] * 6 + [Decimal(1000)] * 6
    assert result.completion_payment == Decimal(2400)
    assert result.capped_price == Decimal(12000)


def test_a_price_cut_half_way_lowers_the_instalments_left_and_the_completion_payment():
    # New on-programme total 0.8 x 6000 = 4800; 4800 - 3600 = 1200 over 6 left.
    result = schedule(
        "9000", "15000", "2027-01-01", "2027-12-31", (PriceChange(d("2027-07-01"), Decimal(6000)),)
    )
    assert amounts(result) == [Decimal(600)] * 6 + [Decimal(200)] * 6
    assert result.completion_payment == Decimal(1200)


def test_a_new_price_above_the_band_is_capped_and_its_excess_returned():
    result = schedule(
        "9000", "15000", "2027-01-01", "2027-12-31", (PriceChange(d("2027-07-01"), Decimal(20000)),)
    )
    # 0.8 x 15000 = 12000; 12000 - 3600 = 8400 over 6 left.
    assert amounts(result)[6:] == [Decimal(1400)] * 6
    assert result.capped_price == Decimal(15000)
    assert result.employer_excess == Decimal(5000)
    assert result.completion_payment == Decimal(3000)


def test_a_price_cut_below_what_is_already_paid_is_refused_with_the_month():
    with pytest.raises(ValueError, match="2027-07 is below what is already paid"):
        schedule(
            "9000",
            "9000",
            "2027-01-01",
            "2027-12-31",
            (PriceChange(d("2027-07-01"), Decimal(4000)),),
        )


def test_a_price_change_in_the_start_month_or_after_the_last_instalment_is_refused():
    for month in ("2027-01-01", "2028-01-01"):
        with pytest.raises(ValueError, match="must come after the start month"):
            schedule(
                "9000", "9000", "2027-01-01", "2027-12-31", (PriceChange(d(month), Decimal(1)),)
            )


def test_a_mid_month_start_counts_its_start_month():
    assert instalment_months(d("2027-01-15"), d("2028-01-14")) == tuple(months("2027-01-01", 12))


def test_a_planned_end_on_or_before_the_start_is_refused():
    with pytest.raises(ValueError, match="planned end date 2027-01-01 must be after start date"):
        instalment_months(d("2027-01-01"), d("2027-01-01"))


def test_an_end_in_the_start_month_before_its_last_day_leaves_no_instalment_and_is_refused():
    with pytest.raises(ValueError, match="leave no month for an instalment"):
        instalment_months(d("2027-01-01"), d("2027-01-30"))


def test_costs_by_month_put_the_completion_payment_with_the_end_months_instalment_or_alone():
    last_day = schedule("9000", "9000", "2027-01-01", "2027-12-31").costs_by_month()
    assert last_day["2027-12"] == Decimal(2400)
    assert list(last_day) == [f"{month:%Y-%m}" for month in months("2027-01-01", 12)]
    mid_month = schedule("9000", "9000", "2027-01-01", "2027-12-15").costs_by_month()
    assert mid_month["2027-11"] == Decimal("654.54545")
    assert mid_month["2027-12"] == Decimal(1800)
    assert sum(mid_month.values()) == Decimal(9000)


def test_payment_terms_are_chosen_by_the_start_date():
    later = PaymentTerms(d("2030-01-01"), Decimal("0.1"), 5)
    assert in_force([TERMS, later], d("2029-12-31")) is TERMS
    assert in_force([TERMS, later], d("2030-01-01")) is later
    result = payment_schedule(
        start=d("2030-01-01"),
        planned_end=d("2030-12-31"),
        price=Decimal(12000),
        funding_band=Decimal(12000),
        terms=in_force([TERMS, later], d("2030-01-01")),
    )
    assert result.completion_payment == Decimal(1200)


@st.composite
def apprenticeships(draw):
    start = draw(st.dates(dt.date(2017, 5, 1), dt.date(2030, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(32, 5 * 366)))
    price = Decimal(draw(st.integers(1, 5_000_000))).scaleb(-2)
    band = Decimal(draw(st.integers(1, 5_000_000))).scaleb(-2)
    return start, end, price, band


@given(apprenticeships(), st.integers(1, 60), st.integers(1, 5_000_000), st.booleans())
def test_instalments_and_completion_add_up_exactly_to_the_capped_price_and_none_is_negative(
    apprenticeship, change_at, new_price_pence, with_change
):
    start, end, price, band = apprenticeship
    instalment_count = len(instalment_months(start, end))
    changes: tuple[PriceChange, ...] = ()
    if with_change and instalment_count > 1:
        month = instalment_months(start, end)[change_at % (instalment_count - 1) + 1]
        changes = (PriceChange(month, Decimal(new_price_pence).scaleb(-2)),)
    try:
        result = payment_schedule(
            start=start,
            planned_end=end,
            price=price,
            funding_band=band,
            terms=TERMS,
            price_changes=changes,
        )
    except ValueError as error:
        assume("already paid" not in str(error))
        raise
    final_price = changes[-1].price if changes else price
    assert result.capped_price == min(final_price, band)
    assert result.capped_price + result.employer_excess == final_price
    assert sum(amounts(result)) + result.completion_payment == result.capped_price
    assert all(amount >= 0 for amount in amounts(result))
    assert result.completion_payment == result.capped_price * TERMS.completion_share
    assert all(-amount.as_tuple().exponent <= 5 for amount in amounts(result))


def test_a_start_on_31_march_2019_is_co_invested_90_10():
    assert co_investment(Decimal(1000), d("2019-03-31"), RATES) == CoInvestment(
        Decimal(900), Decimal(100)
    )


def test_a_start_on_1_april_2019_is_co_invested_95_5():
    assert co_investment(Decimal(1000), d("2019-04-01"), RATES) == CoInvestment(
        Decimal(950), Decimal(50)
    )


def test_a_rate_added_as_data_applies_to_later_starts_without_code():
    rates = (*RATES, CoInvestmentRate(d("2031-04-01"), Decimal("0.75")))
    assert co_investment(Decimal(1000), d("2031-04-01"), rates) == CoInvestment(
        Decimal(750), Decimal(250)
    )


def test_a_start_before_any_rate_is_refused_with_the_date():
    with pytest.raises(ValueError, match="no rate is in force on 2017-04-30"):
        co_investment(Decimal(1000), d("2017-04-30"), RATES)


@given(
    st.decimals(min_value=0, max_value=10_000_000, places=5),
    st.dates(dt.date(2017, 5, 1), dt.date(2040, 12, 31)),
)
def test_co_investment_shares_add_up_to_what_levy_did_not_cover(uncovered, start):
    shares = co_investment(uncovered, start, RATES)
    assert shares.government + shares.employer == uncovered
    assert shares.government >= 0 and shares.employer >= 0


def payment(
    payment_id: str,
    amount: int,
    provider: str | None = None,
    *,
    start: str = "2020-09-01",
    transfer: bool = False,
) -> TrainingPayment:
    return TrainingPayment(payment_id, Decimal(amount), d(start), provider, transfer)


def test_refunds_then_transfers_then_priority_providers_then_the_rest_and_the_rest_co_invested():
    # 1000 + refund 200 = 1200; transfer 500 -> 700; provider A 600 -> 100; provider B 400 gets
    # the last 100 and 300 is co-invested 95/5; the unranked provider gets nothing from levy.
    result = spend_month(
        balance=Decimal(1000),
        outgoings=[
            payment("p-other", 300, "Z"),
            payment("p-b", 400, "B"),
            payment("t1", 500, transfer=True),
            Refund("r1", Decimal(200)),
            payment("p-a", 600, "A"),
        ],
        provider_priority=["A", "B"],
        co_investment_rates=RATES,
    )
    assert result.lines == (
        SpendingLine("r1", Decimal(-200), Decimal(0), Decimal(0)),
        SpendingLine("t1", Decimal(500), Decimal(0), Decimal(0)),
        SpendingLine("p-a", Decimal(600), Decimal(0), Decimal(0)),
        SpendingLine("p-b", Decimal(100), Decimal(285), Decimal(15)),
        SpendingLine("p-other", Decimal(0), Decimal(285), Decimal(15)),
    )
    assert result.balance == 0


def test_payments_in_one_group_keep_the_order_given():
    result = spend_month(
        balance=Decimal(100),
        outgoings=[payment("second", 100, "Z"), payment("third", 100), payment("fourth", 100, "Y")],
        provider_priority=["A"],
        co_investment_rates=RATES,
    )
    assert [line.id for line in result.lines] == ["second", "third", "fourth"]
    assert result.lines[0].levy == Decimal(100)


def test_co_investment_uses_each_apprenticeships_own_start_and_leaves_the_balance_alone():
    result = spend_month(
        balance=Decimal(0),
        outgoings=[
            payment("old", 1000, "A", start="2019-03-31"),
            payment("new", 1000, "A", start="2019-04-01"),
        ],
        provider_priority=["A"],
        co_investment_rates=RATES,
    )
    assert [(line.government, line.employer) for line in result.lines] == [
        (Decimal(900), Decimal(100)),
        (Decimal(950), Decimal(50)),
    ]
    assert result.balance == 0


def test_a_negative_balance_covers_nothing_and_a_refund_only_brings_it_nearer_zero():
    result = spend_month(
        balance=Decimal(-300),
        outgoings=[payment("p1", 100, "A"), Refund("r1", Decimal(200))],
        provider_priority=[],
        co_investment_rates=RATES,
    )
    assert result.lines[1] == SpendingLine("p1", Decimal(0), Decimal(95), Decimal(5))
    assert result.balance == Decimal(-100)


def test_an_outgoing_of_nothing_is_refused_naming_it():
    with pytest.raises(ValueError, match="amount of p1 must be more than 0"):
        spend_month(
            balance=Decimal(1),
            outgoings=[payment("p1", 0)],
            provider_priority=[],
            co_investment_rates=RATES,
        )


outgoing_lists = st.lists(
    st.one_of(
        st.builds(Refund, st.uuids().map(str), st.integers(1, 10**7).map(Decimal)),
        st.builds(
            TrainingPayment,
            st.uuids().map(str),
            st.integers(1, 10**8).map(lambda pence: Decimal(pence).scaleb(-2)),
            st.dates(dt.date(2017, 5, 1), dt.date(2030, 12, 31)),
            st.sampled_from([None, "A", "B", "C"]),
            st.booleans(),
        ),
    ),
    max_size=12,
)


@given(st.integers(-(10**7), 10**7).map(Decimal), outgoing_lists)
def test_every_payment_is_met_in_full_and_the_balance_moves_only_by_what_levy_covered(
    balance, outgoings
):
    result = spend_month(
        balance=balance,
        outgoings=outgoings,
        provider_priority=["B", "A"],
        co_investment_rates=RATES,
    )
    by_id = {outgoing.id: outgoing for outgoing in outgoings}
    for line in result.lines:
        outgoing = by_id[line.id]
        if isinstance(outgoing, TrainingPayment):
            assert line.levy + line.government + line.employer == outgoing.amount
            assert line.levy >= 0
    assert result.balance == balance - sum(line.levy for line in result.lines)
    assert result.balance >= min(balance, 0)
