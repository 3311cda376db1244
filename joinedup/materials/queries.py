"""Reads about materials that pages and the API share: versions, the family tree, reuse totals.

These read what they are given; fetch the material through `materials/access.py` first, and
pass `visible` (the actor's `access.visible_materials(actor)`) where other organisations'
materials might show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from joinedup.partnership.models import Organisation

from .models import Material, MaterialAuthor, MaterialVersion, Reuse


def versions_of(material: Material) -> QuerySet[MaterialVersion]:
    """The material's versions, newest first, with who added each."""
    return (
        MaterialVersion.objects.filter(material=material)
        .select_related("created_by")
        .order_by("-number")
    )


def credits(material: Material, *, all_names: bool) -> tuple[list[MaterialAuthor], bool]:
    """The authors whose names show, and whether the owner organisation is credited instead of
    (or as well as) the others: names show to the owner's staff, elsewhere only by choice."""
    authors = list(material.authors.select_related("person").order_by("position", "pk"))
    shown = [author for author in authors if all_names or author.show_name_publicly]
    return shown, len(shown) < len(authors) or not authors


# --- Lineage ------------------------------------------------------------------------------------


@dataclass
class FamilyNode:
    """One material of a family tree, with the adaptations made from it.

    `adapted_from_number` is the number of the source's version it was adapted from. `visible`
    says whether the viewer may open it; a node that is not visible is in the tree only to
    credit an original of the material asked about, or to join a visible adaptation to its
    original: show only its owner organisation and title, with no link.
    """

    material: Material
    adapted_from_number: int | None
    visible: bool
    is_this: bool = False
    is_original_of_this: bool = False
    credited_authors: list[MaterialAuthor] = field(default_factory=list)
    children: list[FamilyNode] = field(default_factory=list)

    def walk(self, depth: int = 0) -> list[tuple[int, FamilyNode]]:
        """Every node under and including this one, with its depth, parents first."""
        rows = [(depth, self)]
        for child in self.children:
            rows.extend(child.walk(depth + 1))
        return rows


def family_tree(material: Material, *, visible: QuerySet[Material] | None = None) -> FamilyNode:
    """The material's whole family from its original, each adaptation under the version's
    material it came from, oldest first, crediting authors who chose to show their names.

    With `visible`, materials outside it are left out unless they are an original of this
    material or lead to a visible adaptation. Four queries, however large the family.
    """
    root_id = material.family_root_id or material.pk
    shown_authors = MaterialAuthor.objects.filter(show_name_publicly=True).select_related("person")
    family = list(
        Material.objects.filter(Q(family_root_id=root_id) | Q(pk=root_id))
        .select_related("owner")
        .order_by("created_at", "id")
    )
    by_id = {member.pk: member for member in family}
    if material.pk not in by_id:
        by_id[material.pk] = material
        family.append(material)
    # Each adaptation's source material and version number, by the version it came from.
    source_of: dict[int, tuple[int, int]] = {
        version_id: (material_id, number)
        for version_id, material_id, number in MaterialVersion.objects.filter(
            pk__in=[m.adapted_from_id for m in family if m.adapted_from_id]
        ).values_list("pk", "material_id", "number")
    }
    authors: dict[int, list[MaterialAuthor]] = {}
    for author in shown_authors.filter(material_id__in=by_id).order_by("position", "pk"):
        authors.setdefault(author.material_id, []).append(author)
    seen = (
        set(by_id)
        if visible is None
        else set(visible.filter(pk__in=list(by_id)).values_list("pk", flat=True))
    )
    nodes = {
        pk: FamilyNode(
            material=member,
            adapted_from_number=source_of.get(member.adapted_from_id, (None, None))[1],
            visible=pk in seen,
            is_this=pk == material.pk,
            credited_authors=authors.get(pk, []),
        )
        for pk, member in by_id.items()
    }
    parent_of = {
        pk: source_of[member.adapted_from_id][0]
        for pk, member in by_id.items()
        if member.adapted_from_id in source_of and source_of[member.adapted_from_id][0] in by_id
    }
    # Keep what is visible, this material, and everything on their way up to the original.
    kept: set[int] = set()
    for pk in [*seen, material.pk]:
        while pk is not None and pk not in kept:
            kept.add(pk)
            pk = parent_of.get(pk)
    up = parent_of.get(material.pk)
    while up is not None:
        nodes[up].is_original_of_this = True
        up = parent_of.get(up)
    for member in family:
        pk = member.pk
        if pk in kept and pk in parent_of:
            nodes[parent_of[pk]].children.append(nodes[pk])
    return nodes[root_id]


