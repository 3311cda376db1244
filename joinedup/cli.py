"""The `joinedup` console command: Django's manage.py, plus the pure contract subcommands.

The contract subcommands (`joinedup learning allocate`, `joinedup levy ...`,
`joinedup talent match`)
need no settings or database: they read JSON from --input and print JSON, and every failure is one
line on standard error with exit status 2. Later issues register them in CONTRACTS.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

# (group, name) -> "module:function"; each function takes argv after the subcommand and returns
# the exit status.
CONTRACTS: dict[tuple[str, str], str] = {
    ("learning", "allocate"): "joinedup.learning.allocation_contract:main",
    ("levy", "expiry"): "joinedup.levy.expiry_contract:main",
    ("levy", "funds-in"): "joinedup.levy.funds_in_contract:main",
    ("levy", "optimise"): "joinedup.levy.optimiser_contract:main",
    ("talent", "match"): "joinedup.talent.matching_contract:main",
}


def run_contract(target: str, argv: list[str]) -> int:
    import importlib

    module_name, _, function_name = target.partition(":")
    try:
        function: Callable[[list[str]], int] = getattr(
            importlib.import_module(module_name), function_name
        )
        return function(argv)
    except Exception as error:  # a contract fails with one line and status 2, never a traceback
        print(" ".join(f"joinedup: internal error: {error!r}".splitlines()), file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) >= 3 and (argv[1], argv[2]) in CONTRACTS:
        return run_contract(CONTRACTS[(argv[1], argv[2])], argv[3:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
