"""`joinedup talent match --input FILE`: the stable matcher as a command-line contract.

Reads `{"applicants": [{"id", "preferences"}], "posts": [{"id", "capacity", "preferences"}]}`,
checks it by the common input rules of DESIGN.md and the talent issue's own (applicant ids and post
ids are separate namespaces; each list of preferences names existing ids of the other side without
repeats; capacities are counts, 0 allowed), runs `matching.stable_matching` and prints
`{"matching": {applicant: post or null}}` with every applicant, in input order. No Django.
"""

from __future__ import annotations

from typing import cast

from joinedup.lib.contract_input import (
    ContractInputError,
    expect_count,
    expect_id,
    expect_list,
    expect_object,
    expect_unique_ids,
    quoted,
    run_json_contract,
)
from joinedup.talent.matching import stable_matching

USAGE = "joinedup talent match --input FILE"


def read_side(
    value: object, where: str, *, with_capacity: bool
) -> list[tuple[str, dict[str, object]]]:
    """The applicants or the posts: each item's id and its checked object, ids unique."""
    required = ("id", "capacity", "preferences") if with_capacity else ("id", "preferences")
    items = []
    for index, item in enumerate(expect_list(value, where)):
        data = expect_object(item, f"{where}[{index}]", required=required)
        items.append((expect_id(data["id"], f"{where}[{index}].id"), data))
    expect_unique_ids([item_id for item_id, _ in items], where)
    return items


def read_preferences(value: object, where: str, known: set[str], other_side: str) -> list[str]:
    """A list of preferences: ids of the other side, best first, each known and named once."""
    items = expect_list(value, where)
    try:
        named = set(items)
    except TypeError:  # a list or object among the ids: the loop below names it
        named = set()
    if len(named) == len(items) and named <= known:  # known holds only non-empty string ids
        return cast(list[str], items)
    ranked: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        choice = expect_id(item, f"{where}[{index}]")
        if choice not in known:
            raise ContractInputError(f"{where}[{index}]: {quoted(choice)} is not {other_side}")
        if choice in seen:
            raise ContractInputError(f"{where}[{index}]: {quoted(choice)} is repeated")
        seen.add(choice)
        ranked.append(choice)
    return ranked


def compute(value: object) -> dict[str, object]:
    """Check the whole input, match, and shape the output."""
    data = expect_object(value, "input", required=("applicants", "posts"))
    applicant_items = read_side(data["applicants"], "applicants", with_capacity=False)
    post_items = read_side(data["posts"], "posts", with_capacity=True)
    applicant_ids = {applicant_id for applicant_id, _ in applicant_items}
    post_ids = {post_id for post_id, _ in post_items}
    applicants = {
        applicant_id: read_preferences(
            item["preferences"], f"applicants[{index}].preferences", post_ids, "a post id"
        )
        for index, (applicant_id, item) in enumerate(applicant_items)
    }
    posts: dict[str, list[str]] = {}
    capacities: dict[str, int] = {}
    for index, (post_id, item) in enumerate(post_items):
        capacities[post_id] = expect_count(item["capacity"], f"posts[{index}].capacity")
        posts[post_id] = read_preferences(
            item["preferences"], f"posts[{index}].preferences", applicant_ids, "an applicant id"
        )
    return {"matching": stable_matching(applicants, posts, capacities)}


def main(argv: list[str]) -> int:
    """Run the contract on the arguments after `talent match`; returns the exit status."""
    return run_json_contract(argv, usage=USAGE, compute=compute)
