"""Apprenticeship standards to choose from when recording a commitment (see data/SOURCES.md).

Codes and titles come from the 2021 list; the level and funding band only for the few standards
the key file has checked, as a hint, never as a rule: the band agreed with the provider is entered.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Standard:
    code: str
    title: str
    level: int | None
    funding_band: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.code})"


@functools.cache
def standards() -> dict[str, Standard]:
    """Every known standard by its reference code, in title order."""
    with (DATA / "apprenticeship_standards_key.csv").open(encoding="utf-8") as file:
        known = {row["reference_code"]: row for row in csv.DictReader(file)}
    found = []
    with (DATA / "apprenticeship_standards_codes_2021.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            key = known.get(row["reference_code"], {})
            level = key.get("level") or ""
            band = key.get("max_funding_gbp") or ""
            found.append(
                Standard(
                    code=row["reference_code"],
                    title=row["title"],
                    level=int(level) if level else None,
                    funding_band=Decimal(band) if band else None,
                )
            )
    return {standard.code: standard for standard in sorted(found, key=lambda s: s.title.lower())}
