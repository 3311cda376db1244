"""API operations for the shared materials library: list, search, detail, versions and their
files, the family tree, and reuse.

Everything is fetched through `materials.access`, so the API shows what the pages show, and the
one write ("we used this") goes through `materials.services`. Lists use cursor pagination like the
rest of /api/v1/; search results come in numbered pages, best match first, as on the library page.

Callers authenticate as everywhere in /api/v1/ (anonymous callers get 401: openly published
materials are read without signing in on the public pages at /materials/open/). Organisation
tokens read what their organisation's staff read, and see who reused their organisation's
materials; they never act as a person, so recording a reuse (by an L&D lead or programme leader,
who is recorded as its author) needs a personal token and refuses them with 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.learning import access as learning_access
from joinedup.learning.models import Run
from joinedup.lib.uploads import attachment_response
from joinedup.partnership.actor import Actor
from joinedup.partnership.api import (
    NOT_A_PERSON,
    Error,
    Id,
    OrganisationRef,
    Pagination,
    page_of,
    storable,
)

from . import access, licences, queries, search, services
from .models import Licence, Material, MaterialAuthor, MaterialKind, MaterialVersion, Reuse

router = Router(tags=["materials"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
MATERIAL_ORDER = ("title", "id")
VERSION_ORDER = ("-number", "-id")
LINK_SCHEMES = ("http://", "https://")
NOT_A_READER_OF_REUSERS = (
    "Only the owner organisation and the leads of its partnerships see who reused a material"
)
RUN_NOT_SEEN = "run (body): choose a run your organisation can see"
# What a reuse may hold, as stored; the services check the sensible ranges within it.
_CONTEXT = Reuse._meta.get_field("context")
_HOURS = Reuse._meta.get_field("hours_saved")
_COST = Reuse._meta.get_field("cost_saved")


# --- Schemas ------------------------------------------------------------------------------------


class LicenceOut(Schema):
    code: Licence
    label: str
    is_open: bool = Field(description="Anyone may read and share it (once published openly).")
    url: str | None = Field(description="The licence text, for an open licence.")


class TopicOut(Schema):
    id: int
    name: str


class VersionOut(Schema):
    id: int
    number: int
    change_note: str
    is_link: bool
    external_url: str = Field(description="The link, for a link version; empty for a file.")
    file_name: str = Field(description="The file's name, for a file version; empty for a link.")
    content_type: str
    size_bytes: int
    sha256: str
    extraction_status: str = Field(description="Whether the text inside the file was read.")
    created_at: dt.datetime
    download: str = Field(description="Where to fetch the file (or be sent to the link).")


class MaterialOut(Schema):
    id: int
    title: str
    summary: str
    kind: MaterialKind
    licence: LicenceOut
    owner: OrganisationRef
    topics: list[TopicOut]
    current_version: VersionOut | None
    adapted_from_version: int | None = Field(description="The id of the version it came from.")
    published_openly: bool
    hidden: bool = Field(description="Hidden after a report; only its keepers still see it.")
    created_at: dt.datetime
    updated_at: dt.datetime


class AuthorOut(Schema):
    given_name: str
    family_name: str


class ProgrammeRef(Schema):
    id: int
    title: str


class SourceOut(Schema):
    material: int | None = Field(description="The source material's id; null if not visible.")
    title: str
    owner: OrganisationRef
    version_number: int


class AllowedOut(Schema):
    edit: bool
    adapt: bool
    record_reuse: bool
    report: bool
    hide: bool
    publish_openly: bool


class MaterialDetail(MaterialOut):
    authors: list[AuthorOut] = Field(
        description="Credited authors: all for the owner's staff, else those who chose to show."
    )
    organisation_credited: bool = Field(
        description="The owner organisation is credited for authors not named."
    )
    programmes: list[ProgrammeRef] = Field(description="Linked programmes the caller can see.")
    adapted_from: SourceOut | None
    hidden_reason: str | None = Field(description="For those who may hide or show it again.")
    allowed: AllowedOut = Field(description="What the caller may do with it.")


class MaterialPage(Schema):
    items: list[MaterialOut]
    next: str | None


class VersionPage(Schema):
    items: list[VersionOut]
    next: str | None


class MaterialFilters(Schema):
    kind: MaterialKind | None = None
    licence: Licence | None = None
    owner: Id | None = Field(None, description="The owner organisation's id.")
    topic: Id | None = Field(None, description="A topic's id.")


class SearchFilters(MaterialFilters):
    q: str = Field(
        "",
        max_length=1000,
        description="Words to find in titles, summaries, topics and the text inside files: "
        '"a phrase", `or` between alternatives, -word to leave out. Only the first '
        f"{search.MAX_QUERY_CHARS} characters count.",
    )
    page: int = Field(1, ge=1, le=search.MAX_PAGES, description="The page number, from 1.")


class PieceOut(Schema):
    text: str
    marked: bool = Field(description="A word the search matched.")


class HitOut(Schema):
    material: MaterialOut
    rank: float = Field(
        description=(
            "Higher is a better match among the materials holding the whole search in their "
            "title, summary, topics or opening, which come first, and among the rest; 0 "
            "without words to search for."
        )
    )
    snippet: list[PieceOut] = Field(description="Where the words matched, or the summary.")


class SearchPage(Schema):
    items: list[HitOut]
    page: int
    next_page: int | None
    capped: bool = Field(
        description=f"More matches follow page {search.MAX_PAGES}: narrow the search."
    )


class LineageNode(Schema):
    material: int | None = Field(description="Its id; null when the caller may not open it.")
    title: str
    owner: OrganisationRef
    adapted_from_version_number: int | None = Field(
        description="The number of its parent's version it was adapted from."
    )
    is_this: bool
    is_original_of_this: bool
    credited_authors: list[AuthorOut] = Field(description="Authors who chose to show their name.")
    children: list[LineageNode]


class ReuseTotalsOut(Schema):
    reuses: int
    organisations: int
    learners: int
    hours_saved: Decimal
    cost_saved: Decimal = Field(description="Pounds, to the penny.")


class OrganisationReuseOut(Schema):
    organisation: OrganisationRef
    reuses: int
    learners: int
    hours_saved: Decimal
    cost_saved: Decimal = Field(description="Pounds, to the penny.")


class ReuseSummary(Schema):
    totals: ReuseTotalsOut
    by_organisation: list[OrganisationReuseOut] | None = Field(
        description="Per reusing organisation, biggest saving first: for the owner organisation "
        "and the leads of its partnerships only; null for others."
    )


class ReuseIn(Schema):
    used_on: dt.date = Field(description="When you used it: today or earlier, from 2000.")
    run: Id | None = Field(None, description="The run you used it on (one you can see).")
    context: str = Field(
        "", max_length=_CONTEXT.max_length, description="What you used it for, if not on a run."
    )
    learners_reached: int = Field(0, ge=0, le=2**31 - 1)
    hours_saved: Decimal = Field(
        Decimal("0"), ge=0, max_digits=_HOURS.max_digits, decimal_places=_HOURS.decimal_places
    )
    cost_saved: Decimal = Field(
        Decimal("0"),
        ge=0,
        max_digits=_COST.max_digits,
        decimal_places=_COST.decimal_places,
        description="Pounds, to the penny.",
    )

    _context_storable = field_validator("context")(storable)


class ReuseOut(Schema):
    id: int
    material: int
    version: int | None
    organisation: OrganisationRef
    used_on: dt.date
    run: int | None
    context: str
    learners_reached: int
    hours_saved: Decimal
    cost_saved: Decimal
    created_at: dt.datetime


# --- Shapes -------------------------------------------------------------------------------------


def _licence(code: str) -> dict:
    found = licences.licence(code)
    return {"code": code, "label": found.label, "is_open": found.is_open, "url": found.url}


def _version(request: HttpRequest, version: MaterialVersion) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "change_note": version.change_note,
        "is_link": version.is_link,
        "external_url": version.external_url,
        "file_name": version.file_name,
        "content_type": version.content_type,
        "size_bytes": version.size_bytes,
        "sha256": version.sha256,
        "extraction_status": version.extraction_status,
        "created_at": version.created_at,
        "download": request.build_absolute_uri(
            reverse("api:download_version", kwargs={"pk": version.pk})
        ),
    }


def _material(request: HttpRequest, material: Material) -> dict:
    """A material's shape in lists; it needs its owner, current version and topics loaded."""
    current = material.current_version
    return {
        "id": material.pk,
        "title": material.title,
        "summary": material.summary,
        "kind": material.kind,
        "licence": _licence(material.licence),
        "owner": material.owner,
        "topics": list(material.topics.all()),
        "current_version": _version(request, current) if current is not None else None,
        "adapted_from_version": material.adapted_from_id,
        "published_openly": material.is_published_openly,
        "hidden": material.is_hidden,
        "created_at": material.created_at,
        "updated_at": material.updated_at,
    }


