"""The public API, at /api/v1/network/public: the open-data export of the initiatives register
as JSON (every initiative marked public, under the Open Government Licence v3.0), for anyone,
with no token. The same records as the public pages and the download (`open_data`): no person
is named or identified, and nothing of an initiative not marked public.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from joinedup.partnership.api import Error, Id

from . import access, open_data

router = Router(tags=["network"])


class LicenceOut(Schema):
    name: str
    url: str


class PlaceOut(Schema):
    gss_code: str
    name: str


class PartnerOut(Schema):
    organisation: str
    level: str | None
    brings: list[str]
    contribution: str


class SponsorOut(Schema):
    organisation: str


class PlaceFactors(Schema):
    history: str
    geography: str
    relationships: str


class MeasureOut(Schema):
    name: str
    value: str = Field(description="A decimal number, as text.")
    unit: str
    measured_on: dt.date


class ReviewOut(Schema):
    reviewed_on: dt.date
    organisation: str
    what_worked: str
    what_did_not: str
    place_factors: PlaceFactors
    frontline_buy_in: str | None
    reporting_burden: str | None
    outcome_measures: list[MeasureOut]


class AdoptionOut(Schema):
    organisation: str
    place: PlaceOut | None
    adopted_on: dt.date
    local_changes: str
    lessons: str


class FundingOut(Schema):
    amount_gbp: str | None
    source: str


class PublicInitiative(Schema):
    id: int
    title: str
    summary: str
    problem: str
    problem_label: str
    problem_detail: str
    missions: list[str]
    levels_of_government: list[str]
    sectors: list[str]
    places: list[PlaceOut]
    owner_organisation: str
    partners: list[PartnerOut]
    sponsors: list[SponsorOut]
    started_on: dt.date | None
    ended_on: dt.date | None
    status: str
    status_label: str
    funding: FundingOut
    learning_reviews: list[ReviewOut]
    adoptions: list[AdoptionOut]


class OpenData(Schema):
    title: str
    licence: LicenceOut
    attribution: str
    generated_at: str
    initiatives: list[PublicInitiative]


@router.get(
    "/initiatives",
    auth=None,
    response={200: OpenData},
    summary="Open data: every public initiative",
)
def open_data_initiatives(request: HttpRequest) -> dict:
    """Every initiative marked public, by title, with its licence (Open Government Licence
    v3.0). No token needed."""
    return open_data.export()


@router.get(
    "/initiatives/{pk}",
    auth=None,
    response={200: PublicInitiative, 404: Error, 422: Error},
    summary="Open data: one public initiative",
)
def open_data_initiative(request: HttpRequest, pk: Id) -> dict:
    """One initiative marked public (404 for any other). No token needed."""
    found = access.get_public_initiative(pk)
    initiative = open_data.with_everything(access.public_initiatives().filter(pk=found.pk)).get()
    return open_data.record_of(initiative)
