"""The public register, for anyone, signed in or not (/network/public/ is open in the
middleware): public initiatives listed and filtered, each one's summary page, and the open-data
export as CSV and JSON under the Open Government Licence. Built by `open_data`, which shows no
person and nothing of an initiative not marked public."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from joinedup.lib.govuk_forms import GovukForm
from joinedup.lib.keyset import keyset_page
from joinedup.partnership.views.manage import page_links

from .. import access, open_data
from ..models import InitiativeStatus, Problem


class PublicFiltersForm(GovukForm):
    """The public list's filters (a GET form)."""

    problem = forms.ChoiceField(
        label="Problem", choices=[("", "Any problem"), *Problem.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *InitiativeStatus.choices], required=False
    )
    place = forms.CharField(
        label="Place",
        help_text="A local authority's name or GSS code",
        required=False,
        max_length=100,
    )


def _license_link(response: HttpResponse) -> HttpResponse:
    response["Link"] = f'<{open_data.LICENCE["url"]}>; rel="license"'
    return response


@require_GET
def public_initiatives(request: HttpRequest) -> HttpResponse:
    """Public initiatives by title, filtered by problem, status and place."""
    form = PublicFiltersForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = open_data.PublicFilters(
        problem=data.get("problem", ""), status=data.get("status", ""), place=data.get("place", "")
    )
    page = keyset_page(
        open_data.public_search(filters).prefetch_related("places"),
        open_data.ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=open_data.PAGE_SIZE,
    )
    context = {
        "form": form,
        "initiatives": page.items,
        "links": page_links(request, page),
        "licence": open_data.LICENCE,
    }
    return render(request, "network/public/list.html", context)


@require_GET
def public_initiative(request: HttpRequest, pk: int) -> HttpResponse:
    """A public initiative's summary: organisations only, reviews without their authors."""
    found = access.get_public_initiative(pk)
    initiative = open_data.with_everything(access.public_initiatives().filter(pk=found.pk)).get()
    context = {
        "initiative": initiative,
        "record": open_data.record_of(initiative),
        "licence": open_data.LICENCE,
    }
    return render(request, "network/public/detail.html", context)


@require_GET
def open_data_csv(request: HttpRequest) -> HttpResponse:
    """Every public initiative as CSV (Open Government Licence v3.0, in the Link header)."""
    text = open_data.csv_text(
        lambda pk: request.build_absolute_uri(reverse("network:public-initiative", args=[pk]))
    )
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives-open-data.csv"'
    return _license_link(response)


@require_GET
def open_data_json(request: HttpRequest) -> HttpResponse:
    """Every public initiative as JSON, with its licence."""
    response = JsonResponse(open_data.export(), json_dumps_params={"ensure_ascii": False})
    return _license_link(response)
