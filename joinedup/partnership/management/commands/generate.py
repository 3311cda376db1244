"""`joinedup generate`: synthetic people and learning at scale, for benchmarks only."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.learning.generate import generate_learning
from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused, generate


class Command(BaseCommand):
    help = (
        "Add N synthetic people in M new fictional organisations of a benchmark partnership, "
        "and/or programmes and runs hosted by its organisations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, help="How many people to add.")
        parser.add_argument("--organisations", type=int, help="How many organisations to add.")
        parser.add_argument(
            "--largest", type=int, help="Current staff of the first organisation (e.g. 50000)."
        )
        parser.add_argument(
            "--programmes", type=int, help="How many learning programmes to add (e.g. 50000)."
        )
        parser.add_argument(
            "--runs", type=int, help="How many runs of them to add, with sessions and bookings."
        )
        parser.add_argument("--partnership", default=SCALE_PARTNERSHIP, help="Partnership name.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random draw.")

    def handle(self, *args, **options) -> None:
        people, programmes = options["people"], options["programmes"]
        if people is None and programmes is None:
            raise CommandError("Give --people and --organisations, or --programmes and --runs.")
        if people is not None and options["organisations"] is None:
            raise CommandError("--people needs --organisations.")
        if programmes is not None and options["runs"] is None:
            raise CommandError("--programmes needs --runs.")
        try:
            if people is not None:
                self._people(options)
            if programmes is not None:
                self._learning(options)
        except GenerateRefused as refusal:
            raise CommandError(str(refusal)) from refusal

    def _people(self, options: dict) -> None:
        started = time.perf_counter()
        result = generate(
            people=options["people"],
            organisations=options["organisations"],
            largest=options["largest"],
            partnership_name=options["partnership"],
            seed=options["seed"],
            progress=options["verbosity"] > 0,
        )
        self.stdout.write(
            f"Added {result.people:,} people and {result.employments:,} employments in "
            f'{len(result.organisations):,} organisations of "{result.partnership.name}" '
            f"in {time.perf_counter() - started:.1f} s."
        )

    def _learning(self, options: dict) -> None:
        started = time.perf_counter()
        result = generate_learning(
            programmes=options["programmes"],
            runs=options["runs"],
            partnership_name=options["partnership"],
            seed=options["seed"],
            progress=options["verbosity"] > 0,
        )
        self.stdout.write(
            f"Added {result.programmes:,} programmes, {result.runs:,} runs, "
            f"{result.sessions:,} sessions and {result.bookings:,} bookings "
            f"in {time.perf_counter() - started:.1f} s."
        )
