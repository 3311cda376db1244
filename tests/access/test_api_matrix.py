"""The API half of the access matrix: every operation, every caller, every object."""

from __future__ import annotations

import pytest

from .api_matrix import all_operations, check_operation
from .declarations import OPERATIONS
from .objects import API_RESOLVERS

pytestmark = pytest.mark.matrix

ALL_OPERATIONS = all_operations()


def test_every_api_operation_has_a_declaration():
    missing = sorted(set(ALL_OPERATIONS) - set(OPERATIONS))
    assert not missing, "API operations without a declaration in declarations/api.py: " + ", ".join(
        missing
    )


def test_every_api_declaration_names_an_operation_that_exists():
    stale = sorted(set(OPERATIONS) - set(ALL_OPERATIONS))
    assert not stale, "declarations for API operations that no longer exist: " + ", ".join(stale)


def test_every_api_operation_on_an_object_has_a_resolver():
    missing = sorted(key for key in ALL_OPERATIONS if "{" in key and key not in API_RESOLVERS)
    stale = sorted(set(API_RESOLVERS) - set(ALL_OPERATIONS))
    assert not missing, "API operations without an object resolver in objects.py: " + ", ".join(
        missing
    )
    assert not stale, "object resolvers for API operations that no longer exist: " + ", ".join(
        stale
    )


@pytest.mark.parametrize("key", sorted(set(ALL_OPERATIONS) & set(OPERATIONS)))
def test_api_operation_answers_every_caller_as_declared(key, world):
    cases, mismatches = check_operation(key, world)
    assert cases
    lines = [
        f"  as {m.persona} on {m.obj} object: expected {m.expected}, got {m.actual}"
        for m in mismatches
    ]
    assert not mismatches, f"{key} answers differently from its declaration:\n" + "\n".join(lines)
