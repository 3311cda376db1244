"""The pure cascade core: a worked tree counted by hand, bad input refused, and the branch sum."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.materials.cascade import CascadeError, Node, build_cascade, total_learners, walk

# A trained B and C; B trained D and E; E trained G. F is a second first-generation trainer.
WORKED = [
    Node(1, None, "A", 10),
    Node(2, 1, "B", 5),
    Node(3, 1, "C", 2),
    Node(4, 2, "D", 3),
    Node(5, 2, "E", 0),
    Node(6, None, "F", 4),
    Node(7, 5, "G", 8),
]


def by_label(nodes):
    return {node.label: node for node in walk(build_cascade(nodes))}


def test_branch_totals_of_the_worked_tree_are_counted_by_hand():
    found = by_label(WORKED)
    assert {label: node.branch_learners for label, node in found.items()} == {
        "A": 28,  # 10 + B's 16 + C's 2
        "B": 16,  # 5 + D's 3 + E's 8
        "C": 2,
        "D": 3,
        "E": 8,  # 0 + G's 8
        "F": 4,
        "G": 8,
    }


def test_depth_generation_and_descendants_of_the_worked_tree():
    found = by_label(WORKED)
    assert {label: node.depth for label, node in found.items()} == {
        "A": 0,
        "B": 1,
        "C": 1,
        "D": 2,
        "E": 2,
        "F": 0,
        "G": 3,
    }
    assert found["G"].generation == 4
    assert found["A"].generation == 1
    assert found["A"].descendants == 5
    assert found["B"].descendants == 3
    assert found["G"].descendants == 0


def test_roots_come_in_the_order_given_and_the_walk_is_a_nested_list_order():
    roots = build_cascade(WORKED)
    assert [root.label for root in roots] == ["A", "F"]
    assert [node.label for node in walk(roots)] == ["A", "B", "D", "E", "G", "C", "F"]
    assert total_learners(roots) == 32


def test_no_nodes_make_an_empty_cascade():
    assert build_cascade([]) == []


def test_a_missing_trainer_is_refused_naming_it():
    with pytest.raises(CascadeError, match="trained by 9, which is missing"):
        build_cascade([Node(1, None, "A", 0), Node(2, 9, "B", 0)])


def test_a_cycle_is_refused():
    with pytest.raises(CascadeError, match="cycle"):
        build_cascade([Node(1, None, "A", 0), Node(2, 3, "B", 0), Node(3, 2, "C", 0)])


def test_a_node_trained_by_itself_is_refused():
    with pytest.raises(CascadeError, match="its own trainer"):
        build_cascade([Node(1, 1, "A", 0)])


def test_a_repeated_id_is_refused():
    with pytest.raises(CascadeError, match="appears twice"):
        build_cascade([Node(1, None, "A", 0), Node(1, None, "B", 0)])


def test_a_negative_count_is_refused():
    with pytest.raises(CascadeError, match="negative"):
        build_cascade([Node(1, None, "A", -1)])


def test_a_long_chain_needs_no_recursion():
    chain = [Node(1, None, "root", 1)] + [Node(i, i - 1, f"n{i}", 1) for i in range(2, 5001)]
    roots = build_cascade(chain)
    assert roots[0].branch_learners == 5000
    assert roots[0].descendants == 4999


@st.composite
def forests(draw):
    """Nodes 1..n, each trained by an earlier node or by nobody, in a shuffled order."""
    size = draw(st.integers(min_value=0, max_value=40))
    nodes = []
    for pk in range(1, size + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, pk - 1))) if pk > 1 else None
        nodes.append(Node(pk, parent, f"n{pk}", draw(st.integers(0, 1000))))
    return draw(st.permutations(nodes))


@given(forests())
def test_every_branch_is_its_own_learners_plus_its_childrens_branches(nodes):
    roots = build_cascade(nodes)
    seen = list(walk(roots))
    assert len(seen) == len(nodes)
    for node in seen:
        assert node.branch_learners == node.learners + sum(c.branch_learners for c in node.children)
        for child in node.children:
            assert child.depth == node.depth + 1
    assert total_learners(roots) == sum(node.learners for node in nodes)
