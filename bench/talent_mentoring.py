"""The mentoring assignment at scale: `python -m bench.talent_mentoring`.

The talent issue's aim: 5,000 mentees and 5,000 mentors assigned in under 10 s on the 2-core
development machine. No database: the assignment is a pure core (`joinedup.talent.mentoring`),
timed as the lead's "run matching" calls it, from plain sign-ups to the pairs with their fit and
reasons. The seeded instance (`--seed`): 200 organisations in 8 sectors; a vocabulary of 300
skills; each mentor has 3 to 10 skills and a capacity of 1 to 3; each mentee has 2 to 8 skills
and wants 1 to 4; about a fifth of people do not ask for another sector. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time

from joinedup.talent.mentoring import Mentee, Mentor, assign

LIMIT_SECONDS = 10.0
SECTORS = (
    "Local government",
    "Health",
    "Blue light",
    "Voluntary sector",
    "Education",
    "Housing",
    "Central government",
    "Private sector",
)


def instance(
    seed: int,
    mentees: int = 5_000,
    mentors: int = 5_000,
    organisations: int = 200,
    skills: int = 300,
) -> tuple[list[Mentee], list[Mentor]]:
    """The seeded sign-ups."""
    rng = random.Random(seed)
    sector_of = [rng.choice(SECTORS) for _ in range(organisations)]
    vocabulary = range(skills)

    def some(low: int, high: int) -> frozenset[int]:
        return frozenset(rng.sample(vocabulary, rng.randint(low, high)))

    found_mentees = []
    for number in range(mentees):
        organisation = rng.randrange(organisations)
        found_mentees.append(
            Mentee(
                number,
                organisation,
                sector_of[organisation],
                some(2, 8),
                some(1, 4),
                rng.random() < 0.8,
            )
        )
    found_mentors = []
    for number in range(mentors):
        organisation = rng.randrange(organisations)
        found_mentors.append(
            Mentor(
                mentees + number,
                organisation,
                sector_of[organisation],
                some(3, 10),
                rng.randint(1, 3),
                rng.random() < 0.8,
            )
        )
    return found_mentees, found_mentors


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--mentees", type=int, default=5_000)
    parser.add_argument("--mentors", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    mentees, mentors = instance(args.seed, args.mentees, args.mentors)
    timings = []
    for _ in range(args.rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = assign(mentees, mentors)
        timings.append((time.perf_counter() - started, time.process_time() - cpu_started))
    organisation = {m.id: m.organisation for m in (*mentees, *mentors)}
    worst = max(seconds for seconds, _ in timings)
    report = {
        "mentees": len(mentees),
        "mentors": len(mentors),
        "places": sum(m.capacity for m in mentors),
        "pairs": len(result.pairs),
        "unmatched": len(result.unmatched),
        "same_organisation_pairs": sum(
            organisation[p.mentee] == organisation[p.mentor] for p in result.pairs
        ),
        "total_fit": result.total_fit,
        "seconds": [round(seconds, 2) for seconds, _ in timings],
        "cpu_seconds": [round(cpu, 2) for _, cpu in timings],
        "limit_seconds": LIMIT_SECONDS,
        "passes": worst < LIMIT_SECONDS,
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
