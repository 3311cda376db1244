"""The release rule: who gets a run's unfilled places at the cut-off. Plain data in, plain data out.

Places to give are capacity minus confirmed. Only approved requests are eligible. The host's own
requests come first, earliest first. The rest go one place at a time to the partner organisation
with (1) the fewest places given in this allocation, then (2) the fewest places received in the last
365 days, then (3) the earliest waiting request, then (4) the smallest organisation id; it gets its
earliest request. A partner whose places given here plus places it already holds reach the run's
per-organisation cap gets no more (the cap does not apply to the host). Earliest means by
`requested_at` as an instant, then by request id in string order.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from joinedup.lib.contract_input import Instant


@dataclass(frozen=True)
class Run:
    """The run being released: its places and the cap on any one partner."""

    id: str
    host: str
    capacity: int
    confirmed: int
    cap_per_organisation: int | None = None

    @property
    def places(self) -> int:
        """Places left to give (never negative)."""
        return max(0, self.capacity - self.confirmed)


@dataclass(frozen=True)
class Request:
    """One person's waiting request for a place, made on behalf of their organisation."""

    id: str
    organisation: str
    requested_at: Instant
    approved: bool


@dataclass(frozen=True)
class Allocation:
    """A place given to a request."""

    request: str
    organisation: str


@dataclass(frozen=True)
class Outcome:
    """The allocations in the order given, and every other request id in input order."""

    allocated: tuple[Allocation, ...]
    waiting: tuple[str, ...]


@dataclass(order=True)
class _Partner:
    # Field order is the rule's order of preference; `queue` never takes part in comparisons.
    given: int
    received: int
    next_at: Instant
    organisation: str
    queue: deque[Request] = field(compare=False)


def _earliest_first(requests: Iterable[Request]) -> list[Request]:
    return sorted(requests, key=lambda request: (request.requested_at, request.id))


def allocate(
    run: Run,
    requests: Sequence[Request],
    *,
    received_last_365_days: Mapping[str, int] | None = None,
    held_by_organisation: Mapping[str, int] | None = None,
) -> Outcome:
    """Give the run's unfilled places to waiting requests by the release rule."""
    received = received_last_365_days or {}
    held = held_by_organisation or {}
    places = run.places
    eligible = [request for request in requests if request.approved]
    given: list[Allocation] = []

    for request in _earliest_first(r for r in eligible if r.organisation == run.host):
        if len(given) == places:
            break
        given.append(Allocation(request.id, request.organisation))

    by_partner: dict[str, list[Request]] = {}
    for request in eligible:
        if request.organisation != run.host:
            by_partner.setdefault(request.organisation, []).append(request)
    cap = run.cap_per_organisation
    heap: list[_Partner] = []
    for organisation, unsorted in by_partner.items():
        if cap is not None and held.get(organisation, 0) >= cap:
            continue
        queue = deque(_earliest_first(unsorted))
        heap.append(
            _Partner(0, received.get(organisation, 0), queue[0].requested_at, organisation, queue)
        )
    heapq.heapify(heap)
    while heap and len(given) < places:
        partner = heapq.heappop(heap)
        request = partner.queue.popleft()
        given.append(Allocation(request.id, request.organisation))
        partner.given += 1
        if not partner.queue:
            continue
        if cap is not None and partner.given + held.get(partner.organisation, 0) >= cap:
            continue
        partner.next_at = partner.queue[0].requested_at
        heapq.heappush(heap, partner)

    allocated_ids = {allocation.request for allocation in given}
    waiting = tuple(request.id for request in requests if request.id not in allocated_ids)
    return Outcome(tuple(given), waiting)
