"""The train-the-trainer cascade: who trained whom, and how many learners each branch reached.

A plain module (no Django): fed one `Node` per accreditation (its id, the id of the accreditation
of the trainer who trained them, a label and the learners they reached directly), it returns the
tree with, for each node, the learners its branch reached (its own and every descendant's), its
depth (0 for a first-generation trainer) and generation (1 for the first). Bad input (a repeated
id, a parent that is not among the nodes, a cycle, a negative count) raises `CascadeError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class CascadeError(ValueError):
    """The nodes do not form a forest: the message says which node and why."""


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    label: str
    learners: int  # reached directly, through the runs this trainer delivered


@dataclass
class CascadeNode:
    id: int
    parent_id: int | None
    label: str
    learners: int
    branch_learners: int = 0  # own learners and every descendant's
    depth: int = 0
    children: list[CascadeNode] = field(default_factory=list)
    descendants: int = 0  # trainers trained down this branch, not counting this one

    @property
    def generation(self) -> int:
        return self.depth + 1


def _checked(nodes: Iterable[Node]) -> dict[int, CascadeNode]:
    built: dict[int, CascadeNode] = {}
    for node in nodes:
        if node.id in built:
            raise CascadeError(f"Accreditation {node.id} appears twice")
        if node.learners < 0:
            raise CascadeError(f"Accreditation {node.id} has a negative number of learners")
        if node.parent_id == node.id:
            raise CascadeError(f"Accreditation {node.id} is its own trainer")
        built[node.id] = CascadeNode(node.id, node.parent_id, node.label, node.learners)
    for item in built.values():
        if item.parent_id is not None and item.parent_id not in built:
            raise CascadeError(
                f"Accreditation {item.id} was trained by {item.parent_id}, which is missing"
            )
    return built


def build_cascade(nodes: Iterable[Node]) -> list[CascadeNode]:
    """The first-generation nodes (roots) in the order given, each with its branch below it."""
    built = _checked(nodes)
    roots: list[CascadeNode] = []
    for item in built.values():
        if item.parent_id is None:
            roots.append(item)
        else:
            built[item.parent_id].children.append(item)
    # Walked without recursion, so a long chain of trainers never reaches Python's limit.
    order: list[CascadeNode] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        item, depth = stack.pop()
        item.depth = depth
        order.append(item)
        stack.extend((child, depth + 1) for child in reversed(item.children))
    if len(order) != len(built):
        reached = {item.id for item in order}
        stuck = min(pk for pk in built if pk not in reached)
        raise CascadeError(f"Accreditation {stuck} is in a cycle: its trainers lead back to it")
    for item in reversed(order):
        item.branch_learners = item.learners + sum(c.branch_learners for c in item.children)
        item.descendants = sum(1 + c.descendants for c in item.children)
    return roots


def walk(roots: Iterable[CascadeNode]) -> Iterator[CascadeNode]:
    """Every node, each before its children (the order of a nested list)."""
    stack = list(reversed(list(roots)))
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.children))


def total_learners(roots: Iterable[CascadeNode]) -> int:
    """The learners the whole cascade reached."""
    return sum(root.branch_learners for root in roots)
