"""`joinedup generate`: synthetic people at scale for benchmarks (never in production)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused, generate


class Command(BaseCommand):
    help = "Add N synthetic people in M new fictional organisations of a benchmark partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="How many people to add.")
        parser.add_argument(
            "--organisations", type=int, required=True, help="How many organisations to add."
        )
        parser.add_argument(
            "--largest", type=int, help="Current staff of the first organisation (e.g. 50000)."
        )
        parser.add_argument("--partnership", default=SCALE_PARTNERSHIP, help="Partnership name.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random draw.")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            result = generate(
                people=options["people"],
                organisations=options["organisations"],
                largest=options["largest"],
                partnership_name=options["partnership"],
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
        except GenerateRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Added {result.people:,} people and {result.employments:,} employments in "
            f'{len(result.organisations):,} organisations of "{result.partnership.name}" '
            f"in {time.perf_counter() - started:.1f} s."
        )
