"""A material's page, the organisation's own materials, adding one, changing its details and
adding a version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.learning import access as learning_access
from joinedup.partnership.actor import Actor
from joinedup.partnership.views.manage import page_links, posted

from .. import access, pages, queries, services
from ..forms import MaterialDetailsForm, MaterialForm, VersionForm, show_refusal
from ..models import Material


def programme_choices(actor: Actor, material: Material | None = None) -> list[tuple[int, str]]:
    """The acting organisation's programmes, and any the material already links, by title."""
    programmes = learning_access.visible_programmes(actor).filter(host=actor.organisation)
    if material is not None:
        programmes = programmes | learning_access.visible_programmes(actor).filter(
            pk__in=material.programmes.values("pk")
        )
    return list(programmes.order_by("title", "pk").values_list("pk", "title").distinct())


@require_GET
def material(request: HttpRequest, pk: int) -> HttpResponse:
    """One material: what it is, its licence, credits, versions, family tree and reuse."""
    found = access.get_material_for(request.actor, pk)
    context = {"material": found, **pages.material_page(request.actor, found)}
    return render(request, "materials/material.html", context)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The acting organisation's materials with their reuse and estimated savings."""
    if request.actor.organisation is None:
        raise PermissionDenied
    page, rows, totals = pages.own_materials(
        request.actor, after=request.GET.get("after"), before=request.GET.get("before")
    )
    context = {
        "rows": rows,
        "totals": totals,
        "who_reused": queries.reuse_by_organisation(request.actor.organisation),
        "saved": queries.saved_by(request.actor.organisation),
        "links": page_links(request, page),
        "may_create": access.may_create(request.actor),
        "may_handle_reports": access.may_handle_reports(request.actor),
    }
    return render(request, "materials/mine.html", context)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Add a material of the acting organisation: its details and a file or a link."""
    actor = request.actor
    if not access.may_create(actor):
        raise PermissionDenied
    form = MaterialForm(
        posted(request),
        request.FILES or None,
        organisation=actor.organisation,
        programmes=programme_choices(actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_material(
                actor=actor,
                owner=actor.organisation,
                change_note=form.cleaned_data["change_note"],
                **form.details(actor.person),
                **form.file_or_link(),
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{created.title} is added.")
            return redirect("materials:material", pk=created.pk)
    context = {"form": form, "title": "Add a material", "button": "Add material"}
    return render(request, "materials/material_form.html", context)


def _details_initial(material: Material, actor: Actor) -> dict:
    authors = list(material.authors.select_related("person"))
    return {
        "title": material.title,
        "summary": material.summary,
        "kind": material.kind,
        "licence": material.licence,
        "topics": ", ".join(material.topics.values_list("name", flat=True)),
        "programmes": list(material.programmes.values_list("pk", flat=True)),
        "authors": "\n".join(author.person.email for author in authors),
        "show_my_name": any(
            author.person_id == actor.person_id and author.show_name_publicly for author in authors
        ),
    }


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a material's details (a new file or link is a new version)."""
    actor = request.actor
    found = access.get_editable_material(actor, pk)
    earlier = dict(found.authors.values_list("person_id", "show_name_publicly"))
    form = MaterialDetailsForm(
        posted(request),
        initial=_details_initial(found, actor),
        organisation=found.owner,
        programmes=programme_choices(actor, found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_material(
                actor=actor, material=found, **form.details(actor.person, earlier)
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{found.title} is saved.")
            return redirect("materials:material", pk=found.pk)
    context = {
        "form": form,
        "material": found,
        "title": f"Change {found.title}",
        "button": "Save changes",
    }
    return render(request, "materials/material_form.html", context)


@require_http_methods(["GET", "POST"])
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a new file, or give a new link, as the material's next version."""
    found = access.get_editable_material(request.actor, pk)
    form = VersionForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_version(
                actor=request.actor,
                material=found,
                change_note=form.cleaned_data["change_note"],
                **form.file_or_link(),
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Version {version.number} of {found.title} is added.")
            return redirect("materials:material", pk=found.pk)
    return render(request, "materials/version_form.html", {"form": form, "material": found})
