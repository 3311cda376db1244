"""The optimiser's linear relaxation: its bound holds and its rounding keeps the rules (no DB)."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pytest

from joinedup.levy import optimiser, optimiser_lp
from joinedup.levy.optimiser import evaluate, optimise
from joinedup.levy.tests.test_optimiser import brute_force, need, random_instance, sender


def relaxation(
    senders: list[optimiser.Sender], needs: list[optimiser.Need], seconds: float = 5.0
) -> tuple[optimiser._Problem, optimiser_lp.Guide]:
    problem = optimiser._Problem.of(senders, needs)
    return problem, optimiser_lp.guide(
        problem.relaxation(), problem.start(), time.monotonic() + seconds
    )


def test_the_relaxation_takes_needs_in_fractions_so_its_bound_can_pass_the_optimum():
    # Allowance 10 fits one of the two needs of 6 whole, but 10/6 of a need in fractions.
    senders = [sender("A", "10", {"2027-01": "10"})]
    needs = [need("a", "X", 1, {"2027-01": "6"}), need("b", "X", 1, {"2027-01": "6"})]
    problem, guide = relaxation(senders, needs)
    assert problem.amount(guide.bound) == Decimal(10)
    assert optimise(senders, needs).plan.expiry_avoided == Decimal(6)
    assert {pair[0] for pair in guide.pairs} == {0, 1}


def test_the_relaxation_keeps_early_spending_for_the_sender_whose_expiry_comes_first():
    # n1 spends in January: only it can save A's January expiry; n2 can save B's either way.
    senders = [sender("A", "100", {"2027-01": "10"}), sender("B", "100", {"2027-06": "10"})]
    needs = [
        need("n1", "X", 1, {"2027-01": "10"}),
        need("n2", "X", 1, {"2027-05": "10"}),
    ]
    problem, guide = relaxation(senders, needs)
    assert problem.amount(guide.bound) == Decimal(20)
    assert problem.transfers(problem.rounded(guide.pairs)) == [
        optimiser.Transfer("n1", "A"),
        optimiser.Transfer("n2", "B"),
    ]


def test_with_no_time_left_the_relaxation_says_nothing():
    senders = [sender("A", "10", {"2027-01": "10"})]
    needs = [need("a", "X", 1, {"2027-01": "6"})]
    problem = optimiser._Problem.of(senders, needs)
    guide = optimiser_lp.guide(problem.relaxation(), {}, time.monotonic() - 1)
    assert (guide.pairs, guide.bound) == ([], None)


@pytest.mark.parametrize("seed", range(100, 140))
def test_the_bound_is_never_below_the_brute_force_optimum_and_the_rounding_keeps_the_rules(
    seed,
):
    rng = random.Random(seed)
    senders, needs = random_instance(rng, rng.randint(1, 3), rng.randint(1, 6))
    problem, guide = relaxation(senders, needs)
    best = brute_force(senders, needs)
    assert guide.bound is not None
    assert problem.amount(guide.bound) >= best[0]
    assert guide.bound <= problem.bound()
    rounded = problem.rounded(guide.pairs)
    plan = evaluate(senders, needs, problem.transfers(rounded))
    assert problem.amount(problem.avoided_units(rounded)) == plan.expiry_avoided


def test_the_search_proves_a_plan_optimal_with_the_relaxations_bound(monkeypatch):
    monkeypatch.setattr(optimiser, "_WHOLE_MODEL_PAIRS", 0)
    senders = [
        sender("A", "100", {"2027-01": "1.5", "2027-04": "12.5", "2027-06": "7"}),
        sender("B", "5", {"2027-02": "7", "2027-03": "3.25", "2027-04": "3.25", "2027-05": "12.5"}),
    ]
    needs = [
        need("n0", "C", 1, {"2027-01": "12.5", "2027-02": "2", "2027-04": "10"}),
        need("n1", "B", 1, {"2027-02": "5", "2027-05": "2", "2027-06": "1.5"}),
        need("n2", "C", 1, {}),
    ]
    problem = optimiser._Problem.of(senders, needs)
    assert problem.amount(problem.bound()) == Decimal("21.01")
    outcome = optimise(senders, needs, time_limit=2.0, workers=1)
    assert (outcome.status, outcome.plan.expiry_avoided, outcome.gap) == (
        "optimal",
        Decimal(21),
        Decimal(0),
    )
    assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == brute_force(
        senders, needs
    )
