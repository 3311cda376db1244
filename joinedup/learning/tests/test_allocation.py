"""The release rule (learning/allocation.py): worked examples and Hypothesis properties."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.learning.allocation import Allocation, Outcome, Request, Run, allocate
from joinedup.lib.contract_input import Instant

HOST = "ORG-A"
NINE = Instant(1_793_523_600)  # 2026-11-01T09:00:00Z


def at(minutes: int, fraction: str = "") -> Instant:
    """An instant some minutes after 09:00 on 1 November 2026."""
    return Instant(NINE.seconds + 60 * minutes, fraction)


def req(request_id: str, organisation: str, minutes: int = 0, *, approved: bool = True) -> Request:
    return Request(request_id, organisation, at(minutes), approved)


def run(places: int, cap: int | None = None) -> Run:
    return Run(id="r1", host=HOST, capacity=20, confirmed=20 - places, cap_per_organisation=cap)


def given_ids(outcome: Outcome) -> list[str]:
    return [allocation.request for allocation in outcome.allocated]


def test_the_issues_example_gives_the_one_place_asked_for():
    outcome = allocate(
        Run(id="r1", host=HOST, capacity=20, confirmed=12, cap_per_organisation=3),
        [req("q1", "ORG-B")],
        received_last_365_days={"ORG-B": 4},
        held_by_organisation={"ORG-B": 1},
    )
    assert outcome == Outcome((Allocation("q1", "ORG-B"),), ())


def test_host_requests_come_first_in_order_of_request_then_id_even_when_made_later():
    requests = [
        req("p1", "ORG-B", 0),
        req("h9", HOST, 30),
        req("h10", HOST, 30),
        req("h1", HOST, 5),
    ]
    assert given_ids(allocate(run(3), requests)) == ["h1", "h10", "h9"]


def test_a_full_run_gives_nothing_and_everyone_waits_in_input_order():
    requests = [req("q2", "ORG-B"), req("q1", HOST), req("q3", "ORG-C")]
    assert allocate(run(0), requests) == Outcome((), ("q2", "q1", "q3"))


def test_requests_not_approved_are_never_given_a_place_but_are_listed_as_waiting():
    requests = [
        req("q1", HOST, approved=False),
        req("q2", "ORG-B", 1),
        req("q3", "ORG-B", approved=False),
    ]
    assert allocate(run(5), requests) == Outcome((Allocation("q2", "ORG-B"),), ("q1", "q3"))


def test_partners_take_turns_one_place_at_a_time():
    requests = [req(f"b{i}", "ORG-B", i) for i in range(3)] + [req("c0", "ORG-C", 10)]
    assert given_ids(allocate(run(3), requests)) == ["b0", "c0", "b1"]


def test_a_partner_that_received_fewer_places_last_year_goes_first():
    requests = [req("b0", "ORG-B", 0), req("c0", "ORG-C", 10)]
    outcome = allocate(run(1), requests, received_last_365_days={"ORG-B": 5, "ORG-C": 4})
    assert given_ids(outcome) == ["c0"]


def test_a_partner_missing_from_the_maps_counts_as_having_received_none():
    requests = [req("b0", "ORG-B", 0), req("c0", "ORG-C", 10)]
    assert given_ids(allocate(run(1), requests, received_last_365_days={"ORG-B": 1})) == ["c0"]


def test_the_earliest_waiting_request_breaks_a_tie_between_partners():
    requests = [req("c0", "ORG-C", 2), req("b0", "ORG-B", 1)]
    assert given_ids(allocate(run(1), requests)) == ["b0"]


def test_the_smaller_organisation_id_in_string_order_breaks_a_full_tie():
    requests = [req("x", "ORG-9", 0), req("y", "ORG-10", 0)]
    assert given_ids(allocate(run(1), requests)) == ["y"]


def test_within_an_organisation_the_smaller_request_id_in_string_order_breaks_a_tie():
    requests = [req("q9", "ORG-B", 0), req("q10", "ORG-B", 0)]
    assert given_ids(allocate(run(1), requests)) == ["q10"]


def test_instants_compare_to_fractions_of_a_microsecond():
    requests = [
        Request("a", "ORG-B", Instant(NINE.seconds, "0000002"), True),
        Request("b", "ORG-B", Instant(NINE.seconds, "0000001"), True),
    ]
    assert given_ids(allocate(run(1), requests)) == ["b"]


def test_the_cap_counts_places_already_held_and_stops_a_partner():
    requests = [req(f"b{i}", "ORG-B", i) for i in range(4)] + [req("c0", "ORG-C", 9)]
    outcome = allocate(run(10, cap=2), requests, held_by_organisation={"ORG-B": 1})
    assert given_ids(outcome) == ["b0", "c0"]
    assert outcome.waiting == ("b1", "b2", "b3")


def test_a_partner_already_holding_more_than_the_cap_gets_nothing():
    outcome = allocate(run(5, cap=1), [req("b0", "ORG-B")], held_by_organisation={"ORG-B": 3})
    assert outcome == Outcome((), ("b0",))


def test_a_cap_of_zero_gives_partners_nothing_but_the_host_is_never_capped():
    requests = [req("b0", "ORG-B", 0)] + [req(f"h{i}", HOST, i) for i in range(3)]
    outcome = allocate(run(5, cap=0), requests, held_by_organisation={HOST: 9})
    assert given_ids(outcome) == ["h0", "h1", "h2"]
    assert outcome.waiting == ("b0",)


def test_no_cap_lets_one_partner_take_every_place():
    requests = [req(f"b{i}", "ORG-B", i) for i in range(4)]
    assert given_ids(allocate(run(3, cap=None), requests)) == ["b0", "b1", "b2"]


def test_confirmed_above_capacity_leaves_no_places():
    assert run(0).places == 0
    assert Run("r", HOST, capacity=2, confirmed=5).places == 0


# Hypothesis: small worlds with many ties, checked against the rule written out step by step.

ORGANISATIONS = [HOST, "ORG-B", "ORG-C", "ORG-D", "ORG-10"]


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Run, list[Request], dict[str, int], dict[str, int]]:
    ids = draw(st.lists(st.sampled_from([f"q{i}" for i in range(12)]), unique=True, max_size=12))
    requests = [
        Request(
            request_id,
            draw(st.sampled_from(ORGANISATIONS)),
            Instant(NINE.seconds + draw(st.integers(0, 3)), draw(st.sampled_from(["", "5", "05"]))),
            draw(st.booleans()),
        )
        for request_id in ids
    ]
    capacity = draw(st.integers(0, 12))
    the_run = Run(
        "r1",
        HOST,
        capacity,
        draw(st.integers(0, capacity)),
        draw(st.none() | st.integers(0, 4)),
    )
    counts = st.dictionaries(st.sampled_from(ORGANISATIONS), st.integers(0, 5), max_size=5)
    return the_run, requests, draw(counts), draw(counts)


def call(world: tuple[Run, list[Request], dict[str, int], dict[str, int]]) -> Outcome:
    the_run, requests, received, held = world
    return allocate(the_run, requests, received_last_365_days=received, held_by_organisation=held)


@settings(max_examples=200)
@given(worlds())
def test_never_more_places_than_capacity_minus_confirmed(world):
    assert len(call(world).allocated) <= world[0].capacity - world[0].confirmed


@settings(max_examples=200)
@given(worlds())
def test_every_request_is_either_allocated_or_waiting_exactly_once(world):
    outcome = call(world)
    ids = [request.id for request in world[1]]
    assert Counter(given_ids(outcome)) + Counter(outcome.waiting) == Counter(ids)


@settings(max_examples=200)
@given(worlds())
def test_waiting_lists_every_other_request_in_input_order(world):
    outcome = call(world)
    allocated = set(given_ids(outcome))
    assert list(outcome.waiting) == [r.id for r in world[1] if r.id not in allocated]


@settings(max_examples=200)
@given(worlds())
def test_only_approved_requests_are_given_places_under_their_own_organisation(world):
    by_id = {request.id: request for request in world[1]}
    for allocation in call(world).allocated:
        assert by_id[allocation.request].approved
        assert by_id[allocation.request].organisation == allocation.organisation


@settings(max_examples=200)
@given(worlds())
def test_no_partner_goes_over_the_cap_with_what_it_already_holds(world):
    the_run, _, _, held = world
    given_to = Counter(a.organisation for a in call(world).allocated if a.organisation != HOST)
    if the_run.cap_per_organisation is not None:
        for organisation, count in given_to.items():
            assert count + held.get(organisation, 0) <= the_run.cap_per_organisation


@settings(max_examples=200)
@given(worlds())
def test_the_host_is_served_first_and_as_fully_as_the_places_allow(world):
    the_run, requests, _, _ = world
    organisations = [allocation.organisation for allocation in call(world).allocated]
    host_count = organisations.count(HOST)
    assert organisations[:host_count] == [HOST] * host_count
    approved_host = sum(1 for r in requests if r.approved and r.organisation == HOST)
    assert host_count == min(the_run.places, approved_host)


@settings(max_examples=500)
@given(worlds())
def test_each_place_goes_where_the_rule_says_and_giving_stops_only_when_it_must(world):
    the_run, requests, received, held = world
    cap = the_run.cap_per_organisation
    remaining = [r for r in requests if r.approved]
    given_here: Counter[str] = Counter()
    outcome = call(world)
    for allocation in outcome.allocated:
        chosen = next(r for r in remaining if r.id == allocation.request)
        hosts = [r for r in remaining if r.organisation == HOST]
        if hosts:
            assert chosen == min(hosts, key=lambda r: (r.requested_at, r.id))
        else:
            open_partners = {
                r.organisation
                for r in remaining
                if cap is None or given_here[r.organisation] + held.get(r.organisation, 0) < cap
            }

            def preference(organisation: str) -> tuple[int, int, Instant, str]:
                earliest = min(r.requested_at for r in remaining if r.organisation == organisation)
                return (
                    given_here[organisation],
                    received.get(organisation, 0),
                    earliest,
                    organisation,
                )

            organisation = min(open_partners, key=preference)
            own = [r for r in remaining if r.organisation == organisation]
            assert chosen == min(own, key=lambda r: (r.requested_at, r.id))
        remaining.remove(chosen)
        given_here[chosen.organisation] += 1
    still_open = [
        r
        for r in remaining
        if r.organisation == HOST
        or cap is None
        or given_here[r.organisation] + held.get(r.organisation, 0) < cap
    ]
    assert len(outcome.allocated) == the_run.places or not still_open