def _author(author: MaterialAuthor) -> dict:
    return {"given_name": author.person.given_name, "family_name": author.person.family_name}


def _listed(materials):
    """Materials with what a list shows, in a fixed number of queries."""
    return (
        materials.select_related("owner", "current_version")
        .defer("search_document", "current_version__extracted_text")
        .prefetch_related("topics")
    )


def _filtered(materials, filters: MaterialFilters):
    if filters.kind:
        materials = materials.filter(kind=filters.kind)
    if filters.licence:
        materials = materials.filter(licence=filters.licence)
    if filters.owner is not None:
        materials = materials.filter(owner_id=filters.owner)
    if filters.topic is not None:
        materials = materials.filter(topics=filters.topic)
    return materials


def _source(actor: Actor, material: Material) -> dict | None:
    """The version it was adapted from, crediting the source even when the caller cannot open it."""
    version = material.adapted_from
    if version is None:
        return None
    source = version.material
    seen = access.visible_materials(actor).filter(pk=source.pk).exists()
    return {
        "material": source.pk if seen else None,
        "title": source.title,
        "owner": source.owner,
        "version_number": version.number,
    }


def _lineage(node: queries.FamilyNode) -> dict:
    material = node.material
    return {
        "material": material.pk if node.visible else None,
        "title": material.title,
        "owner": material.owner,
        "adapted_from_version_number": node.adapted_from_number,
        "is_this": node.is_this,
        "is_original_of_this": node.is_original_of_this,
        "credited_authors": [_author(author) for author in node.credited_authors],
        "children": [_lineage(child) for child in node.children],
    }


