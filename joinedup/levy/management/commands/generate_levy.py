"""`joinedup generate_levy`: synthetic levy accounts and ledgers at scale, for benchmarks only.

Run `joinedup generate` first: the employers are its benchmark partnership's organisations.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.levy.generate import generate_levy
from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused


class Command(BaseCommand):
    help = (
        "Give N organisations of a benchmark partnership levy accounts, declarations and ledgers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employers", type=int, required=True, help="How many employers.")
        parser.add_argument("--years", type=int, default=10, help="Tax years of declarations.")
        parser.add_argument(
            "--commitments", type=int, required=True, help="How many apprenticeships to add."
        )
        parser.add_argument("--partnership", default=SCALE_PARTNERSHIP, help="Partnership name.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random draw.")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            result = generate_levy(
                employers=options["employers"],
                years=options["years"],
                commitments=options["commitments"],
                partnership_name=options["partnership"],
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
        except GenerateRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Added {result.accounts:,} levy accounts, {result.schemes:,} PAYE schemes, "
            f"{result.declarations:,} declarations, {result.commitments:,} commitments and "
            f"{result.entries:,} ledger entries in {time.perf_counter() - started:.1f} s."
        )
