"""The pooling optimiser: its rules, its optimum against brute force, its contract (no database)."""

from __future__ import annotations

import copy
import itertools
import json
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from joinedup.levy import optimiser
from joinedup.levy.optimiser import (
    Need,
    OptimiserError,
    Saving,
    Sender,
    Transfer,
    evaluate,
    expiry_avoided,
    explain,
    greedy_plan,
    no_transfer_plan,
    optimise,
)
from joinedup.levy.optimiser_contract import main

JOINEDUP = Path(sys.executable).with_name("joinedup")

EXAMPLE = {
    "senders": [
        {"id": "ORG-A", "allowance": "50000", "expiring": {"2027-03": "12000", "2027-09": "8000"}}
    ],
    "needs": [
        {
            "id": "n1",
            "organisation": "ORG-C",
            "priority": 2,
            "costs": {"2027-01": "466.67", "2027-02": "466.67"},
        }
    ],
}


def amounts(months: dict[str, str]) -> dict[str, Decimal]:
    return {month: Decimal(amount) for month, amount in months.items()}


def sender(id: str, allowance: str, expiring: dict[str, str]) -> Sender:
    return Sender(id=id, allowance=Decimal(allowance), expiring=amounts(expiring))


def need(id: str, organisation: str, priority: int, costs: dict[str, str]) -> Need:
    return Need(id=id, organisation=organisation, priority=priority, costs=amounts(costs))


