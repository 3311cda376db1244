"""Similar programmes and near-duplicates at 50,000 programmes: `python -m bench.similarity`.

Pure (no database): times `joinedup.learning.similarity` alone, as a warm in-memory index. The
issue's benchmarks are for the request path; those come with the pages, and this one says what
the core costs inside them.

The programmes are generated from a seed: a title of 3 to 7 words and a summary of 30 to 80
words, drawn by Zipf's law from a vocabulary of learning-and-development words followed by
20,000 made-up rarer ones (so common words are in most programmes and most words are rare, as in
real text), and 1 to 3 of 60 topics. 2% are near-copies of another programme from a different
organisation (the same title, topics and summary with 3 words changed), which the report should
find.

Timed: adding every programme; the first question after a change (the index's arrays are built
then); similar items for each of 50 new plans (each a near-copy of a programme, or new words), with
the index built, median and 95th percentile; the same after changing one programme (so each
includes the rebuild, as when a plan is saved and its matches shown); and the near-duplicate
report at 0.8 over all 50,000, checked against the planted copies. Prints one JSON object with the
load average; exit status 1 when a target is missed (similar items under 200 ms, the report under
60 s).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import sys
import time

from joinedup.learning.similarity import Item, SimilarityIndex

SIMILAR_LIMIT_MS = 200.0
REPORT_LIMIT_S = 60.0
THRESHOLD = 0.8
COPY_SHARE = 0.02
PLANS = 50

COMMON_WORDS = (
    "staff team practice skills learning training development service people support care "
    "work leadership manager managers course session sessions online workshop module knowledge "
    "understanding confidence communication partners partnership organisation organisations "
    "safeguarding adults children health mental wellbeing safety risk quality improvement data "
    "digital budget finance planning project change resilience coaching mentoring induction "
    "assessment feedback reflective supervision legal duties policy policies procedures record "
    "records report reporting review audit community public residents patients families carers "
    "equality diversity inclusion trauma informed frontline officers nurses social workers "
    "volunteers apprentices leaders conversations difficult decisions evidence practical tools "
    "case studies scenarios role play blended classroom e-learning certificate level introduction "
    "advanced refresher essentials foundations masterclass"
)
COMMON = COMMON_WORDS.split()
TOPICS = [f"Topic {number}" for number in range(60)]


def vocabulary(rng: random.Random, rare: int = 20_000) -> list[str]:
    """The common words, then made-up rarer ones of 2 to 4 syllables."""
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
    made_up: set[str] = set()
    while len(made_up) < rare:
        made_up.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return COMMON + sorted(made_up)


def programmes(count: int, seed: int = 6) -> tuple[list[Item], set[tuple[str, str]]]:
    """Generated programmes, and the (original, copy) id pairs planted among them."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    zipf = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    items: list[Item] = []
    planted: set[tuple[str, str]] = set()
    for number in range(count):
        item_id = f"org{number % 40:02d}-p{number:06d}"
        if items and rng.random() < COPY_SHARE:
            original = rng.choice(items)
            summary = original.summary.split()
            for _ in range(3):
                summary[rng.randrange(len(summary))] = rng.choices(words, cum_weights=zipf)[0]
            items.append(Item(item_id, original.title, " ".join(summary), original.topics))
            planted.add(tuple(sorted((original.id, item_id))))  # type: ignore[arg-type]
            continue
        items.append(
            Item(
                item_id,
                " ".join(rng.choices(words, cum_weights=zipf, k=rng.randint(3, 7))).capitalize(),
                " ".join(rng.choices(words, cum_weights=zipf, k=rng.randint(30, 80))),
                tuple(rng.sample(TOPICS, rng.randint(1, 3))),
            )
        )
    return items, planted


def plans(items: list[Item], rng: random.Random) -> list[Item]:
    """New plans: half near-copies of a programme, half a programme's words shuffled anew."""
    made = []
    for number in range(PLANS):
        base = rng.choice(items)
        summary = base.summary.split()
        if number % 2:
            rng.shuffle(summary)
            summary = summary[: len(summary) // 2]
        made.append(Item(f"plan-{number}", base.title, " ".join(summary), base.topics))
    return made


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.similarity", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--programmes", type=int, default=50_000)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    rng = random.Random(2026)
    items, planted = programmes(args.programmes)

    started = time.perf_counter()
    index = SimilarityIndex.of(items)
    add_s = time.perf_counter() - started
    started = time.perf_counter()
    index.most_similar(items[0], k=10)
    first_ms = (time.perf_counter() - started) * 1000

    warm: list[float] = []
    found_matches = 0
    for plan in plans(items, rng):
        started = time.perf_counter()
        matches = index.most_similar(plan, k=10)
        warm.append((time.perf_counter() - started) * 1000)
        found_matches += bool(matches)

    changed: list[float] = []
    for plan in plans(items, rng):
        changing = rng.choice(items)
        started = time.perf_counter()
        index.update(Item(changing.id, changing.title, changing.summary + " refreshed"))
        index.most_similar(plan, k=10)
        changed.append((time.perf_counter() - started) * 1000)
        index.update(changing)
    index.most_similar(items[0], k=1)

    started = time.perf_counter()
    pairs = index.near_duplicates(THRESHOLD)
    report_s = time.perf_counter() - started
    reported = {(pair.first, pair.second) for pair in pairs}

    similar_median = statistics.median(warm)
    changed_median = statistics.median(changed)
    passed = max(similar_median, changed_median) < SIMILAR_LIMIT_MS and report_s < REPORT_LIMIT_S
    print(
        json.dumps(
            {
                "programmes": len(items),
                "planted_copies": len(planted),
                "add_all_s": round(add_s, 2),
                "first_question_after_adding_ms": round(first_ms, 1),
                "similar_median_ms": round(similar_median, 1),
                "similar_p95_ms": round(percentile(warm, 0.95), 1),
                "similar_after_one_change_median_ms": round(changed_median, 1),
                "similar_after_one_change_p95_ms": round(percentile(changed, 0.95), 1),
                "plans_with_matches": found_matches,
                "plans": PLANS,
                "near_duplicates_s": round(report_s, 2),
                "near_duplicate_pairs": len(pairs),
                "planted_copies_reported": len(planted & reported),
                "threshold": THRESHOLD,
                "limits": {"similar_ms": SIMILAR_LIMIT_MS, "report_s": REPORT_LIMIT_S},
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "load_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "result": "pass" if passed else "FAIL",
            }
        )
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
