"""Standards: the searchable list, a standard with its KSBs and the programmes that use it, and for
those who may edit standards, its details, its KSBs one by one and the KSB import."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.keyset import keyset_page
from joinedup.lib.spreadsheet_cells import neutralise
from joinedup.partnership.forms import ConfirmForm
from joinedup.partnership.staff_file import megabytes
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, standards
from ..standard_forms import KsbForm, KsbImportForm, StandardForm, StandardSearchForm

PAGE_SIZE = 25
CENTS = Decimal("0.01")
STANDARD_ORDER = ("title", "id")
PROGRAMMES_SHOWN = 50
EXAMPLE_ROWS = (
    ("K1", "knowledge", "How to set the organisation's strategic direction"),
    ("S1", "skill", "Lead and manage change"),
    ("B1", "behaviour", "Works with integrity and values difference"),
)


@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    """Every standard by title, searched by code or title words and filtered by level."""
    form = StandardSearchForm(request.GET)
    text = level = ""
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        level = form.cleaned_data["level"]
    found = standards.search_standards(access.visible_standards(request.actor), text, level)
    page = keyset_page(
        found.only("reference_code", "title", "level", "typical_duration_months", "funding_band"),
        STANDARD_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "page": page,
        "links": page_links(request, page),
        "searched": bool(text or level),
        "may_edit": access.may_edit_standards(request.actor),
    }
    return render(request, "apprenticeships/standards/list.html", context)


@require_GET
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A standard's details, its KSBs by kind, and the programmes of the person's partnerships
    that use it."""
    actor = request.actor
    standard = access.get_standard_for(actor, pk)
    programmes = (
        access.visible_programmes(actor)
        .filter(standard=standard)
        .select_related("provider")
        .order_by("title", "id")[:PROGRAMMES_SHOWN]
    )
    context = {
        "standard": standard,
        "groups": standards.ksb_groups(standard),
        "programmes": list(programmes),
        "may_edit": access.may_edit_standards(actor),
    }
    return render(request, "apprenticeships/standards/detail.html", context)


@require_http_methods(["GET", "POST"])
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a standard's level, version, duration, funding band, hours and assessment."""
    standard = access.get_editable_standard(request.actor, pk)
    initial = {
        "level": str(standard.level or ""),
        "version": standard.version,
        "typical_duration_months": standard.typical_duration_months or "",
        "funding_band": f"{standard.funding_band.quantize(CENTS)}" if standard.funding_band else "",
        "off_the_job_hours": standard.off_the_job_hours or "",
        "assessment_methods": standard.assessment_methods,
        "grades": standard.grades,
        "source": standard.source,
    }
    form = StandardForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            standards.update_standard(actor=request.actor, standard=standard, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The standard's details are saved")
            return redirect("apprenticeships:standard", pk=standard.pk)
    return render(
        request, "apprenticeships/standards/edit.html", {"standard": standard, "form": form}
    )


@require_http_methods(["GET", "POST"])
def ksb_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a knowledge, skill or behaviour to a standard."""
    standard = access.get_editable_standard(request.actor, pk)
    form = KsbForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            ksb = standards.add_ksb(actor=request.actor, standard=standard, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{ksb.code} added")
            return redirect("apprenticeships:standard", pk=standard.pk)
    context = {"standard": standard, "form": form, "title": "Add a KSB", "button": "Add the KSB"}
    return render(request, "apprenticeships/standards/ksb_form.html", context)


@require_http_methods(["GET", "POST"])
def ksb_edit(request: HttpRequest, pk: int, ksb_pk: int) -> HttpResponse:
    """Change a KSB's code, description or illustrative flag."""
    ksb = access.get_editable_ksb(request.actor, pk, ksb_pk)
    initial = {"code": ksb.code, "description": ksb.description, "illustrative": ksb.illustrative}
    form = KsbForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            standards.change_ksb(actor=request.actor, ksb=ksb, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{ksb.code} saved")
            return redirect("apprenticeships:standard", pk=ksb.standard_id)
    context = {
        "standard": ksb.standard,
        "ksb": ksb,
        "form": form,
        "title": f"Change {ksb.code}",
        "button": "Save",
    }
    return render(request, "apprenticeships/standards/ksb_form.html", context)


@require_http_methods(["GET", "POST"])
def ksb_delete(request: HttpRequest, pk: int, ksb_pk: int) -> HttpResponse:
    """Confirm, then remove a KSB from its standard."""
    ksb = access.get_editable_ksb(request.actor, pk, ksb_pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        standards.delete_ksb(actor=request.actor, ksb=ksb)
        messages.success(request, f"{ksb.code} removed")
        return redirect("apprenticeships:standard", pk=ksb.standard_id)
    context = {"standard": ksb.standard, "ksb": ksb, "form": form}
    return render(request, "apprenticeships/standards/ksb_delete.html", context)


@require_http_methods(["GET", "POST"])
def ksb_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a CSV of KSBs: every problem by line, or everything added and updated at once."""
    standard = access.get_editable_standard(request.actor, pk)
    form = KsbImportForm(posted(request), request.FILES if request.method == "POST" else None)
    problems: list[standards.Problem] = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if (uploaded.size or 0) > standards.IMPORT_MAX_BYTES:
                raise standards.KsbFileError(
                    "The selected file must be smaller than "
                    f"{megabytes(standards.IMPORT_MAX_BYTES)}"
                )
            data = uploaded.read(standards.IMPORT_MAX_BYTES + 1)
            result = standards.import_ksbs(actor=request.actor, standard=standard, data=data)
        except standards.KsbFileError as error:
            form.add_error("file", str(error))
        except standards.ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                f"KSBs imported: {result.added} added, {result.updated} updated, "
                f"{result.unchanged} unchanged",
            )
            return redirect("apprenticeships:standard", pk=standard.pk)
    context = {
        "standard": standard,
        "form": form,
        "problems": problems,
        "max_size": megabytes(standards.IMPORT_MAX_BYTES),
        "max_rows": standards.IMPORT_MAX_ROWS,
    }
    return render(request, "apprenticeships/standards/import.html", context)


@require_GET
def ksb_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV with the column headings and three made-up example rows."""
    standard = access.get_editable_standard(request.actor, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(standards.COLUMNS)
    for row in EXAMPLE_ROWS:
        writer.writerow([neutralise(cell) for cell in row])
    # The byte order mark makes Excel read the file as UTF-8.
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    name = f"ksbs-{standard.reference_code.lower()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
