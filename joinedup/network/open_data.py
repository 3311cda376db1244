"""The public register: initiatives marked public, as their public summary pages, the open-data
export (CSV and JSON, Open Government Licence v3.0) and the public API show them.

Everything here starts from `access.public_initiatives()` and is built field by field from an
allow-list, so nothing else leaves: no person is named or identified (sponsors and partners appear
as organisations only; reviews without their authors; adoptions without who recorded them), and
nothing of an initiative not marked public. The same for everyone, signed in or not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from joinedup.lib.spreadsheet_cells import neutralise

from . import access, places
from .models import (
    Adoption,
    Initiative,
    InitiativePartner,
    InitiativeSponsor,
    InitiativeStatus,
    LearningReview,
    Problem,
)

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
PAGE_SIZE = 25
ORDER = ("title", "id")
BRINGS = ("money", "staff", "data", "legitimacy", "expertise")
CSV_HEADER = [
    "id",
    "title",
    "summary",
    "problem",
    "problem_detail",
    "missions",
    "levels_of_government",
    "sectors",
    "place_codes",
    "places",
    "owner_organisation",
    "partner_organisations",
    "sponsor_organisations",
    "started_on",
    "ended_on",
    "status",
    "funding_amount_gbp",
    "funding_source",
    "learning_reviews",
    "adopted_by",
    "page",
]


@dataclass(frozen=True)
class PublicFilters:
    """What the public list is narrowed to; empty values do not filter."""

    problem: str = ""
    status: str = ""
    place: str = ""


def public_search(filters: PublicFilters) -> QuerySet[Initiative]:
    """Public initiatives matching every filter (the place by GSS code or name), by title."""
    found = access.public_initiatives()
    if filters.problem in Problem.values:
        found = found.filter(problem=filters.problem)
    if filters.status in InitiativeStatus.values:
        found = found.filter(status=filters.status)
    if filters.place.strip():
        codes = [place.gss_code for place in places.search(filters.place)]
        found = found.filter(places__gss_code__in=codes).distinct()
    return found.select_related("owner_organisation").order_by(*ORDER)


def with_everything(found: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """The initiatives with every list the public record shows, in a fixed number of queries."""
    return found.select_related("owner_organisation").prefetch_related(
        "missions",
        "levels",
        "sectors",
        "places",
        Prefetch("partners", queryset=InitiativePartner.objects.select_related("organisation")),
        Prefetch("sponsors", queryset=InitiativeSponsor.objects.select_related("organisation")),
        Prefetch(
            "reviews",
            queryset=LearningReview.objects.select_related("organisation").prefetch_related(
                "measures"
            ),
        ),
        Prefetch("adoptions", queryset=Adoption.objects.select_related("organisation")),
    )


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _review(review: LearningReview) -> dict[str, Any]:
    return {
        "reviewed_on": review.reviewed_on.isoformat(),
        "organisation": review.organisation.name,
        "what_worked": review.what_worked,
        "what_did_not": review.what_did_not,
        "place_factors": {
            "history": review.place_history,
            "geography": review.place_geography,
            "relationships": review.place_relationships,
        },
        "frontline_buy_in": review.frontline_buy_in or None,
        "reporting_burden": review.reporting_burden or None,
        "outcome_measures": [
            {
                "name": measure.name,
                "value": f"{measure.value.normalize():f}",
                "unit": measure.unit,
                "measured_on": measure.measured_on.isoformat(),
            }
            for measure in review.measures.all()
        ],
    }


def _adoption(adoption: Adoption) -> dict[str, Any]:
    return {
        "organisation": adoption.organisation.name,
        "place": (
            {"gss_code": adoption.gss_code, "name": adoption.place_name}
            if adoption.gss_code
            else None
        ),
        "adopted_on": adoption.adopted_on.isoformat(),
        "local_changes": adoption.local_changes,
        "lessons": adoption.lessons,
    }


def record_of(initiative: Initiative) -> dict[str, Any]:
    """One public initiative as open data (its lists prefetched by `with_everything`)."""
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "summary": initiative.summary,
        "problem": initiative.problem,
        "problem_label": initiative.get_problem_display(),
        "problem_detail": initiative.problem_detail,
        "missions": sorted(mission.name for mission in initiative.missions.all()),
        "levels_of_government": sorted(row.level for row in initiative.levels.all()),
        "sectors": sorted(row.sector for row in initiative.sectors.all()),
        "places": [
            {"gss_code": place.gss_code, "name": place.name} for place in initiative.places.all()
        ],
        "owner_organisation": initiative.owner_organisation.name,
        "partners": [
            {
                "organisation": partner.display_name,
                "level": partner.level or None,
                "brings": [name for name in BRINGS if getattr(partner, f"brings_{name}")],
                "contribution": partner.contribution,
            }
            for partner in initiative.partners.all()
        ],
        "sponsors": [
            {"organisation": sponsor.display_name} for sponsor in initiative.sponsors.all()
        ],
        "started_on": initiative.started_on.isoformat() if initiative.started_on else None,
        "ended_on": initiative.ended_on.isoformat() if initiative.ended_on else None,
        "status": initiative.status,
        "status_label": initiative.get_status_display(),
        "funding": {
            "amount_gbp": _amount(initiative.funding_amount),
            "source": initiative.funding_source,
        },
        "learning_reviews": [_review(review) for review in initiative.reviews.all()],
        "adoptions": [_adoption(adoption) for adoption in initiative.adoptions.all()],
    }


def export(found: Iterable[Initiative] | None = None) -> dict[str, Any]:
    """The open-data export as JSON: the licence, when it was made, every public initiative."""
    rows = with_everything(access.public_initiatives().order_by(*ORDER)) if found is None else found
    return {
        "title": "Initiatives register: public initiatives",
        "licence": LICENCE,
        "attribution": "Contains public sector information licensed under the Open Government "
        "Licence v3.0.",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "initiatives": [record_of(initiative) for initiative in rows],
    }


def _joined(values: Iterable[str]) -> str:
    return "; ".join(values)


def csv_text(page_address: Callable[[int], str]) -> str:
    """The open-data export as CSV: the header, then one row per public initiative (lists
    joined with "; ", the public page's address last), every cell neutralised against formula
    injection. Its licence is stated in the response's Link header and in docs/NETWORK.md."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for record in export()["initiatives"]:
        row = [
            record["id"],
            record["title"],
            record["summary"],
            record["problem_label"],
            record["problem_detail"],
            _joined(record["missions"]),
            _joined(record["levels_of_government"]),
            _joined(record["sectors"]),
            _joined(place["gss_code"] for place in record["places"]),
            _joined(place["name"] for place in record["places"]),
            record["owner_organisation"],
            _joined(partner["organisation"] for partner in record["partners"]),
            _joined(sponsor["organisation"] for sponsor in record["sponsors"]),
            record["started_on"] or "",
            record["ended_on"] or "",
            record["status_label"],
            record["funding"]["amount_gbp"] or "",
            record["funding"]["source"],
            len(record["learning_reviews"]),
            _joined(adoption["organisation"] for adoption in record["adoptions"]),
            page_address(record["id"]),
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
