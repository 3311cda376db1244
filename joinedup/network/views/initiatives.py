"""The initiatives register: the searchable list and its CSV download, an initiative's page, and
recording or changing one. Partners and sponsors are edited as rows of plain fields: a few blank
rows, and "add another" re-renders the form with one more (no JavaScript needed)."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.keyset import keyset_page
from joinedup.lib.spreadsheet_cells import neutralise
from joinedup.partnership.access import acting_partnerships, partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, Person
from joinedup.partnership.views.manage import page_links, posted

from .. import access, initiatives
from ..initiative_forms import InitiativeForm, SearchForm
from ..models import Initiative, Level, Mission

PAGE_SIZE = 25
ORDER = ("title", "id")
# Blank rows offered on a new form, and after the rows an initiative already has.
BLANK_PARTNERS = 3
BLANK_SPONSORS = 2
MAX_ROWS = 50


def _missions(actor: Actor, initiative: Initiative | None = None) -> list[Mission]:
    """Missions to offer: the current ones of the partnership (or of the acting organisation's
    partnerships), and the retired ones the initiative already names."""
    found = access.visible_missions(actor).select_related("partnership")
    if initiative is None:
        return list(found.filter(retired=False))
    kept = set(initiative.missions.values_list("pk", flat=True))
    return [
        mission
        for mission in found.filter(partnership_id=initiative.partnership_id)
        if not mission.retired or mission.pk in kept
    ]


def _filters(form: SearchForm) -> initiatives.Filters:
    form.is_valid()
    data = form.cleaned_data
    return initiatives.Filters(
        q=data.get("q", ""),
        problem=data.get("problem", ""),
        mission=data.get("mission"),
        status=data.get("status", ""),
        sector=data.get("sector", ""),
        level=data.get("level", ""),
        place=data.get("place", ""),
    )


@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    """The register: visible initiatives, searched and filtered, by title, 25 a page."""
    form = SearchForm(request.GET, missions=_missions(request.actor))
    found = initiatives.search(request.actor, _filters(form))
    page = keyset_page(
        found.select_related("owner_organisation").prefetch_related("places"),
        ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "page": page,
        "links": page_links(request, page),
        "count": found.count(),
        "download": urlencode(
            [(key, value) for key, value in request.GET.items() if key not in ("after", "before")]
        ),
        "may_record": access.may_record_initiative(request.actor),
        "may_curate": access.curated_partnerships(request.actor).exists(),
    }
    return render(request, "network/initiatives/list.html", context)


@require_GET
def initiative_csv(request: HttpRequest) -> HttpResponse:
    """Every initiative the register shows for the same filters, as CSV (cells neutralised)."""
    form = SearchForm(request.GET, missions=_missions(request.actor))
    found = initiatives.search(request.actor, _filters(form)).select_related("owner_organisation")
    found = found.prefetch_related(
        "missions",
        "levels",
        "sectors",
        "places",
        "partners__organisation",
        "sponsors__organisation",
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in initiatives.csv_rows(found):
        writer.writerow([neutralise(cell) for cell in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
    return response


@require_GET
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every field of an initiative, its partners and sponsors, its reviews and where it spread."""
    actor = request.actor
    initiative = access.get_initiative_for(actor, pk)
    context = {
        "initiative": initiative,
        "missions": list(initiative.missions.all()),
        "levels": list(initiative.levels.all()),
        "sectors": list(initiative.sectors.all()),
        "places": list(initiative.places.all()),
        "partners": list(initiative.partners.select_related("organisation")),
        "sponsors": list(initiative.sponsors.select_related("organisation", "person")),
        "may_edit": access.may_edit_initiative(actor, initiative),
        "may_review": access.may_review(actor, initiative),
        "may_adopt": access.may_adopt(actor, initiative),
        "reviews": initiative.reviews.select_related("organisation", "author").prefetch_related(
            "evidence", "measures"
        ),
        "adoptions": initiative.adoptions.select_related("organisation"),
    }
    return render(request, "network/initiatives/detail.html", context)


# --- Recording and changing ----------------------------------------------------------------------


def _row_count(data: QueryDict, prefix: str, least: int) -> int:
    """How many rows the posted form had (from its hidden count), one more when "add another"
    for them was pressed; never fewer than `least`, never more than MAX_ROWS."""
    try:
        count = int(data.get(f"{prefix}-count", least))
    except ValueError:
        count = least
    if data.get("add") == prefix:
        count += 1
    return max(least, min(count, MAX_ROWS))


def _posted_rows(data: QueryDict, prefix: str, names: tuple[str, ...], count: int) -> list[dict]:
    rows = []
    for index in range(count):
        row: dict[str, Any] = {}
        for name in names:
            key = f"{prefix}-{index}-{name}"
            row[name] = data.getlist(key) if name == "brings" else data.get(key, "").strip()
        rows.append(row)
    return rows


def _current_rows(initiative: Initiative) -> tuple[list[dict], list[dict]]:
    partners = [
        {
            "organisation": str(partner.organisation_id or ""),
            "organisation_name": partner.organisation_name,
            "level": partner.level,
            "brings": [what for what in initiatives.BRINGS if getattr(partner, f"brings_{what}")],
            "contribution": partner.contribution,
        }
        for partner in initiative.partners.all()
    ]
    sponsors = [
        {
            "organisation": str(sponsor.organisation_id or ""),
            "organisation_name": sponsor.organisation_name,
            "person": str(sponsor.person_id or ""),
            "role": sponsor.role,
        }
        for sponsor in initiative.sponsors.all()
    ]
    return partners, sponsors


