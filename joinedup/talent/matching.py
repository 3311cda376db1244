"""Stable matching of applicants to posts with capacities (plain Python, no Django).

Applicant-proposing deferred acceptance (Gale and Shapley, 1962; with capacities as in Roth's
"college admissions" form): every free applicant proposes to the next post on their list; a post
holds its best proposals up to its capacity and rejects the rest; rejected applicants go on down
their lists. A pair is acceptable only when each lists the other. The result is the
applicant-optimal stable matching, which is unique, so the output is fully determined.

Each applicant proposes to each post at most once, so the work is O(total preference length x
log capacity).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence


def stable_matching(
    applicants: Mapping[str, Sequence[str]],
    posts: Mapping[str, Sequence[str]],
    capacities: Mapping[str, int],
) -> dict[str, str | None]:
    """Each applicant's post (or None), in the applicants' order.

    `applicants` maps an applicant id to the post ids they rank, best first; `posts` maps a post
    id to the applicant ids it ranks, best first; `capacities` gives each post's places (0 or
    more). Ids must be known and unrepeated in each list (the caller checks input).
    """
    rank_of = {
        post: {applicant: rank for rank, applicant in enumerate(ranked)}
        for post, ranked in posts.items()
    }
    # Each post's held applicants as a heap of (-rank, applicant): the worst held is on top.
    held: dict[str, list[tuple[int, str]]] = {post: [] for post in posts}
    next_choice = dict.fromkeys(applicants, 0)
    free = list(reversed(list(applicants)))
    while free:
        applicant = free.pop()
        choices = applicants[applicant]
        while next_choice[applicant] < len(choices):
            post = choices[next_choice[applicant]]
            next_choice[applicant] += 1
            rank = rank_of[post].get(applicant)
            capacity = capacities[post]
            if rank is None or capacity == 0:
                continue
            heap = held[post]
            if len(heap) < capacity:
                heapq.heappush(heap, (-rank, applicant))
                break
            if -heap[0][0] > rank:
                _, rejected = heapq.heapreplace(heap, (-rank, applicant))
                free.append(rejected)
                break
    matching: dict[str, str | None] = dict.fromkeys(applicants)
    for post, heap in held.items():
        for _, applicant in heap:
            matching[applicant] = post
    return matching


def blocking_pairs(
    applicants: Mapping[str, Sequence[str]],
    posts: Mapping[str, Sequence[str]],
    capacities: Mapping[str, int],
    matching: Mapping[str, str | None],
) -> list[tuple[str, str]]:
    """The acceptable (applicant, post) pairs that would both rather be together: empty when
    `matching` is stable. Used by tests and by the service as a check."""
    rank_of = {
        post: {applicant: rank for rank, applicant in enumerate(ranked)}
        for post, ranked in posts.items()
    }
    members: dict[str, list[str]] = {post: [] for post in posts}
    for applicant, post in matching.items():
        if post is not None:
            members[post].append(applicant)
    pairs = []
    for applicant, choices in applicants.items():
        current = matching.get(applicant)
        for post in choices:
            if post == current:
                break
            rank = rank_of[post].get(applicant)
            if rank is None or capacities[post] == 0:
                continue
            held = members[post]
            if len(held) < capacities[post] or any(rank_of[post][other] > rank for other in held):
                pairs.append((applicant, post))
    return pairs
