"""`joinedup learning allocate --input FILE`: the release rule as a command-line contract.

Reads the input described in the learning issue, checks it by the common input rules of DESIGN.md,
runs `allocation.allocate` and prints `{"allocated": [...], "waiting": [...]}`. No Django.
"""

from __future__ import annotations

from joinedup.learning.allocation import Outcome, Request, Run, allocate
from joinedup.lib.contract_input import (
    ContractInputError,
    expect_count,
    expect_count_map,
    expect_flag,
    expect_id,
    expect_list,
    expect_object,
    expect_timestamp,
    expect_unique_ids,
    run_json_contract,
)

USAGE = "joinedup learning allocate --input FILE"

OPTIONAL_MAPS = ("received_last_365_days", "held_by_organisation")


def read_run(value: object) -> Run:
    """The run object of the input."""
    data = expect_object(
        value,
        "run",
        required=("id", "host", "capacity", "confirmed"),
        optional=("cap_per_organisation",),
    )
    capacity = expect_count(data["capacity"], "run.capacity")
    confirmed = expect_count(data["confirmed"], "run.confirmed")
    if confirmed > capacity:
        raise ContractInputError(
            f"run.confirmed: {confirmed} is more than run.capacity ({capacity})"
        )
    cap = data.get("cap_per_organisation")
    return Run(
        id=expect_id(data["id"], "run.id"),
        host=expect_id(data["host"], "run.host"),
        capacity=capacity,
        confirmed=confirmed,
        cap_per_organisation=None if cap is None else expect_count(cap, "run.cap_per_organisation"),
    )


def read_request(value: object, where: str) -> Request:
    """One waiting request of the input."""
    data = expect_object(value, where, required=("id", "organisation", "requested_at", "approved"))
    return Request(
        id=expect_id(data["id"], f"{where}.id"),
        organisation=expect_id(data["organisation"], f"{where}.organisation"),
        requested_at=expect_timestamp(data["requested_at"], f"{where}.requested_at"),
        approved=expect_flag(data["approved"], f"{where}.approved"),
    )


def compute(value: object) -> dict[str, object]:
    """Check the whole input, allocate, and shape the output."""
    data = expect_object(value, "input", required=("run", "requests"), optional=OPTIONAL_MAPS)
    run = read_run(data["run"])
    requests = [
        read_request(item, f"requests[{index}]")
        for index, item in enumerate(expect_list(data["requests"], "requests"))
    ]
    expect_unique_ids([request.id for request in requests], "requests")
    maps = {name: expect_count_map(data[name], name) for name in OPTIONAL_MAPS if name in data}
    outcome = allocate(
        run,
        requests,
        received_last_365_days=maps.get("received_last_365_days"),
        held_by_organisation=maps.get("held_by_organisation"),
    )
    return output(outcome)


def output(outcome: Outcome) -> dict[str, object]:
    """The contract's output object."""
    return {
        "allocated": [
            {"request": allocation.request, "organisation": allocation.organisation}
            for allocation in outcome.allocated
        ],
        "waiting": list(outcome.waiting),
    }


def main(argv: list[str]) -> int:
    """Run the contract on the arguments after `learning allocate`; returns the exit status."""
    return run_json_contract(argv, usage=USAGE, compute=compute)
