"""Setting up a levy account: PAYE schemes, declarations entered or imported, and commitments.

Readers of the account's figures (its levy officers and admins, the partnership's levy and
partnership leads) see every page here; only the organisation's own levy officer changes
anything (`access.get_managed_account_for`: 404 for others' accounts, 403 for readers).
"""

from __future__ import annotations

import base64
import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.lib.spreadsheet_cells import neutralise
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, commitment_events, declarations, payments, queries
from ..declaration_file import COLUMNS, MAX_BYTES, megabytes
from ..forms import (
    CommitmentForm,
    ConfirmImportForm,
    DeclarationForm,
    EndCommitmentForm,
    ImportForm,
    SchemeForm,
)
from ..models import Commitment, CommitmentStatus, Declaration, LevyAccount
from ..standards import standards

RECENT_IMPORTS_SHOWN = 10
# The checked file waits here between the preview and the confirmation (one per account).
PENDING_IMPORT = "levy-import-{}"
FILE_GONE = "The checked file is no longer held: upload it again"


def _account_context(request: HttpRequest, account: LevyAccount) -> dict:
    return {
        "account": account,
        "organisation": account.organisation,
        "manages": access.may_manage_account(request.actor, account),
    }


@require_GET
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    """The account's PAYE schemes, recent imports and what can be set up."""
    account = access.get_account_for(request.actor, pk)
    schemes = account.schemes.annotate(declared=Count("declarations")).order_by("reference")
    recent = account.imports.select_related("uploaded_by")[:RECENT_IMPORTS_SHOWN]
    context = _account_context(request, account) | {
        "schemes": schemes,
        "recent_imports": recent,
        "commitments": account.commitments.filter(status=CommitmentStatus.ACTIVE).count(),
    }
    return render(request, "levy/setup_account.html", context)


@require_http_methods(["GET", "POST"])
def scheme_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a PAYE scheme to the account."""
    account = access.get_managed_account_for(request.actor, pk)
    form = SchemeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            scheme = declarations.add_scheme(
                actor=request.actor, account=account, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"PAYE scheme {scheme.reference} added")
            return redirect("levy:setup", pk=account.pk)
    context = _account_context(request, account) | {"form": form}
    return render(request, "levy/setup_scheme_add.html", context)


@require_GET
def declaration_list(request: HttpRequest, pk: int) -> HttpResponse:
    """One scheme's declarations for one tax year, each saying whether and why it counted."""
    account = access.get_account_for(request.actor, pk)
    schemes = list(account.schemes.order_by("reference"))
    years = declarations.tax_years(account)
    chosen_scheme = next(
        (scheme for scheme in schemes if str(scheme.pk) == request.GET.get("scheme")),
        schemes[0] if schemes else None,
    )
    year = request.GET.get("year", "")
    if year not in years:
        year = years[0] if years else declarations.current_tax_year(timezone.localdate())
    lines = declarations.declaration_lines(account, chosen_scheme, year) if chosen_scheme else []
    context = _account_context(request, account) | {
        "schemes": schemes,
        "years": years,
        "scheme": chosen_scheme,
        "year": year,
        "lines": lines,
    }
    return render(request, "levy/setup_declarations.html", context)