def pairs(plan: Any) -> list[tuple[str, str]]:
    return [(transfer.need, transfer.sender) for transfer in plan.transfers]


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str, str]:
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    status = main(["--input", str(path)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# The rule itself


def test_spending_takes_the_earliest_expiring_funds_of_the_same_or_a_later_month():
    giver = sender("A", "0", {"2027-01": "5", "2027-03": "10", "2027-06": "10"})
    later = need("n", "X", 1, {"2027-02": "12", "2027-07": "4"})
    # 2027-02 cannot save 2027-01; it takes 10 from 2027-03 and 2 from 2027-06;
    # 2027-07 saves nothing.
    assert expiry_avoided(giver, [later]) == Decimal("12")
    early = need("m", "X", 1, {"2027-01": "3"})
    assert expiry_avoided(giver, [later, early]) == Decimal("15")


def test_the_issues_example_funds_n1_from_org_a_and_avoids_933_34():
    outcome = optimise(
        [sender("ORG-A", "50000", {"2027-03": "12000", "2027-09": "8000"})],
        [need("n1", "ORG-C", 2, {"2027-01": "466.67", "2027-02": "466.67"})],
    )
    assert pairs(outcome.plan) == [("n1", "ORG-A")]
    assert outcome.plan.expiry_avoided == Decimal("933.34")
    assert outcome.plan.priority_funded == 2
    assert (outcome.status, outcome.gap) == ("optimal", Decimal(0))


def test_a_sender_never_funds_its_own_organisations_need():
    outcome = optimise(
        [sender("ORG-A", "50000", {"2027-03": "12000"})],
        [need("n1", "ORG-A", 3, {"2027-01": "100"})],
    )
    assert outcome.plan == no_transfer_plan()
    with pytest.raises(ValueError, match="own need"):
        evaluate(
            [sender("ORG-A", "50000", {})],
            [need("n1", "ORG-A", 3, {"2027-01": "100"})],
            [Transfer("n1", "ORG-A")],
        )


def test_the_needs_a_sender_funds_cost_at_most_its_allowance():
    senders = [sender("A", "500", {"2027-03": "1000"})]
    needs = [
        need("n1", "X", 1, {"2027-01": "300"}),
        need("n2", "Y", 1, {"2027-02": "250"}),
        need("n3", "Z", 1, {"2027-02": "200"}),
    ]
    outcome = optimise(senders, needs)
    # 300 + 200 = 500 is the most of the allowance any pair of needs can use.
    assert pairs(outcome.plan) == [("n1", "A"), ("n3", "A")]
    assert outcome.plan.expiry_avoided == Decimal("500")
    with pytest.raises(ValueError, match="allowance"):
        evaluate(senders, needs, [Transfer("n1", "A"), Transfer("n2", "A")])


def test_equal_expiry_avoided_is_broken_by_the_higher_priority():
    senders = [sender("A", "100", {"2027-03": "1000"})]
    needs = [
        need("low", "X", 1, {"2027-01": "100"}),
        need("high", "Y", 3, {"2027-02": "100"}),
    ]
    outcome = optimise(senders, needs)
    assert pairs(outcome.plan) == [("high", "A")]
    assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == (Decimal("100"), 3)


def test_more_expiry_avoided_beats_any_priority():
    senders = [sender("A", "100", {"2027-03": "1000"})]
    needs = [
        need("low", "X", 1, {"2027-01": "100"}),
        need("high", "Y", 3, {"2027-01": "40", "2027-06": "60"}),
    ]
    outcome = optimise(senders, needs)
    assert pairs(outcome.plan) == [("low", "A")]
    assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == (Decimal("100"), 1)


def test_a_need_that_saves_nothing_is_still_funded_for_its_priority_when_allowance_is_left():
    outcome = optimise(
        [sender("A", "1000", {"2027-03": "50"})],
        [need("early", "X", 1, {"2027-01": "50"}), need("late", "Y", 3, {"2027-09": "500"})],
    )
    assert pairs(outcome.plan) == [("early", "A"), ("late", "A")]
    assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == (Decimal("50"), 4)


def test_when_the_first_choice_leaves_no_room_for_the_other_needs_the_whole_model_decides():
    # Saving the 10 alone: "big" (priority 2) beats "small" (priority 1); but "small" leaves room
    # for "late" (priority 3, saving nothing), so small + late (priority 4) is the optimum.
    outcome = optimise(
        [sender("A", "100", {"2027-01": "10"})],
        [
            need("small", "X", 1, {"2027-01": "10"}),
            need("big", "X", 2, {"2027-01": "100"}),
            need("late", "X", 3, {"2028-01": "90"}),
        ],
    )
    assert pairs(outcome.plan) == [("late", "A"), ("small", "A")]
    assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == (Decimal("10"), 4)


def test_the_optimum_beats_the_greedy_plan_on_a_constructed_case():
    senders = [sender("A", "1000", {"2027-06": "100"}), sender("B", "1000", {"2027-01": "100"})]
    needs = [need("n1", "X", 3, {"2027-01": "100"}), need("n2", "X", 1, {"2027-06": "100"})]
    greedy = greedy_plan(senders, needs)
    # Greedy: n1 first (priority 3) saves 100 at either sender and goes to A (the smaller id);
    # then n2 (2027-06) can save nothing: A's funds are used and B's expire in 2027-01.
    assert pairs(greedy) == [("n1", "A"), ("n2", "A")]
    assert greedy.expiry_avoided == Decimal("100")
    outcome = optimise(senders, needs)
    assert pairs(outcome.plan) == [("n1", "B"), ("n2", "A")]
    assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == (Decimal("200"), 4)


def test_the_greedy_plan_takes_needs_by_priority_then_id_and_respects_the_rules():
    senders = [sender("A", "150", {"2027-02": "100"}), sender("B", "1000", {"2027-02": "30"})]
    needs = [
        need("a", "B", 1, {"2027-01": "100"}),
        need("b", "X", 3, {"2027-01": "100"}),
        need("c", "X", 3, {"2027-01": "100"}),
    ]
    # b first: A saves 100, B 30 -> A. c: A has 50 allowance left -> B (saves 30).
    # a: its own organisation is B and A has too little allowance left -> unfunded.
    greedy = greedy_plan(senders, needs)
    assert pairs(greedy) == [("b", "A"), ("c", "B")]
    assert (greedy.expiry_avoided, greedy.priority_funded) == (Decimal("130"), 6)


def test_no_transfers_avoid_nothing():
    assert no_transfer_plan().transfers == ()
    assert no_transfer_plan().expiry_avoided == 0
    assert no_transfer_plan().priority_funded == 0


def test_each_transfer_is_explained_by_the_expiring_months_it_saves():
    senders = [sender("ORG-A", "50000", {"2027-03": "12000", "2027-09": "8000"})]
    needs = [
        need("n1", "ORG-C", 2, {"2027-01": "466.67", "2027-02": "466.67"}),
        need("n2", "ORG-D", 1, {"2027-03": "11500", "2027-04": "600", "2027-10": "5"}),
    ]
    outcome = optimise(senders, needs)
    explanations = explain(senders, needs, outcome.plan)
    assert [(item.need, item.sender, item.cost) for item in explanations] == [
        ("n1", "ORG-A", Decimal("933.34")),
        ("n2", "ORG-A", Decimal("12105")),
    ]
    assert explanations[0].saves == (Saving("2027-03", Decimal("933.34")),)
    # n2's 2027-03 spending takes what n1 left of 2027-03 (11066.66), then 2027-09.
    assert explanations[1].saves == (
        Saving("2027-03", Decimal("11066.66")),
        Saving("2027-09", Decimal("1033.34")),
    )
    assert sum(item.saved for item in explanations) == outcome.plan.expiry_avoided


def test_a_time_limit_reports_the_status_and_a_bound_no_lower_than_the_plan():
    senders, needs = random_instance(random.Random(7), 3, 6)
    outcome = optimise(senders, needs, time_limit=5.0)
    assert outcome.status == "optimal"
    assert outcome.avoided_bound == outcome.plan.expiry_avoided
    assert outcome.gap == 0


def test_with_a_time_limit_a_large_instance_is_searched_from_the_greedy_plan(monkeypatch):
    monkeypatch.setattr(optimiser, "_WHOLE_MODEL_PAIRS", 0)
    senders, needs = random_instance(random.Random(11), 3, 12)
    outcome = optimise(senders, needs, time_limit=1.0)
    assert evaluate(senders, needs, outcome.plan.transfers) == outcome.plan
    greedy = greedy_plan(senders, needs)
    assert outcome.plan.expiry_avoided >= greedy.expiry_avoided
    assert outcome.avoided_bound >= outcome.plan.expiry_avoided
    assert outcome.gap == outcome.avoided_bound - outcome.plan.expiry_avoided


def test_the_search_proves_a_plan_optimal_when_it_reaches_the_bound_and_funds_every_need(
    monkeypatch,
):
    monkeypatch.setattr(optimiser, "_WHOLE_MODEL_PAIRS", 0)
    outcome = optimise(
        [sender("A", "100", {"2027-02": "60"}), sender("B", "100", {"2027-05": "40"})],
        [need("n1", "X", 1, {"2027-01": "60"}), need("n2", "X", 2, {"2027-04": "40"})],
        time_limit=0.5,
    )
    assert pairs(outcome.plan) == [("n1", "A"), ("n2", "B")]
    assert (outcome.status, outcome.gap) == ("optimal", Decimal(0))


def test_the_search_starts_from_the_transfers_that_save_most_not_from_priority_order(
    monkeypatch,
):
    monkeypatch.setattr(optimiser, "_WHOLE_MODEL_PAIRS", 0)
    senders = [sender("A", "60", {"2027-03": "60"})]
    needs = [
        need("n1", "X", 3, {"2027-03": "30", "2027-09": "30"}),
        need("n2", "X", 1, {"2027-01": "60"}),
    ]
    assert pairs(greedy_plan(senders, needs)) == [("n1", "A")]
    problem = optimiser._Problem.of(senders, needs)
    assert problem.transfers(problem.saving_start()) == [Transfer("n2", "A")]
    outcome = optimise(senders, needs, time_limit=0.01)
    assert (pairs(outcome.plan), outcome.plan.expiry_avoided) == ([("n2", "A")], Decimal(60))


@pytest.mark.parametrize("seed", range(20))
def test_the_saving_start_keeps_the_rules_and_counts_its_avoided_expiry_exactly(seed):
    rng = random.Random(seed)
    senders, needs = random_instance(rng, rng.randint(1, 4), rng.randint(1, 12))
    problem = optimiser._Problem.of(senders, needs)
    for per_cost in (False, True):
        start = problem.saving_start(per_cost)
        plan = evaluate(senders, needs, problem.transfers(start))
        assert problem.amount(problem.avoided_units(start)) == plan.expiry_avoided


def test_per_pound_of_allowance_the_start_fits_two_small_savers_before_one_large():
    senders = [sender("A", "60", {"2027-03": "100"})]
    needs = [
        need("big", "X", 1, {"2027-01": "40", "2027-09": "20"}),
        need("s1", "X", 1, {"2027-01": "30"}),
        need("s2", "X", 1, {"2027-02": "30"}),
    ]
    problem = optimiser._Problem.of(senders, needs)
    assert problem.transfers(problem.saving_start()) == [Transfer("big", "A")]
    by_pound = problem.transfers(problem.saving_start(per_cost=True))
    assert sorted(by_pound, key=lambda transfer: transfer.need) == [
        Transfer("s1", "A"),
        Transfer("s2", "A"),
    ]
    assert optimise(senders, needs, time_limit=0.01).plan.expiry_avoided == Decimal(60)


def test_separate_groups_of_senders_and_needs_are_each_solved():
    senders = [sender("A", "100", {"2027-01": "100"}), sender("B", "100", {"2028-01": "100"})]
    needs = [need("a", "X", 1, {"2027-01": "100"}), need("b", "X", 1, {"2027-06": "100"})]
    # a cannot help B (it would fund B's 2028 expiry too, but then b saves nothing at A).
    outcome = optimise(senders, needs)
    assert pairs(outcome.plan) == [("a", "A"), ("b", "B")]
    assert outcome.plan.expiry_avoided == Decimal("200")


def test_amounts_too_fine_to_scale_exactly_are_refused():
    with pytest.raises(OptimiserError):
        optimise(
            [sender("A", "1", {"2027-01": "1." + "1" * 30})],
            [need("n", "X", 1, {"2027-01": "1"})],
        )


# Against brute force


def random_instance(
    rng: random.Random, senders: int, needs: int
) -> tuple[list[Sender], list[Need]]:
    months = ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"]
    organisations = ["A", "B", "C", "X"]

    def amount() -> str:
        return rng.choice(["0", "1.5", "2", "3.25", "5", "7", "10", "12.5", "20"])

    made_senders = [
        sender(
            organisations[index],
            rng.choice(["0", "5", "10", "15", "25", "40", "100"]),
            {month: amount() for month in rng.sample(months, rng.randint(0, 4))},
        )
        for index in range(senders)
    ]
    made_needs = [
        need(
            f"n{index}",
            rng.choice(organisations),
            rng.randint(1, 3),
            {month: amount() for month in rng.sample(months, rng.randint(0, 3))},
        )
        for index in range(needs)
    ]
    return made_senders, made_needs


def brute_force(senders: list[Sender], needs: list[Need]) -> tuple[Decimal, int]:
    best = (Decimal(0), 0)
    for choice in itertools.product([None, *senders], repeat=len(needs)):
        transfers = [
            Transfer(item.id, giver.id)
            for item, giver in zip(needs, choice, strict=True)
            if giver is not None
        ]
        try:
            plan = evaluate(senders, needs, transfers)
        except ValueError:
            continue
        best = max(best, (plan.expiry_avoided, plan.priority_funded))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_optimum_equals_brute_force_on_small_random_instances(seed):
    rng = random.Random(seed)
    senders, needs = random_instance(rng, rng.randint(1, 3), rng.randint(1, 6))
    outcome = optimise(senders, needs, workers=1)
    assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == brute_force(
        senders, needs
    )
    # The plan keeps the rules and its figures are its own.
    assert evaluate(senders, needs, outcome.plan.transfers) == outcome.plan
    greedy = greedy_plan(senders, needs)
    assert (greedy.expiry_avoided, greedy.priority_funded) <= (
        outcome.plan.expiry_avoided,
        outcome.plan.priority_funded,
    )


@pytest.mark.parametrize("seed", range(40, 60))
def test_the_searchs_bound_is_never_below_the_brute_force_optimum(monkeypatch, seed):
    monkeypatch.setattr(optimiser, "_WHOLE_MODEL_PAIRS", 0)
    rng = random.Random(seed)
    senders, needs = random_instance(rng, rng.randint(1, 3), rng.randint(1, 5))
    outcome = optimise(senders, needs, time_limit=0.2, workers=1)
    best = brute_force(senders, needs)
    assert outcome.avoided_bound >= best[0] >= outcome.plan.expiry_avoided
    if outcome.status == "optimal":
        assert (outcome.plan.expiry_avoided, outcome.plan.priority_funded) == best


# The contract


def test_the_contract_prints_the_issues_example(tmp_path, capsys):
    status, out, err = run(tmp_path, capsys, json.dumps(EXAMPLE))
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "plan": [{"need": "n1", "sender": "ORG-A"}],
        "expiry_avoided": "933.34",
        "priority_funded": 2,
    }


def test_the_contract_accepts_json_numbers_and_sorts_the_plan_by_need_id(tmp_path, capsys):
    data = {
        "senders": [{"id": "S", "allowance": 1000, "expiring": {"2027-05": 30.50}}],
        "needs": [
            {"id": "z", "organisation": "X", "priority": 1, "costs": {"2027-01": 10}},
            {"id": "a", "organisation": "X", "priority": 1, "costs": {"2027-02": "10.00"}},
        ],
    }
    status, out, _ = run(tmp_path, capsys, json.dumps(data))
    assert status == 0
    assert json.loads(out) == {
        "plan": [{"need": "a", "sender": "S"}, {"need": "z", "sender": "S"}],
        "expiry_avoided": "20",
        "priority_funded": 2,
    }


def set_at(path: str, value: object) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def drop(path: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


def append_copy(name: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        data[name].append(copy.deepcopy(data[name][0]))

    return change


BREACHES = [
    ("missing needs", drop("needs"), 'input: missing key "needs"'),
    ("unknown top-level key", set_at("extra", 1), 'input: unknown key "extra"'),
    ("missing allowance", drop("senders.0.allowance"), 'senders[0]: missing key "allowance"'),
    ("unknown sender key", set_at("senders.0.name", "A"), 'senders[0]: unknown key "name"'),
    ("missing priority", drop("needs.0.priority"), 'needs[0]: missing key "priority"'),
    ("negative allowance", set_at("senders.0.allowance", "-1"), "senders[0].allowance: must not"),
    (
        "negative expiring",
        set_at("senders.0.expiring.2027-03", "-0.01"),
        'senders[0].expiring["2027-03"]: must not be negative',
    ),
    ("negative cost", set_at("needs.0.costs.2027-01", -5), 'needs[0].costs["2027-01"]: must not'),
    ("amount with exponent", set_at("senders.0.allowance", "1e3"), "is not an amount"),
    ("priority 0", set_at("needs.0.priority", 0), "needs[0].priority: must be 1, 2 or 3"),
    ("priority 4", set_at("needs.0.priority", 4), "needs[0].priority: must be 1, 2 or 3"),
    ("priority string", set_at("needs.0.priority", "2"), "needs[0].priority: must be a whole"),
    ("priority boolean", set_at("needs.0.priority", True), "needs[0].priority: must be a whole"),
    ("priority fraction", set_at("needs.0.priority", 2.5), "needs[0].priority: must be a whole"),
    ("empty need id", set_at("needs.0.id", ""), "needs[0].id: must not be empty"),
    ("numeric sender id", set_at("senders.0.id", 7), "senders[0].id: must be a string id"),
    ("repeated sender id", append_copy("senders"), 'senders[1].id: "ORG-A" is repeated'),
    ("repeated need id", append_copy("needs"), 'needs[1].id: "n1" is repeated'),
    ("bad month", set_at("needs.0.costs", {"2027-13": "1"}), "must be a month like"),
    ("costs not an object", set_at("needs.0.costs", []), "needs[0].costs: must be an object"),
    ("senders not a list", set_at("senders", {}), "senders: must be a list"),
]


@pytest.mark.parametrize(
    ("change", "message"), [b[1:] for b in BREACHES], ids=[b[0] for b in BREACHES]
)
def test_each_broken_rule_is_one_line_naming_the_field_and_status_two(
    tmp_path, capsys, change, message
):
    data = copy.deepcopy(EXAMPLE)
    change(data)
    status, out, err = run(tmp_path, capsys, json.dumps(data))
    assert (status, out) == (2, "")
    assert err.startswith("joinedup levy optimise: ")
    assert message in err
    assert err.endswith("\n") and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"senders": [], "senders": [], "needs": []}', 'duplicate key "senders"'),
        ('{"senders": [', "malformed JSON"),
        ("", "malformed JSON"),
    ],
)
def test_malformed_input_is_one_line_and_status_two(tmp_path, capsys, text, message):
    status, out, err = run(tmp_path, capsys, text)
    assert (status, out) == (2, "")
    assert message in err and len(err.splitlines()) == 1


