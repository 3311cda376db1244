"""The person-facing learning pages: the catalogue, a programme and a run."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.partnership.views.manage import page_links

from . import access, catalogue
from .forms import CatalogueFilterForm

FILTERS = ("q", "kind", "mode", "host")


@require_GET
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """Programmes the actor may see, searched and filtered, with their upcoming runs."""
    form = CatalogueFilterForm(request.GET, hosts=catalogue.host_choices(request.actor))
    form.is_valid()
    filters = form.cleaned_data
    page, rows = catalogue.catalogue_page(
        request.actor,
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        mode=filters.get("mode", ""),
        host_id=filters.get("host"),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    context = {
        "form": form,
        "rows": rows,
        "links": page_links(request, page),
        "filtered": any(filters.get(name) for name in FILTERS) or bool(form.errors),
    }
    return render(request, "learning/catalogue.html", context)


@require_GET
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """One programme: what it is, who it is for, and its upcoming runs."""
    found = access.get_programme_for(request.actor, pk)
    context = {
        "programme": found,
        "topics": list(found.topics.all()),
        "runs": catalogue.programme_runs(request.actor, found),
    }
    return render(request, "learning/programme.html", context)


@require_GET
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: its sessions, the places the actor can take, and their own booking."""
    found = access.get_run_for(request.actor, pk)
    return render(request, "learning/run.html", {"page": catalogue.run_page(request.actor, found)})