@require_http_methods(["GET", "POST"])
def declaration_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one month's declaration by hand; the ledger's funds in follow at once."""
    account = access.get_managed_account_for(request.actor, pk)
    initial = {"payroll_year": declarations.current_tax_year(timezone.localdate())}
    form = DeclarationForm(posted(request), account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = declarations.add_declaration(
                actor=request.actor,
                scheme=data["scheme"],
                payroll_year=data["payroll_year"],
                payroll_month=data["payroll_month"],
                levy_due_ytd=None if data["no_payment"] else data["levy_due_ytd"],
                submitted_on=data["submitted_on"],
                submission_id=data["submission_id"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Declaration for {declaration} recorded")
            query = f"?scheme={declaration.scheme_id}&year={declaration.payroll_year}"
            return redirect(reverse("levy:setup-declarations", kwargs={"pk": account.pk}) + query)
    context = _account_context(request, account) | {"form": form}
    return render(request, "levy/setup_declaration_add.html", context)


def _import_page(
    request: HttpRequest,
    account: LevyAccount,
    form: ImportForm,
    check: declarations.ImportCheck | None = None,
    refusal: str = "",
) -> HttpResponse:
    context = _account_context(request, account) | {
        "form": form,
        "check": check,
        "refusal": refusal,
        "columns": COLUMNS,
        "max_size": megabytes(MAX_BYTES),
        "confirm_form": ConfirmImportForm(initial={"sha256": check.sha256}) if check else None,
    }
    return render(request, "levy/setup_import.html", context)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a declarations CSV: every row is checked and the preview shows what it would add."""
    account = access.get_managed_account_for(request.actor, pk)
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, account, form)
    uploaded = form.cleaned_data["file"]
    data = uploaded.read()
    check = declarations.check_import(account=account, file_name=uploaded.name, data=data)
    if check.ok and check.new:
        request.session[PENDING_IMPORT.format(account.pk)] = {
            "sha256": check.sha256,
            "name": uploaded.name,
            "data": base64.b64encode(data).decode("ascii"),
        }
    return _import_page(request, account, form, check)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the file the preview showed, in one transaction."""
    account = access.get_managed_account_for(request.actor, pk)
    form = ConfirmImportForm(request.POST)
    pending = request.session.get(PENDING_IMPORT.format(account.pk))
    upload = ImportForm()
    if not form.is_valid() or pending is None or pending["sha256"] != form.cleaned_data["sha256"]:
        return _import_page(request, account, upload, refusal=FILE_GONE)
    try:
        check, recorded = declarations.import_declarations(
            actor=request.actor,
            account=account,
            file_name=pending["name"],
            data=base64.b64decode(pending["data"]),
        )
    except declarations.ImportRefused as refused:
        return _import_page(request, account, upload, refused.check)
    except ValidationError as error:
        return _import_page(request, account, upload, refusal=" ".join(error.messages))
    del request.session[PENDING_IMPORT.format(account.pk)]
    if recorded is None:
        messages.info(
            request, "Nothing was added: every declaration in the file is already recorded"
        )
        return redirect("levy:setup", pk=account.pk)
    messages.success(
        request, f"{recorded.added} declaration{'s' if recorded.added != 1 else ''} imported"
    )
    return redirect("levy:setup-import-detail", pk=recorded.pk)


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What one import added, by scheme."""
    found = access.get_declaration_import_for(request.actor, pk)
    by_scheme = (
        Declaration.objects.filter(imported_by=found)
        .order_by()
        .values("scheme__reference", "scheme_id")
        .annotate(added=Count("pk"))
        .order_by("scheme__reference")
    )
    context = _account_context(request, found.account) | {
        "declaration_import": found,
        "by_scheme": by_scheme,
    }
    return render(request, "levy/setup_import_detail.html", context)


