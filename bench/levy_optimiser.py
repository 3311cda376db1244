"""The levy pooling optimiser at scale: `python -m bench.levy_optimiser [--variant tight]`.

The levy issue's aim: 300 organisations and 2,000 needs solved to optimality in under 10 s on the
2-core development machine. No database: the optimiser is a pure core, timed as the service and
the `joinedup levy optimise` contract call it (`optimise` with no time limit), from plain data to
the proven optimal plan and its exact figures.

Two seeded instances (`--seed`), both 300 organisations and 2,000 needs that follow the payment
rules (80% of the price in equal monthly instalments at 5 decimal places, the last making the total
exact, and 20% on completion), priority 1 to 3, any organisation's:

* `realistic` (the default), shaped like a real place: only the levy payers (large councils, NHS
  trusts, police, fire, universities: 60 of the 300) have expiring funds and allowances. A payer's
  yearly levy is log-normal around £700,000 (about £150,000 to £3 million); it spends 80% to 105%
  of each month's levy on its own apprentices (20% more or less month to month), so what it will
  lose over the next 24 months (2027-01 to 2028-12) is a small share of its levy; its remaining
  allowance is 25% to 50% of last year's funds (levy plus the 10% top-up) less 0% to 30% pledged
  already, usually more than it will lose. Needs cost £5,000 to £25,000 (one of ten funding band
  prices) over 12 to 48 months, starting in any month from 2026-10 to 2028-12.
* `tight`, the first benchmark, kept as the harder case: 150 of the 300 organisations send, each
  losing 0% to 45% of a log-normal monthly levy (about £4,000 to £250,000) every month, with an
  allowance of half a year's levy less 0% to 60% pledged: in all more expiring (£22.5 million) than
  allowance (£15.9 million), so no plan saves everything and proving the best one is hard; needs of
  £5,000 to £27,000 over 12 to 24 months. Real places are rarely like this: a payer that loses that
  much of its levy has not used the allowance it could transfer either.

`--scaling 20,40,80,160,320` times the solve with no time limit on realistic (or `--variant`)
instances scaled down to those numbers of needs, to show how the time to prove a plan optimal
grows with the size (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from decimal import Decimal

from joinedup.levy.optimiser import Need, Sender, greedy_plan, optimise

ORGANISATIONS = 300
SENDERS = {"realistic": 60, "tight": 150}
NEEDS = 2_000
LIMIT_SECONDS = 10.0
BANDS = {
    "realistic": (5_000, 6_000, 8_000, 9_000, 11_000, 12_000, 15_000, 18_000, 21_000, 25_000),
    "tight": (5_000, 8_000, 12_000, 15_000, 18_000, 21_000, 27_000),
}
DURATIONS = {"realistic": (12, 48), "tight": (12, 24)}
HORIZON = [f"{2027 + index // 12}-{index % 12 + 1:02d}" for index in range(24)]
STARTS = [f"{2026 + (index + 9) // 12}-{(index + 9) % 12 + 1:02d}" for index in range(27)]


def month_after(month: str, count: int) -> str:
    year, number = int(month[:4]), int(month[5:]) - 1 + count
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def instance(
    seed: int,
    organisations_count: int = ORGANISATIONS,
    senders_count: int | None = None,
    needs_count: int = NEEDS,
    variant: str = "realistic",
) -> tuple[list[Sender], list[Need]]:
    """The seeded partnership: senders with expiry forecasts and allowances, and needs."""
    rng = random.Random(seed)
    organisations = [f"ORG-{number:03d}" for number in range(1, organisations_count + 1)]
    chosen = rng.sample(organisations, senders_count or SENDERS[variant])
    senders = [
        realistic_sender(rng, organisation)
        if variant == "realistic"
        else tight_sender(rng, organisation)
        for organisation in chosen
    ]
    needs = []
    for number in range(1, needs_count + 1):
        price = Decimal(rng.choice(BANDS[variant]))
        duration = rng.randint(*DURATIONS[variant])
        start = rng.choice(STARTS)
        on_programme = price * Decimal("0.8")
        instalment = (on_programme / duration).quantize(Decimal("0.00001"))
        costs = {month_after(start, index): instalment for index in range(duration - 1)}
        costs[month_after(start, duration - 1)] = on_programme - instalment * (duration - 1)
        completion = month_after(start, duration)
        costs[completion] = price * Decimal("0.2")
        needs.append(
            Need(
                id=f"need-{number:04d}",
                organisation=rng.choice(organisations),
                priority=rng.randint(1, 3),
                costs=costs,
            )
        )
    return senders, needs


def realistic_sender(rng: random.Random, organisation: str) -> Sender:
    """A levy payer: its yearly levy, what it leaves unspent each month, 25-50% as allowance."""
    levy = rng.lognormvariate(13.46, 0.8) / 12
    spends = rng.uniform(0.8, 1.05)
    expiring = {}
    for month in HORIZON:
        left = levy * (1 - spends * rng.uniform(0.8, 1.2))
        if left > 0:
            expiring[month] = Decimal(f"{left:.2f}")
    share = rng.uniform(0.25, 0.5) * (1 - rng.uniform(0, 0.3))
    allowance = Decimal(f"{levy * 12 * 1.1 * share:.2f}")
    return Sender(id=organisation, allowance=allowance, expiring=expiring)


def tight_sender(rng: random.Random, organisation: str) -> Sender:
    """The first benchmark's sender: much expiring, half a year's levy as allowance."""
    levy = Decimal(f"{rng.lognormvariate(9.8, 1.0):.2f}")
    spends = rng.uniform(0.55, 1.05)
    expiring = {}
    for month in HORIZON:
        left = float(levy) * (1 - spends * rng.uniform(0.8, 1.2))
        if left > 0:
            expiring[month] = Decimal(f"{left:.2f}")
    allowance = Decimal(f"{float(levy) * 6 * (1 - rng.uniform(0, 0.6)):.2f}")
    return Sender(id=organisation, allowance=allowance, expiring=expiring)


def exact_in_child(
    seed: int, organisations: int, senders: int, needs: int, variant: str, timeout: float
) -> dict[str, object]:
    """The solve with no time limit (as the contract runs it), in a child process, cut off after
    `timeout` seconds."""
    command = [
        sys.executable,
        "-m",
        "bench.levy_optimiser",
        "--child-exact",
        *("--seed", str(seed), "--senders", str(senders), "--needs", str(needs)),
        *("--organisations", str(organisations), "--variant", variant),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"finished": False, "cut_off_after_seconds": timeout}
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return {"finished": False, "error": lines[-1]}
    result: dict[str, object] = json.loads(done.stdout)
    result["wall_seconds"] = round(time.perf_counter() - started, 2)
    return result


def scaling(sizes: list[int], variant: str, timeout: float) -> None:
    """How the exact solve's time grows: instances of the variant scaled down to each number of
    needs (senders and organisations in the full size's proportions), three seeds each, one line
    of JSON per solve."""
    share = SENDERS[variant] / NEEDS
    for needs in sizes:
        senders = max(2, round(needs * share))
        organisations = max(senders + 5, round(needs * ORGANISATIONS / NEEDS))
        for seed in (1, 2, 3):
            result = exact_in_child(seed, organisations, senders, needs, variant, timeout)
            line = {"needs": needs, "senders": senders, "organisations": organisations}
            print(json.dumps({**line, "seed": seed, **result}), flush=True)


def sizes_list(text: str) -> list[int]:
    """--scaling's numbers of needs, each a whole number of at least 1."""
    try:
        sizes = [int(size) for size in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give whole numbers of needs, e.g. 20,40,80")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--organisations", type=int, default=ORGANISATIONS)
    parser.add_argument("--variant", choices=sorted(SENDERS), default="realistic")
    parser.add_argument("--senders", type=int, default=0, help="0: the variant's own count")
    parser.add_argument("--needs", type=int, default=NEEDS)
    parser.add_argument("--time-limit", type=float, default=LIMIT_SECONDS)
    parser.add_argument(
        "--exact-timeout",
        type=float,
        default=0,
        help="Also run the solve with no time limit, cut off after this many seconds (0: skip).",
    )
    parser.add_argument(
        "--scaling",
        type=sizes_list,
        default=[],
        help=(
            "Comma-separated numbers of needs: time the solve with no time limit on smaller "
            "instances, each cut off after --exact-timeout seconds (60 if 0), and stop there."
        ),
    )
    parser.add_argument("--child-exact", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scaling:
        scaling(args.scaling, args.variant, args.exact_timeout or 60.0)
        return
    senders, needs = instance(args.seed, args.organisations, args.senders, args.needs, args.variant)
    if args.child_exact:
        started = time.perf_counter()
        outcome = optimise(senders, needs)
        print(
            json.dumps(
                {
                    "finished": True,
                    "seconds": round(time.perf_counter() - started, 2),
                    "status": outcome.status,
                    "expiry_avoided": str(outcome.plan.expiry_avoided),
                    "priority_funded": outcome.plan.priority_funded,
                }
            )
        )
        return
    started = time.perf_counter()
    greedy = greedy_plan(senders, needs)
    greedy_seconds = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = optimise(senders, needs, time_limit=args.time_limit)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    report = {
        "variant": args.variant,
        "organisations": args.organisations,
        "senders": len(senders),
        "needs": len(needs),
        "total_expiring": str(sum(sum(sender.expiring.values()) for sender in senders)),
        "total_allowance": str(sum(sender.allowance for sender in senders)),
        "total_cost": str(sum(need.cost for need in needs)),
        "time_limit": args.time_limit,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "status": outcome.status,
        "proven_optimal_within_limit": outcome.status == "optimal" and seconds < LIMIT_SECONDS,
        "expiry_avoided": str(outcome.plan.expiry_avoided),
        "avoided_bound": str(outcome.avoided_bound),
        "gap": str(outcome.gap),
        "priority_funded": outcome.plan.priority_funded,
        "funded": len(outcome.plan.transfers),
        "greedy_expiry_avoided": str(greedy.expiry_avoided),
        "greedy_priority_funded": greedy.priority_funded,
        "greedy_seconds": round(greedy_seconds, 2),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "load_average": os.getloadavg()[0],
    }
    if args.exact_timeout:
        report["exact"] = exact_in_child(
            args.seed,
            args.organisations,
            args.senders,
            args.needs,
            args.variant,
            args.exact_timeout,
        )
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
