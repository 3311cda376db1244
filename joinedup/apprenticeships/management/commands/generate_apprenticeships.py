"""`joinedup generate_apprenticeships`: synthetic apprenticeships at scale, for benchmarks only.

Run `joinedup generate` first: the employers are its benchmark partnership's organisations.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.apprenticeships.generate import LARGEST_SHARE, generate_apprenticeships
from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused


class Command(BaseCommand):
    help = "Add a university's programmes, cohorts and N enrolments to a benchmark partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enrolments", type=int, required=True, help="How many enrolments to add."
        )
        parser.add_argument(
            "--largest-share",
            type=float,
            default=LARGEST_SHARE,
            help="The largest employer's share of the enrolments (0 to 1).",
        )
        parser.add_argument("--partnership", default=SCALE_PARTNERSHIP, help="Partnership name.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random draw.")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            result = generate_apprenticeships(
                enrolments=options["enrolments"],
                largest_share=options["largest_share"],
                partnership_name=options["partnership"],
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
        except GenerateRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Added {result.provider.name} with {result.programmes} programmes, "
            f"{result.cohorts:,} cohorts, {result.enrolments:,} enrolments, "
            f"{result.status_changes:,} status changes, {result.statements:,} commitment "
            f"statement versions and {result.signatures:,} signatures in "
            f"{time.perf_counter() - started:.1f} s. The programme leader: {result.leader.email}."
        )
