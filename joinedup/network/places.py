"""English local authorities by GSS code, from `data/local_authorities_england.csv` (mySociety,
see `data/SOURCES.md`): the places an initiative works in. Read once per process."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError

DATA = Path(__file__).parent / "data" / "local_authorities_england.csv"


@dataclass(frozen=True)
class Place:
    gss_code: str
    name: str
    official_name: str
    kind: str
    region: str


@lru_cache(maxsize=1)
def _places() -> dict[str, Place]:
    with DATA.open(encoding="utf-8", newline="") as file:
        return {
            row["gss_code"]: Place(
                gss_code=row["gss_code"],
                name=row["name"],
                official_name=row["official_name"],
                kind=row["la_type_name"],
                region=row["region_name"],
            )
            for row in csv.DictReader(file)
        }


def all_places() -> list[Place]:
    """Every local authority, by name."""
    return sorted(_places().values(), key=lambda place: place.name)


def place_for(code: str) -> Place | None:
    """The local authority with this GSS code (any case, spaces ignored), if there is one."""
    return _places().get(code.strip().upper())


def search(text: str) -> list[Place]:
    """Local authorities whose code is the text, or whose name or official name contains it."""
    wanted = text.strip().casefold()
    if not wanted:
        return []
    exact = place_for(text)
    found = [
        place
        for place in all_places()
        if wanted in place.name.casefold() or wanted in place.official_name.casefold()
    ]
    return [exact, *(p for p in found if p != exact)] if exact else found


def validate_codes(codes: list[str], *, field: str = "places") -> list[Place]:
    """The places for these GSS codes, without repeats; an unknown code is refused by name."""
    found: dict[str, Place] = {}
    unknown = []
    for code in codes:
        if not code.strip():
            continue
        place = place_for(code)
        if place is None:
            unknown.append(code.strip())
        else:
            found[place.gss_code] = place
    if unknown:
        raise ValidationError(
            {field: f"Not the code of an English local authority: {', '.join(unknown)}"}
        )
    return list(found.values())