# --- Reuse --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReuseTotals:
    """How often a material (or an organisation's materials) was reused, and what it saved."""

    reuses: int
    organisations: int
    learners: int
    hours_saved: Decimal
    cost_saved: Decimal


_ZERO_HOURS = Decimal("0.0")
_ZERO_COST = Decimal("0.00")
NO_REUSE = ReuseTotals(
    reuses=0, organisations=0, learners=0, hours_saved=_ZERO_HOURS, cost_saved=_ZERO_COST
)


# Each sum of reuse rows, by the names the rows of `_sums` carry.
_SUMS = {
    "reuses": Count("pk"),
    "learners": Coalesce(Sum("learners_reached"), 0),
    "hours": Sum("hours_saved"),
    "cost": Sum("cost_saved"),
}
_OF_ORGANISATIONS = {"organisations": Count("organisation", distinct=True)}


def _as_totals(row: dict) -> ReuseTotals:
    return ReuseTotals(
        reuses=row["reuses"],
        organisations=row["organisations"],
        learners=row["learners"],
        hours_saved=_places(row["hours"], _ZERO_HOURS),
        cost_saved=_places(row["cost"], _ZERO_COST),
    )


def _totals(reuses: QuerySet[Reuse]) -> ReuseTotals:
    return _as_totals(reuses.aggregate(**_SUMS, **_OF_ORGANISATIONS))


def _places(value: Decimal | None, zero: Decimal) -> Decimal:
    """A sum as the model's places (SQLite's sums come back as floats' neighbours)."""
    return Decimal(value or 0).quantize(zero)


def reuse_totals(material: Material) -> ReuseTotals:
    """How many times the material was reused, by how many organisations, and the savings."""
    return _totals(Reuse.objects.filter(material=material))


@dataclass(frozen=True)
class OrganisationReuse:
    """What one organisation reused of another's materials, and what it saved."""

    organisation: Organisation
    reuses: int
    materials: int
    learners: int
    hours_saved: Decimal
    cost_saved: Decimal


def reuse_by_organisation(organisation: Organisation) -> list[OrganisationReuse]:
    """Who reused the organisation's materials: one row per reusing organisation, biggest
    saving first, with how many uses of how many of its materials and what each saved."""
    return who_reused(
        Reuse.objects.filter(material__owner=organisation).exclude(organisation=organisation)
    )


def who_reused(reuses: QuerySet[Reuse]) -> list[OrganisationReuse]:
    """The reuse rows added up per reusing organisation, biggest saving first (pass one
    material's `access.visible_reuses` for who reused it). Two queries."""
    rows = list(
        reuses.order_by()
        .values("organisation_id")
        .annotate(**_SUMS, materials=Count("material", distinct=True))
    )
    names = Organisation.objects.in_bulk([row["organisation_id"] for row in rows])
    result = [
        OrganisationReuse(
            organisation=names[row["organisation_id"]],
            reuses=row["reuses"],
            materials=row["materials"],
            learners=row["learners"],
            hours_saved=_places(row["hours"], _ZERO_HOURS),
            cost_saved=_places(row["cost"], _ZERO_COST),
        )
        for row in rows
    ]
    return sorted(
        result, key=lambda row: (-row.cost_saved, -row.hours_saved, row.organisation.name)
    )


def reuse_per_material(reuses: QuerySet[Reuse]) -> dict[int, ReuseTotals]:
    """The reuse rows added up per material, by the material's id (one query)."""
    return {
        row["material_id"]: _as_totals(row)
        for row in reuses.order_by().values("material_id").annotate(**_SUMS, **_OF_ORGANISATIONS)
    }


def reused_totals_of(organisation: Organisation) -> ReuseTotals:
    """All reuse of the organisation's materials by other organisations, added up."""
    return _totals(
        Reuse.objects.filter(material__owner=organisation).exclude(organisation=organisation)
    )


def saved_by(organisation: Organisation) -> ReuseTotals:
    """What the organisation saved by reusing other organisations' materials."""
    return _totals(
        Reuse.objects.filter(organisation=organisation).exclude(material__owner=organisation)
    )


def reuses_of(material: Material) -> QuerySet[Reuse]:
    """The material's reuse rows, newest first, with the organisation and run (for its owner
    and the partnership lead; `access.visible_reuses` decides who sees them)."""
    return (
        Reuse.objects.filter(material=material)
        .select_related("organisation", "run__programme")
        .order_by("-used_on", "-id")
    )