def test_a_missing_file_or_no_input_argument_is_one_line_and_status_two(tmp_path, capsys):
    assert main(["--input", str(tmp_path / "absent.json")]) == 2
    assert "cannot read input file" in capsys.readouterr().err
    assert main([]) == 2
    assert (
        capsys.readouterr().err
        == "joinedup levy optimise: usage: joinedup levy optimise --input FILE\n"
    )


def test_the_console_command_needs_no_settings_and_prints_only_json(tmp_path):
    assert JOINEDUP.exists(), f"{JOINEDUP} is missing: make test installs it"
    (tmp_path / "input.json").write_text(json.dumps(EXAMPLE), encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own console script and arguments
        [str(JOINEDUP), "levy", "optimise", "--input", "input.json"],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["expiry_avoided"] == "933.34"
    (tmp_path / "input.json").write_text('{"senders": []}', encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own console script and arguments
        [str(JOINEDUP), "levy", "optimise", "--input", "input.json"],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == 'joinedup levy optimise: input: missing key "needs"\n'


@pytest.mark.parametrize(
    ("senders", "needs"),
    [
        ([], [need("n1", "ORG-C", 1, {"2027-01": "5"})]),
        ([sender("ORG-A", "50", {"2027-01": "5"})], []),
        ([], []),
    ],
)
def test_nothing_to_plan_without_a_sender_or_a_need(senders, needs):
    outcome = optimise(senders, needs)
    assert outcome.status == "optimal"
    assert outcome.plan.transfers == ()
    assert outcome.plan.expiry_avoided == 0
    assert greedy_plan(senders, needs).transfers == ()
