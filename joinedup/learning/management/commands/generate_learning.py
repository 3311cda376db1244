"""`joinedup generate_learning`: synthetic programmes and runs at scale, for benchmarks only.

Run `joinedup generate` first: the programmes are hosted by its benchmark partnership's
organisations and booked by their people.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.learning.generate import generate_learning
from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused


class Command(BaseCommand):
    help = "Add N programmes and M runs (with sessions and bookings) to a benchmark partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programmes", type=int, required=True, help="How many programmes to add."
        )
        parser.add_argument("--runs", type=int, required=True, help="How many runs of them to add.")
        parser.add_argument("--partnership", default=SCALE_PARTNERSHIP, help="Partnership name.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random draw.")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            result = generate_learning(
                programmes=options["programmes"],
                runs=options["runs"],
                partnership_name=options["partnership"],
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
        except GenerateRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Added {result.programmes:,} programmes, {result.runs:,} runs, "
            f"{result.sessions:,} sessions and {result.bookings:,} bookings "
            f"in {time.perf_counter() - started:.1f} s."
        )