@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV with the column headings and two example rows, using one of the account's schemes."""
    account = access.get_account_for(request.actor, pk)
    scheme = account.schemes.order_by("reference").first()
    reference = scheme.reference if scheme else "123/AB45678"
    example = [
        ["EPS-0001", reference, "25-26", "1", "12500.00", "2025-05-15"],
        ["EPS-0002", reference, "25-26", "2", "", "2025-06-16"],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(column) for column in COLUMNS])
    for row in example:
        writer.writerow([neutralise(cell) for cell in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="levy-declarations-template.csv"'
    return response


@require_GET
def declarations_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every declaration of the account as a CSV in the import's format.

    Importing it again adds nothing. Cells a spreadsheet would run as a formula are neutralised,
    so an id starting with one of those characters comes back with an apostrophe.
    """
    account = access.get_account_for(request.actor, pk)
    rows = (
        Declaration.objects.filter(scheme__account=account).select_related("scheme").order_by("id")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                neutralise(row.submission_id),
                neutralise(row.scheme.reference),
                neutralise(row.payroll_year),
                row.payroll_month,
                "" if row.levy_due_ytd is None else row.levy_due_ytd,
                row.submitted_on.isoformat(),
            ]
        )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="levy-declarations.csv"'
    return response


@require_GET
def commitment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprenticeships the account pays for."""
    account = access.get_account_for(request.actor, pk)
    context = _account_context(request, account) | {
        "commitments": account.commitments.order_by("-status", "start_on", "pk")
    }
    return render(request, "levy/setup_commitments.html", context)


@require_http_methods(["GET", "POST"])
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an apprenticeship the account pays a provider for."""
    account = access.get_managed_account_for(request.actor, pk)
    form = CommitmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        standard = standards()[data["standard"]]
        try:
            commitment = declarations.add_commitment(
                actor=request.actor,
                account=account,
                reference=data["reference"],
                provider=data["provider"],
                standard_code=standard.code,
                standard_title=standard.title,
                level=data["level"],
                start_on=data["start_on"],
                planned_end_on=data["planned_end_on"],
                price=data["price"],
                funding_band=data["funding_band"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Apprenticeship {commitment.reference} recorded")
            return redirect("levy:setup-commitment", pk=commitment.pk)
    context = _account_context(request, account) | {
        "form": form,
        "known_bands": [s for s in standards().values() if s.funding_band is not None],
    }
    return render(request, "levy/setup_commitment_add.html", context)


def _schedule(commitment: Commitment) -> payments.PaymentSchedule | None:
    try:
        return queries.schedule_of(commitment)
    except ValueError:
        return None


@require_GET
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One apprenticeship and its payment schedule, with what the employer pays above the band."""
    commitment = access.get_commitment_for(request.actor, pk)
    schedule = _schedule(commitment)
    lines = None
    if schedule is not None:
        lines = commitment_events.schedule_lines(
            schedule, commitment_events.posted_months(commitment)
        )
    context = _account_context(request, commitment.account) | {
        "commitment": commitment,
        "schedule": schedule,
        "lines": lines,
        "events": commitment.events.all(),
        "links": commitment_events.links_for(request.actor, commitment),
    }
    return render(request, "levy/setup_commitment.html", context)


@require_http_methods(["GET", "POST"])
def commitment_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that an apprenticeship was completed or stopped."""
    commitment = access.get_commitment_for(request.actor, pk)
    access.get_managed_account_for(request.actor, commitment.account_id)
    form = EndCommitmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            declarations.end_commitment(
                actor=request.actor, commitment=commitment, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"Apprenticeship {commitment.reference}: {commitment.get_status_display()}"
            )
            return redirect("levy:setup-commitment", pk=commitment.pk)
    context = _account_context(request, commitment.account) | {
        "commitment": commitment,
        "form": form,
    }
    return render(request, "levy/setup_commitment_end.html", context)


urlpatterns = [
    path("accounts/<int:pk>/setup/", setup, name="setup"),
    path("accounts/<int:pk>/schemes/add/", scheme_add, name="setup-scheme-add"),
    path("accounts/<int:pk>/declarations/", declaration_list, name="setup-declarations"),
    path("accounts/<int:pk>/declarations/add/", declaration_add, name="setup-declaration-add"),
    path("accounts/<int:pk>/declarations/import/", import_upload, name="setup-import"),
    path(
        "accounts/<int:pk>/declarations/import/confirm/",
        import_confirm,
        name="setup-import-confirm",
    ),
    path(
        "accounts/<int:pk>/declarations/template.csv",
        import_template,
        name="setup-import-template",
    ),
    path(
        "accounts/<int:pk>/declarations/export.csv",
        declarations_export,
        name="setup-declarations-export",
    ),
    path("declaration-imports/<int:pk>/", import_detail, name="setup-import-detail"),
    path("accounts/<int:pk>/commitments/", commitment_list, name="setup-commitments"),
    path("accounts/<int:pk>/commitments/add/", commitment_add, name="setup-commitment-add"),
    path("commitments/<int:pk>/", commitment_detail, name="setup-commitment"),
    path("commitments/<int:pk>/end/", commitment_end, name="setup-commitment-end"),
]