def _padded(rows: list[dict], names: tuple[str, ...], count: int) -> list[dict]:
    blank = {name: [] if name == "brings" else "" for name in names}
    return rows + [dict(blank) for _ in range(count - len(rows))]


def _organisation_choices(actor: Actor, initiative: Initiative | None) -> list[tuple[str, str]]:
    """Partner organisations to choose from: the members of the initiative's partnership (or of
    the acting organisation's partnerships, when recording)."""
    if initiative is None:
        found: QuerySet[Organisation] = partner_organisations(actor)
    else:
        listed = initiative.partners.exclude(organisation=None).values("organisation")
        found = access.member_organisations(initiative.partnership) | Organisation.objects.filter(
            pk__in=listed
        )
    return [(str(o.pk), o.name) for o in found.distinct().order_by("name", "pk")]


def _person_choices(actor: Actor, initiative: Initiative | None) -> list[tuple[str, str]]:
    found = access.sponsor_people(actor)
    if initiative is not None:
        named = initiative.sponsors.exclude(person=None).values("person")
        found = found | Person.objects.filter(pk__in=named)
    return [(str(p.pk), str(p)) for p in found.distinct().order_by("family_name", "given_name")]


def _editing(
    request: HttpRequest, initiative: Initiative | None
) -> tuple[InitiativeForm, list[dict], list[dict], bool]:
    """The bound form and the partner and sponsor rows; whether the person asked for a row more
    rather than to save."""
    actor = request.actor
    partnerships = [] if initiative else acting_partnerships(actor)
    form_args = {"partnerships": partnerships, "missions": _missions(actor, initiative)}
    if request.method == "POST":
        data = request.POST
        partners = _posted_rows(
            data, "partners", initiatives.PARTNER_FIELDS, _row_count(data, "partners", 1)
        )
        sponsors = _posted_rows(
            data, "sponsors", initiatives.SPONSOR_FIELDS, _row_count(data, "sponsors", 1)
        )
        return InitiativeForm(data, **form_args), partners, sponsors, bool(data.get("add"))
    if initiative is None:
        partners, sponsors = [], []
        initial = None
    else:
        partners, sponsors = _current_rows(initiative)
        initial = _initial(initiative)
    partners = _padded(partners, initiatives.PARTNER_FIELDS, len(partners) + BLANK_PARTNERS)
    sponsors = _padded(sponsors, initiatives.SPONSOR_FIELDS, len(sponsors) + BLANK_SPONSORS)
    return InitiativeForm(initial=initial, **form_args), partners, sponsors, False


def _initial(initiative: Initiative) -> dict:
    values = {
        field: getattr(initiative, field)
        for field in initiatives.FIELDS
        if field not in ("missions", "levels", "sectors", "places", "partners", "sponsors")
    }
    values["funding_amount"] = (
        "" if initiative.funding_amount is None else str(initiative.funding_amount)
    )
    values["missions"] = [str(pk) for pk in initiative.missions.values_list("pk", flat=True)]
    values["levels"] = list(initiative.levels.values_list("level", flat=True))
    values["sectors"] = list(initiative.sectors.values_list("sector", flat=True))
    values["places"] = "\n".join(place.gss_code for place in initiative.places.all())
    return values


def _save(
    request: HttpRequest,
    initiative: Initiative | None,
    form: InitiativeForm,
    partners: list[dict],
    sponsors: list[dict],
) -> Initiative | None:
    """Call the service with the form's values and the rows; a refusal goes onto the form."""
    data = {**form.cleaned_data, "partners": partners, "sponsors": sponsors}
    try:
        if initiative is None:
            return initiatives.record(request.actor, data)
        changed = initiatives.change(request.actor, initiative, data)
    except ValidationError as error:
        _show(form, error)
        return None
    messages.success(request, "Initiative saved." if changed else "Nothing was changed.")
    return initiative


def _show(form: InitiativeForm, error: ValidationError) -> None:
    """A refusal on the field it names (partners' and sponsors' at the top, naming the row)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_page(
    request: HttpRequest,
    initiative: Initiative | None,
    form: InitiativeForm,
    partners: list[dict],
    sponsors: list[dict],
) -> HttpResponse:
    actor = request.actor
    context = {
        "initiative": initiative,
        "form": form,
        "partners": partners,
        "sponsors": sponsors,
        "organisations": _organisation_choices(actor, initiative),
        "people": _person_choices(actor, initiative),
        "levels": Level.choices,
        "brings": list(initiatives.BRINGS.items()),
        "title": f"Change {initiative.title}" if initiative else "Record an initiative",
    }
    return render(request, "network/initiatives/form.html", context)


@require_http_methods(["GET", "POST"])
def initiative_new(request: HttpRequest) -> HttpResponse:
    """Record an initiative for the acting organisation."""
    if not access.may_record_initiative(request.actor):
        raise PermissionDenied
    form, partners, sponsors, adding = _editing(request, None)
    if posted(request) is not None and not adding and form.is_valid():
        initiative = _save(request, None, form, partners, sponsors)
        if initiative is not None:
            messages.success(request, f"{initiative.title} is in the register.")
            return redirect("network:initiative", pk=initiative.pk)
    return _form_page(request, None, form, partners, sponsors)


@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change every field of an initiative."""
    initiative = access.get_editable_initiative(request.actor, pk)
    form, partners, sponsors, adding = _editing(request, initiative)
    saving = posted(request) is not None and not adding and form.is_valid()
    if saving and _save(request, initiative, form, partners, sponsors) is not None:
        return redirect("network:initiative", pk=initiative.pk)
    return _form_page(request, initiative, form, partners, sponsors)
