"""The public pages: openly published materials, for anyone, signed in or not.

They show the same to everyone (what an anonymous visitor may read), so they never depend on who
is signed in: no other organisation's private material, no personal data beyond the names of
authors who chose to show them. Only the current version is offered.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.views.manage import page_links

from .. import access, pages, search
from .downloads import version_response
from .library import LibrarySearchForm, page_number
from .library import page_links as search_links


class OpenSearchForm(GovukForm):
    """The public list's search box: the library's, words only (a GET form)."""

    q = LibrarySearchForm.base_fields["q"]


@require_GET
def open_list(request: HttpRequest) -> HttpResponse:
    """Openly published materials, by title, or those matching the words searched for, best
    match first (searched over the public materials only)."""
    form = OpenSearchForm(request.GET)
    form.is_valid()
    text = search.clean_text(form.cleaned_data.get("q", ""))
    context: dict = {"form": form, "searched": bool(text)}
    if text:
        results = search.search_materials(
            access.public_materials(), text=text, page=page_number(request)
        )
        context |= {
            "results": results,
            "links": search_links(request, results),
            "max_results": search.MAX_PAGES * search.PAGE_SIZE,
        }
    else:
        page = pages.public_list(after=request.GET.get("after"), before=request.GET.get("before"))
        context |= {"materials": page.items, "links": page_links(request, page)}
    return render(request, "materials/open_list.html", context)


@require_GET
def open_material(request: HttpRequest, pk: int) -> HttpResponse:
    """An openly published material: what it is, its licence, credits and its current version."""
    found = access.get_public_material(pk)
    context = {"material": found, **pages.public_page(found)}
    return render(request, "materials/open_material.html", context)


@require_GET
def open_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version of an openly published material."""
    found = access.get_public_material(pk)
    if found.current_version is None:
        raise Http404("This material has no version yet")
    return version_response(found.current_version)
