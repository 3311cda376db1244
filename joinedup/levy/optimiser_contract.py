"""`joinedup levy optimise --input FILE`: the pooling optimiser as a command-line contract.

Reads the senders and needs described in the levy issue, checks them by the common input rules of
DESIGN.md (amounts never negative, priorities whole numbers from 1 to 3, ids unique), solves to
optimality with no time limit and prints
`{"plan": [{"need", "sender"}], "expiry_avoided": "...", "priority_funded": N}`. No Django.
"""

from __future__ import annotations

from decimal import Decimal

from joinedup.levy.optimiser import Need, OptimiserError, Outcome, Sender, optimise
from joinedup.lib.contract_input import (
    ContractInputError,
    expect_amount,
    expect_count,
    expect_id,
    expect_list,
    expect_month,
    expect_object,
    expect_unique_ids,
    format_amount,
    quoted,
    run_json_contract,
)

USAGE = "joinedup levy optimise --input FILE"


def read_non_negative(value: object, where: str) -> Decimal:
    """An amount that must not be negative."""
    amount = expect_amount(value, where)
    if amount < 0:
        raise ContractInputError(f"{where}: must not be negative (got {format_amount(amount)})")
    return amount


def read_months(value: object, where: str) -> dict[str, Decimal]:
    """An object from months (YYYY-MM) to amounts that are never negative."""
    if not isinstance(value, dict):
        raise ContractInputError(f"{where}: must be an object of months to amounts")
    months: dict[str, Decimal] = {}
    for month, amount in value.items():
        expect_month(month, f"{where} key {quoted(month)}")
        months[month] = read_non_negative(amount, f"{where}[{quoted(month)}]")
    return months


def read_sender(value: object, where: str) -> Sender:
    """One sender: its id, remaining allowance and expiry forecast."""
    data = expect_object(value, where, required=("id", "allowance", "expiring"))
    return Sender(
        id=expect_id(data["id"], f"{where}.id"),
        allowance=read_non_negative(data["allowance"], f"{where}.allowance"),
        expiring=read_months(data["expiring"], f"{where}.expiring"),
    )


def read_need(value: object, where: str) -> Need:
    """One need: its id, organisation, priority (1-3) and costs by month."""
    data = expect_object(value, where, required=("id", "organisation", "priority", "costs"))
    priority = expect_count(data["priority"], f"{where}.priority")
    if not 1 <= priority <= 3:
        raise ContractInputError(f"{where}.priority: must be 1, 2 or 3 (got {priority})")
    return Need(
        id=expect_id(data["id"], f"{where}.id"),
        organisation=expect_id(data["organisation"], f"{where}.organisation"),
        priority=priority,
        costs=read_months(data["costs"], f"{where}.costs"),
    )


def compute(value: object) -> dict[str, object]:
    """Check the whole input, optimise, and shape the output."""
    data = expect_object(value, "input", required=("senders", "needs"))
    senders = [
        read_sender(item, f"senders[{index}]")
        for index, item in enumerate(expect_list(data["senders"], "senders"))
    ]
    needs = [
        read_need(item, f"needs[{index}]")
        for index, item in enumerate(expect_list(data["needs"], "needs"))
    ]
    expect_unique_ids([sender.id for sender in senders], "senders")
    expect_unique_ids([need.id for need in needs], "needs")
    try:
        outcome = optimise(senders, needs)
    except OptimiserError as error:
        raise ContractInputError(str(error)) from None
    return output(outcome)


def output(outcome: Outcome) -> dict[str, object]:
    """The contract's output object."""
    plan = outcome.plan
    return {
        "plan": [{"need": transfer.need, "sender": transfer.sender} for transfer in plan.transfers],
        "expiry_avoided": format_amount(plan.expiry_avoided),
        "priority_funded": plan.priority_funded,
    }


def main(argv: list[str]) -> int:
    """Run the contract on the arguments after `levy optimise`; returns the exit status."""
    return run_json_contract(argv, usage=USAGE, compute=compute)