def _totals(totals: queries.ReuseTotals) -> dict:
    return {
        "reuses": totals.reuses,
        "organisations": totals.organisations,
        "learners": totals.learners,
        "hours_saved": totals.hours_saved,
        "cost_saved": totals.cost_saved,
    }


def _reuse(reuse: Reuse) -> dict:
    return {
        "id": reuse.pk,
        "material": reuse.material_id,
        "version": reuse.version_id,
        "organisation": reuse.organisation,
        "used_on": reuse.used_on,
        "run": reuse.run_id,
        "context": reuse.context,
        "learners_reached": reuse.learners_reached,
        "hours_saved": reuse.hours_saved,
        "cost_saved": reuse.cost_saved,
        "created_at": reuse.created_at,
    }


# --- Operations ---------------------------------------------------------------------------------


@router.get("", response={200: MaterialPage, **ERRORS}, summary="List materials")
def list_materials(
    request: HttpRequest, filters: Query[MaterialFilters], page: Query[Pagination]
) -> dict:
    """Materials the caller may read, by title: their organisation's, partners' shared ones and
    those published openly anywhere."""
    materials = _filtered(access.visible_materials(request.auth), filters)
    result = page_of(_listed(materials), MATERIAL_ORDER, (str, int), page)
    return {
        "items": [_material(request, material) for material in result["items"]],
        "next": result["next"],
    }


@router.get("/search", response={200: SearchPage, **ERRORS}, summary="Search materials")
def search_materials(request: HttpRequest, filters: Query[SearchFilters]) -> dict:
    """The materials the caller may read that match the words and filters, best match first
    (by title without words), with where the words matched."""
    found = search.search_materials(
        access.visible_materials(request.auth),
        text=filters.q,
        kind=filters.kind,
        licence=filters.licence,
        owner=filters.owner,
        topic=filters.topic,
        page=filters.page,
    )
    materials = [hit.material for hit in found.hits]
    current = Prefetch("current_version", MaterialVersion.objects.defer("extracted_text"))
    prefetch_related_objects(materials, "topics", current)
    return {
        "items": [
            {
                "material": _material(request, hit.material),
                "rank": hit.rank,
                "snippet": [{"text": piece.text, "marked": piece.marked} for piece in hit.snippet],
            }
            for hit in found.hits
        ],
        "page": found.number,
        "next_page": found.number + 1 if found.has_next else None,
        "capped": found.capped,
    }


@router.get("/{pk}", response={200: MaterialDetail, **ERRORS}, summary="A material")
def material_detail(request: HttpRequest, pk: Id) -> dict:
    """One material the caller may read: licence, credits, current version, source and topics."""
    actor: Actor = request.auth
    material = access.get_material_for(actor, pk)
    prefetch_related_objects([material], "topics")
    shown, organisation_credited = queries.credits(
        material, all_names=access.sees_all_authors(actor, material)
    )
    programmes = (
        learning_access.visible_programmes(actor).filter(materials=material).order_by("title", "pk")
    )
    may_hide = access.may_hide(actor, material)
    return {
        **_material(request, material),
        "authors": [_author(author) for author in shown],
        "organisation_credited": organisation_credited,
        "programmes": [{"id": p.pk, "title": p.title} for p in programmes],
        "adapted_from": _source(actor, material),
        "hidden_reason": material.hidden_reason if may_hide and material.is_hidden else None,
        "allowed": {
            "edit": access.may_edit(actor, material),
            "adapt": access.may_adapt(actor, material),
            "record_reuse": access.may_record_reuse(actor, material),
            "report": access.may_report(actor, material),
            "hide": may_hide,
            "publish_openly": access.may_publish_openly(actor, material),
        },
    }


