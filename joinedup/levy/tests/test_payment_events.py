"""A payment schedule moved by what happens to the apprenticeship (levy/payments.py
`payment_schedule_with_events`): breaks, returns, withdrawal, early, on-time and late completion,
worked by hand, and Hypothesis properties that the schedule always adds up exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.levy.payments import (
    DEFAULT_PAYMENT_TERMS,
    EventKind,
    PriceChange,
    ScheduleEvent,
    census_month,
    expected_completion_month,
    payment_schedule,
)

TERMS = DEFAULT_PAYMENT_TERMS[0]
START = dt.date(2026, 9, 1)
END = dt.date(2027, 8, 31)  # 12 instalment months, September 2026 to August 2027


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def m(text: str) -> dt.date:
    return d(f"{text}-01")


def schedule(*events: ScheduleEvent, price="12000", band="15000", on_record=False, end=END):
    return payment_schedule(
        start=START,
        planned_end=end,
        price=Decimal(price),
        funding_band=Decimal(band),
        terms=TERMS,
        events=events,
        completion_on_record=on_record,
    )


def months(result) -> list[str]:
    return [f"{i.month:%Y-%m}" for i in result.instalments]


def brk(day: str, not_before: str | None = None) -> ScheduleEvent:
    return ScheduleEvent(EventKind.BREAK, d(day), not_before=m(not_before) if not_before else None)


def back(day: str, end: str) -> ScheduleEvent:
    return ScheduleEvent(EventKind.RESUME, d(day), planned_end=d(end))


def stop(day: str) -> ScheduleEvent:
    return ScheduleEvent(EventKind.STOP, d(day))


def done(day: str, not_before: str | None = None) -> ScheduleEvent:
    return ScheduleEvent(
        EventKind.COMPLETE, d(day), not_before=m(not_before) if not_before else None
    )


def test_no_events_is_the_plain_schedule():
    plain = payment_schedule(
        start=START, planned_end=END, price=Decimal(12000), funding_band=Decimal(15000), terms=TERMS
    )
    assert schedule() == plain
    assert plain.total == Decimal(12000)
    assert plain.completion_month == m("2027-08")


def test_a_break_pauses_instalments_from_its_month_and_holds_the_rest():
    result = schedule(brk("2027-01-15"))
    assert months(result) == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert all(i.amount == Decimal(800) for i in result.instalments)
    assert result.on_hold == Decimal(9600 - 3200)
    assert result.completion_due is False
    assert result.total + result.on_hold == Decimal(12000)


def test_a_break_starting_on_a_months_last_day_still_pays_that_month():
    result = schedule(brk("2027-01-31"))
    assert months(result)[-1] == "2027-01"
    assert census_month(d("2027-01-31")) == m("2027-02")
    assert census_month(d("2027-01-30")) == m("2027-01")


def test_a_return_respreads_the_unpaid_amount_to_the_new_planned_end():
    # Four months paid (3,200), a break from January, back in April, now ending 30 November 2027.
    result = schedule(brk("2027-01-15"), back("2027-04-03", "2027-11-30"))
    assert months(result)[4:] == [f"2027-{n:02d}" for n in range(4, 12)]
    assert [i.amount for i in result.instalments[4:]] == [Decimal(800)] * 8
    assert result.completion_month == m("2027-11")
    assert result.total == Decimal(12000)
    assert result.on_hold == 0


def test_a_return_in_the_month_the_break_began_loses_no_month():
    result = schedule(brk("2027-01-05"), back("2027-01-20", "2027-08-31"))
    assert months(result) == months(schedule())
    assert result.total == Decimal(12000)


def test_a_return_leaving_no_month_is_refused():
    with pytest.raises(ValueError, match="planned end"):
        schedule(brk("2027-01-05"), back("2027-03-03", "2027-03-20"))


def test_a_withdrawal_stops_later_instalments_and_the_completion_payment():
    result = schedule(stop("2027-02-10"))
    assert months(result) == ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]
    assert result.completion_payment == 0
    assert result.stopped_from == m("2027-02")
    assert result.total == Decimal(4000)
    assert "2027-02" not in result.costs_by_month()


def test_a_withdrawal_on_a_months_last_day_pays_that_month():
    assert months(schedule(stop("2027-02-28")))[-1] == "2027-02"


def test_a_withdrawal_during_a_break_pays_nothing_more():
    result = schedule(brk("2027-01-15"), stop("2027-05-01"))
    assert result.total == Decimal(3200)
    assert result.on_hold == 0


def test_an_early_completion_makes_the_balancing_payment_and_the_completion_payment():
    result = schedule(done("2027-05-20"))
    assert months(result)[-1] == "2027-04"
    assert result.balancing_payment == Decimal(9600 - 8 * 800)
    assert result.completion_payment == Decimal(2400)
    assert result.completion_month == m("2027-05")
    assert result.costs_by_month()["2027-05"] == Decimal(3200 + 2400)
    assert result.total == Decimal(12000)


def test_a_late_completion_pays_the_completion_share_in_the_month_it_is_recorded():
    result = schedule(done("2027-11-12"), on_record=True)
    assert months(result) == months(schedule())
    assert result.balancing_payment == 0
    assert result.completion_month == m("2027-11")
    assert result.completion_due is True
    assert result.total == Decimal(12000)


def test_without_a_recorded_completion_the_payment_waits_when_completion_is_on_record():
    result = schedule(on_record=True)
    assert result.completion_month == expected_completion_month(END) == m("2027-09")
    assert result.completion_due is False
    assert "2027-09" in result.costs_by_month()
    assert "2027-09" not in result.due_by_month()


def test_a_month_already_posted_is_never_changed():
    # Recorded when January was already on the ledger: the break takes effect in February.
    result = schedule(brk("2027-01-10", not_before="2027-02"))
    assert months(result)[-1] == "2027-01"
    completed = schedule(done("2027-05-20", not_before="2027-06"))
    assert completed.completion_month == m("2027-06")
    assert months(completed)[-1] == "2027-05"


def test_the_price_is_capped_at_the_band_whatever_the_events():
    result = schedule(brk("2027-01-15"), back("2027-02-01", "2027-09-30"), price="20000")
    assert result.total == Decimal(15000)
    assert result.employer_excess == Decimal(5000)


@pytest.mark.parametrize(
    "events",
    [
        (back("2027-01-01", "2027-12-31"),),
        (brk("2027-01-01"), brk("2027-02-01")),
        (stop("2027-01-01"), brk("2027-02-01")),
        (done("2027-01-01"), stop("2027-02-01")),
        (brk("2026-08-01"),),
    ],
)
def test_an_impossible_history_is_refused(events):
    with pytest.raises(ValueError):
        schedule(*events)


def test_price_changes_and_events_together_are_refused():
    with pytest.raises(ValueError, match="cannot be combined"):
        payment_schedule(
            start=START,
            planned_end=END,
            price=Decimal(12000),
            funding_band=Decimal(15000),
            terms=TERMS,
            price_changes=(PriceChange(m("2027-01"), Decimal(13000)),),
            events=(brk("2027-03-01"),),
        )


DAYS = st.integers(min_value=0, max_value=900).map(lambda n: START + dt.timedelta(days=n))


@st.composite
def histories(draw):
    """A possible history: breaks and returns, then perhaps a withdrawal or a completion."""
    day = START
    events = []
    on_break = False
    for _ in range(draw(st.integers(0, 4))):
        day = day + dt.timedelta(days=draw(st.integers(0, 200)))
        if on_break:
            end = day + dt.timedelta(days=draw(st.integers(62, 700)))
            events.append(ScheduleEvent(EventKind.RESUME, day, planned_end=end))
        else:
            events.append(ScheduleEvent(EventKind.BREAK, day))
        on_break = not on_break
    final = draw(st.sampled_from([None, EventKind.STOP, EventKind.COMPLETE]))
    if final is not None:
        day = day + dt.timedelta(days=draw(st.integers(0, 300)))
        events.append(ScheduleEvent(final, day))
    return final, tuple(events)


PRICES = st.decimals(min_value=Decimal(100), max_value=Decimal(60000), places=2)


@given(
    history=histories(),
    price=PRICES,
    band=PRICES,
    end_days=st.integers(min_value=31, max_value=1500),
    on_record=st.booleans(),
)
def test_the_schedule_always_adds_up_to_the_capped_price_unless_stopped(
    history, price, band, end_days, on_record
):
    final, events = history
    result = payment_schedule(
        start=START,
        planned_end=START + dt.timedelta(days=end_days),
        price=price,
        funding_band=band,
        terms=TERMS,
        events=events,
        completion_on_record=on_record,
    )
    capped = min(price, band)
    paid = sum((amount for amount in result.costs_by_month().values()), Decimal(0))
    if final == EventKind.STOP and result.completion_payment == 0:
        assert result.total <= capped * Decimal("0.8")
    elif final == EventKind.STOP:
        # Stopped after the plain rule had paid the completion share at the planned end.
        assert not on_record
        assert result.total == capped
    else:
        assert result.total + result.on_hold == capped
        assert paid + result.on_hold == capped
    assert all(i.amount > 0 for i in result.instalments)
    assert list(result.costs_by_month()) == sorted(result.costs_by_month())


@given(
    history=histories(),
    price=PRICES,
    end_days=st.integers(min_value=31, max_value=1500),
    cut=st.integers(min_value=0, max_value=4),
)
def test_months_before_an_event_are_what_they_were_without_it(history, price, end_days, cut):
    _, events = history
    end = START + dt.timedelta(days=end_days)

    def run(given_events):
        return payment_schedule(
            start=START,
            planned_end=end,
            price=price,
            funding_band=Decimal(60000),
            terms=TERMS,
            events=given_events,
        )

    earlier, later = run(events[:cut]), run(events)
    if cut < len(events):
        first = census_month(events[cut].on) if events[cut].kind in ("break", "stop") else None
        first = first or events[cut].on.replace(day=1)
        before = [i for i in earlier.instalments if i.month < first]
        assert [i for i in later.instalments if i.month < first] == before


def test_without_completion_on_record_a_completion_payment_already_due_stays_in_its_month():
    # The plain rule paid the completion share in August 2027, the planned end's month.
    late = schedule(done("2027-11-12"))
    assert late.completion_month == m("2027-08")
    assert late.total == Decimal(12000)
    stopped = schedule(stop("2027-10-05"))
    assert stopped.completion_payment == Decimal(2400)
    assert stopped.completion_month == m("2027-08")
    assert stopped.total == Decimal(12000)


def change(day: str, price: str | None = None, end: str | None = None) -> ScheduleEvent:
    return ScheduleEvent(
        EventKind.CHANGE,
        d(day),
        planned_end=d(end) if end else None,
        price=Decimal(price) if price else None,
    )


def test_a_new_price_respreads_the_unpaid_amount_under_it_from_the_changes_month():
    # Four months of 800 paid; then 80% of 13,200 less 3,200 over January to August.
    result = schedule(change("2027-01-10", price="13200"))
    assert [i.amount for i in result.instalments] == [Decimal(800)] * 4 + [Decimal(920)] * 8
    assert result.completion_payment == Decimal(2640)
    assert result.total == Decimal(13200) and result.capped_price == Decimal(13200)


def test_a_new_planned_end_respreads_the_unpaid_amount_to_it():
    result = schedule(change("2027-01-10", end="2027-12-31"))
    assert months(result)[4:] == [f"2027-{n:02d}" for n in range(1, 13)]
    assert result.completion_month == m("2027-12")
    assert result.total == Decimal(12000)


def test_a_new_price_above_the_band_is_capped_and_the_rest_is_the_employers():
    result = schedule(change("2027-01-10", price="16000"))
    assert result.capped_price == Decimal(15000)
    assert result.employer_excess == Decimal(1000)
    assert result.total == Decimal(15000)


def test_a_change_during_a_break_is_what_the_return_spreads():
    result = schedule(
        brk("2027-01-15"), change("2027-02-10", price="13200"), back("2027-04-01", "2027-08-31")
    )
    assert [i.amount for i in result.instalments[4:]] == [Decimal(1472)] * 5
    assert result.total == Decimal(13200)


def test_a_change_after_the_last_instalment_is_held_for_the_completions_balancing_payment():
    held = schedule(change("2027-09-10", price="13200"), on_record=True)
    assert [i.amount for i in held.instalments] == [Decimal(800)] * 12
    assert held.on_hold == Decimal(10560 - 9600)
    assert held.total + held.on_hold == Decimal(13200)
    finished = schedule(change("2027-09-10", price="13200"), done("2027-10-04"), on_record=True)
    assert finished.balancing_payment == Decimal(960)
    assert finished.total == Decimal(13200)


def test_a_price_below_what_is_paid_or_a_change_of_nothing_is_refused():
    with pytest.raises(ValueError, match="below what is already paid"):
        schedule(change("2027-06-10", price="3000"))
    with pytest.raises(ValueError, match="a new price or a new planned end"):
        schedule(change("2027-01-10"))


@given(
    price=PRICES,
    new_price=PRICES,
    change_days=st.integers(min_value=0, max_value=700),
    end_days=st.integers(min_value=31, max_value=1500),
)
def test_after_a_change_the_schedule_adds_up_to_the_new_capped_price(
    price, new_price, change_days, end_days
):
    band = Decimal(30000)
    event = ScheduleEvent(EventKind.CHANGE, START + dt.timedelta(days=change_days), price=new_price)
    try:
        result = payment_schedule(
            start=START,
            planned_end=START + dt.timedelta(days=end_days),
            price=price,
            funding_band=band,
            terms=TERMS,
            events=(event,),
            completion_on_record=True,
        )
    except ValueError as error:
        assert "below what is already paid" in str(error)
        return
    assert result.total + result.on_hold == min(new_price, band)
    assert all(i.amount > 0 for i in result.instalments)
