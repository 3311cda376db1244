"""The staff import: upload a file, see its problems or changes, apply it and watch it go."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.lib.spreadsheet_cells import neutralise

from .. import access, staff_import
from ..forms import ApplyStaffImportForm, StaffImportForm
from ..models import Grade, StaffImport
from ..staff_file import COLUMNS, DESTINATIONS, KINDS, megabytes

RECENT_IMPORTS_SHOWN = 10
IN_PROGRESS = (
    StaffImport.Status.CHECKING,
    StaffImport.Status.QUEUED,
    StaffImport.Status.APPLYING,
)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a staff file; it is checked at once and the preview shows what it would do."""
    organisation = access.get_administered_organisation(request.actor, pk)
    form = StaffImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_valid():
        try:
            checked = staff_import.preview_staff_import(
                actor=request.actor,
                uploaded_file=form.cleaned_data["file"],
                full_import=form.cleaned_data["full_import"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("partnership:staff-import-detail", pk=checked.pk)
    recent = (
        StaffImport.objects.filter(organisation=organisation)
        .select_related("uploaded_by")
        .defer("rows", "uploaded_file", "summary")
    )
    context = {
        "organisation": organisation,
        "form": form,
        "destinations": DESTINATIONS.values(),
        "kinds": KINDS.values(),
        "max_size": megabytes(settings.STAFF_IMPORT_MAX_BYTES),
        "recent_imports": recent[:RECENT_IMPORTS_SHOWN],
    }
    return render(request, "partnership/imports/upload.html", context)


@require_GET
def template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV with the documented column headings and one made-up example row."""
    organisation = access.get_administered_organisation(request.actor, pk)
    grade = Grade.objects.filter(organisation=organisation).values_list("name", flat=True).first()
    example = {
        "employee_number": "100234",
        "given_name": "Alex",
        "family_name": "Example",
        "work_email": "alex.example@example.org",
        "job_title": "Social worker",
        "start_date": "2024-04-01",
        "grade": grade or "",
        "kind": KINDS["permanent"],
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(column.label) for column in COLUMNS])
    writer.writerow([neutralise(example.get(column.key, "")) for column in COLUMNS])
    # The byte order mark makes Excel read the file as UTF-8.
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="staff-import-template.csv"'
    return response


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview (problems, or the changes to confirm), the progress, or the result."""
    checked = access.get_staff_import_for(request.actor, pk)
    context = _context(checked) | {"form": ApplyStaffImportForm()}
    return render(request, "partnership/imports/detail.html", context)


@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the preview: the import is applied in the background."""
    checked = access.get_staff_import_for(request.actor, pk)
    if checked.status != StaffImport.Status.PREVIEWED:
        # A second press of the button: the import is already under way or done.
        return redirect("partnership:staff-import-detail", pk=checked.pk)
    form = ApplyStaffImportForm(request.POST)
    if form.is_valid():
        try:
            staff_import.queue_staff_import(
                actor=request.actor,
                staff_import=checked,
                mark_missing_as_leavers=form.cleaned_data["mark_missing_as_leavers"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("partnership:staff-import-detail", pk=checked.pk)
    context = _context(checked) | {"form": form}
    return render(request, "partnership/imports/detail.html", context)


@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, which the detail page polls with htmx while the import runs."""
    checked = access.get_staff_import_for(request.actor, pk)
    response = render(request, "partnership/imports/_progress.html", _context(checked))
    if request.headers.get("HX-Request") and checked.status not in IN_PROGRESS:
        # Done: htmx reloads the whole page, which then shows the result.
        response["HX-Refresh"] = "true"
    return response


def _context(checked: StaffImport) -> dict:
    total = checked.total_rows
    summary = checked.summary
    return {
        "organisation": checked.organisation,
        "staff_import": checked,
        "in_progress": checked.status in IN_PROGRESS,
        "percent": min(100, checked.processed_rows * 100 // total) if total else 0,
        "counts": summary.get("counts", {}),
        "problems": summary.get("problems", []),
        "problem_count": summary.get("problem_count", 0),
        "ignored_columns": summary.get("ignored_columns", []),
        "error": summary.get("error", ""),
    }