@router.get(
    "/{pk}/versions", response={200: VersionPage, **ERRORS}, summary="A material's versions"
)
def material_versions(request: HttpRequest, pk: Id, page: Query[Pagination]) -> dict:
    """Every version of a material the caller may read, newest first; each stays downloadable."""
    material = access.get_material_for(request.auth, pk)
    versions = MaterialVersion.objects.filter(material=material).defer("extracted_text")
    result = page_of(versions, VERSION_ORDER, (int, int), page)
    return {
        "items": [_version(request, version) for version in result["items"]],
        "next": result["next"],
    }


@router.get(
    "/versions/{pk}/download",
    response={200: None, 302: None, **ERRORS},
    summary="Download a version",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            },
            302: {"description": "A link version: sent on to its address."},
        }
    },
)
def download_version(request: HttpRequest, pk: Id) -> HttpResponseBase:
    """A version's file as an attachment (never shown inline), or a redirect to a link version's
    address, for a caller who may read its material."""
    version = access.get_version_for(request.auth, pk)
    if version.is_link:
        if not version.external_url.lower().startswith(LINK_SCHEMES):
            raise HttpError(404, "This link is not a web address")
        return HttpResponseRedirect(version.external_url)
    try:
        return attachment_response(
            version.storage_name, file_name=version.file_name, content_type=version.content_type
        )
    except (FileNotFoundError, ValueError):
        raise HttpError(404, "This version's file is missing") from None


@router.get(
    "/{pk}/lineage", response={200: LineageNode, **ERRORS}, summary="A material's family tree"
)
def material_lineage(request: HttpRequest, pk: Id) -> dict:
    """The material's family from its original: each adaptation under the material it came from,
    with the version number it came from. Materials the caller may not open appear (title and
    owner only, no id) when they are an original of this one or lead to one they may open."""
    actor: Actor = request.auth
    material = access.get_material_for(actor, pk)
    return _lineage(queries.family_tree(material, visible=access.visible_materials(actor)))


@router.get("/{pk}/reuse", response={200: ReuseSummary, **ERRORS}, summary="A material's reuse")
def material_reuse(request: HttpRequest, pk: Id) -> dict:
    """How often the material was reused, by how many organisations, and the estimated savings;
    which organisations reused it only for its owner and the leads of its partnerships."""
    actor: Actor = request.auth
    material = access.get_material_for(actor, pk)
    by_organisation = None
    if access.sees_who_reused(actor, material):
        by_organisation = queries.who_reused(access.visible_reuses(actor, material))
    return {"totals": _totals(queries.reuse_totals(material)), "by_organisation": by_organisation}


@router.post(
    "/{pk}/reuse", response={201: ReuseOut, **ERRORS}, summary="Record a reuse (we used this)"
)
def record_reuse(request: HttpRequest, pk: Id, data: ReuseIn) -> Status:
    """Record that the caller's organisation used another organisation's material: on one of the
    runs it can see or in words, with the learners reached and the estimated savings. An L&D lead
    or programme leader of the acting organisation records it, with a personal token. A refusal
    of a field is a 422 naming it; a refusal by the rules (your own material) is a 409."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    material = access.get_reusable_material(actor, pk)
    run = None
    if data.run is not None:
        run = Run.objects.filter(pk__in=learning_access.visible_runs(actor), pk=data.run).first()
        if run is None:
            raise HttpError(422, RUN_NOT_SEEN)
    try:
        reuse = services.record_reuse(
            actor=actor,
            material=material,
            organisation=actor.organisation,
            used_on=data.used_on,
            run=run,
            context=data.context,
            learners_reached=data.learners_reached,
            hours_saved=data.hours_saved,
            cost_saved=data.cost_saved,
        )
    except services.MaterialRefused as refusal:
        fields = {field: message for field, message in refusal.errors.items() if field != "__all__"}
        if not fields:
            raise HttpError(409, refusal.message) from refusal
        detail = "; ".join(f"{field} (body): {message}" for field, message in fields.items())
        raise HttpError(422, detail) from refusal
    return Status(201, _reuse(reuse))
