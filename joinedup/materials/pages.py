"""What the materials pages show, gathered in a fixed number of queries: a material's page (for a
signed-in person or on the public pages), the organisation's own materials, and the reports list.

Fetch every material through `access.py` first; these only read and arrange.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from joinedup.learning import access as learning_access
from joinedup.lib.keyset import KeysetPage, keyset_page
from joinedup.partnership.actor import Actor

from . import access, licences, queries
from .models import Material, MaterialReport, ReportStatus, Reuse

PAGE_SIZE = 50
MATERIAL_ORDER = ("title", "id")
REPORT_ORDER = ("-created_at", "-id")
# The newest reuses listed on a material's page; the totals count them all.
REUSES_SHOWN = 50


def licence_of(material: Material) -> licences.Licence:
    """The material's licence, with its label and, for an open one, the licence text's address."""
    return licences.licence(material.licence)


def material_page(actor: Actor, material: Material) -> dict:
    """Everything a signed-in person's page of a visible material shows, and what they may do."""
    authors, organisation_credited = queries.credits(
        material, all_names=access.sees_all_authors(actor, material)
    )
    tree = queries.family_tree(material, visible=access.visible_materials(actor))
    sees_who = access.sees_who_reused(actor, material)
    reuses = access.visible_reuses(actor, material)
    return {
        "licence": licence_of(material),
        "authors": authors,
        "organisation_credited": organisation_credited,
        "topics": [topic.name for topic in material.topics.all()],
        "programmes": list(
            learning_access.visible_programmes(actor)
            .filter(materials=material)
            .select_related("host")
            .order_by("title", "pk")
        ),
        "versions": list(queries.versions_of(material)),
        "tree": tree.walk(),
        "in_family": bool(tree.children) or material.adapted_from_id is not None,
        "totals": queries.reuse_totals(material),
        "reuses": list(
            queries.reuses_of(material).filter(pk__in=reuses.values("pk"))[:REUSES_SHOWN]
        ),
        "sees_who_reused": sees_who,
        "may_edit": access.may_edit(actor, material),
        "may_adapt": access.may_adapt(actor, material),
        "may_record_reuse": access.may_record_reuse(actor, material),
        "may_publish": access.may_publish_openly(actor, material),
        "may_report": access.may_report(actor, material),
        "may_hide": access.may_hide(actor, material),
        "open_reports": MaterialReport.objects.filter(
            material=material, status=ReportStatus.OPEN
        ).count()
        if access.may_hide(actor, material)
        else 0,
    }


def public_page(material: Material) -> dict:
    """What the public page of an openly published material shows: no personal data beyond the
    names of authors who chose to show them, no other organisation's private material."""
    authors, organisation_credited = queries.credits(material, all_names=False)
    tree = queries.family_tree(material, visible=access.public_materials())
    return {
        "licence": licence_of(material),
        "authors": authors,
        "organisation_credited": organisation_credited,
        "topics": [topic.name for topic in material.topics.all()],
        "version": material.current_version,
        "tree": tree.walk(),
        "in_family": bool(tree.children) or material.adapted_from_id is not None,
        "totals": queries.reuse_totals(material),
    }


def public_list(*, after: str | None, before: str | None) -> KeysetPage:
    """One page of the openly published materials, by title."""
    materials = access.public_materials().select_related("owner")
    return keyset_page(materials, MATERIAL_ORDER, after=after, before=before, size=PAGE_SIZE)


# --- The organisation's own materials -----------------------------------------------------------


@dataclass(frozen=True)
class OwnMaterial:
    """One of the organisation's materials with how often others reused it and what it saved."""

    material: Material
    reuses: int
    organisations: int
    learners: int
    hours_saved: Decimal
    cost_saved: Decimal


def _own_material(material: Material, totals: queries.ReuseTotals) -> OwnMaterial:
    return OwnMaterial(
        material=material,
        reuses=totals.reuses,
        organisations=totals.organisations,
        learners=totals.learners,
        hours_saved=totals.hours_saved,
        cost_saved=totals.cost_saved,
    )


def own_materials(actor: Actor, *, after: str | None, before: str | None) -> tuple:
    """One page of the acting organisation's visible materials with their reuse by others, and
    the totals over all of them: three queries, however many materials and reuses."""
    organisation = actor.organisation
    materials = access.visible_materials(actor).filter(owner=organisation)
    page = keyset_page(
        materials.select_related("current_version"),
        MATERIAL_ORDER,
        after=after,
        before=before,
        size=PAGE_SIZE,
    )
    totals = queries.reuse_per_material(
        Reuse.objects.filter(material__in=[m.pk for m in page.items]).exclude(
            organisation=organisation
        )
    )
    rows = [
        _own_material(material, totals.get(material.pk, queries.NO_REUSE))
        for material in page.items
    ]
    return page, rows, queries.reused_totals_of(organisation)


# --- Reports ------------------------------------------------------------------------------------


def reports_page(actor: Actor, *, show: str, after: str | None, before: str | None) -> KeysetPage:
    """One page of the reports the actor handles: open ones, or those dealt with."""
    reports = access.visible_reports(actor).select_related(
        "material__owner", "reporter_organisation"
    )
    if show == "closed":
        reports = reports.filter(~Q(status=ReportStatus.OPEN))
    else:
        reports = reports.filter(status=ReportStatus.OPEN)
    return keyset_page(reports, REPORT_ORDER, after=after, before=before, size=PAGE_SIZE)
