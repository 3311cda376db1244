"""Commitment statement pages: one version laid out to read, with its signatures, who signs next
and the Sign button for the party whose turn it is; signing; and the HTML and PDF downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from joinedup.partnership.views.manage import show_refusal

from .. import access, statement_files, statements
from ..models import CommitmentStatement
from ..statement_forms import SignForm


def _page(
    request: HttpRequest, statement: CommitmentStatement, form: SignForm | None = None
) -> HttpResponse:
    actor = request.actor
    enrolment = statement.enrolment
    versions = list(
        enrolment.commitment_statements.order_by("-version").only(
            "pk", "version", "reason", "created_at", "fully_signed_at", "enrolment_id"
        )
    )
    latest = versions[0]
    signed = statements.signed_parties(statement)
    is_latest = latest.version == statement.version
    next_party = access.next_party(set(signed)) if is_latest else None
    my_party = access.party_of(actor, enrolment)
    may_sign = my_party is not None and my_party == next_party
    context = {
        "statement": statement,
        "enrolment": enrolment,
        "content": statement.content,
        "versions": versions,
        "latest": latest,
        "is_latest": is_latest,
        "signature_rows": statement_files.signature_rows(statement, signed),
        "status": statement_files.status_text(statement),
        "next_party": next_party,
        "next_party_name": statements.PARTY_NAMES.get(next_party, ""),
        "my_party_name": statements.PARTY_NAMES.get(my_party, ""),
        "may_sign": may_sign,
        "form": form if form is not None else SignForm(),
    }
    return render(request, "apprenticeships/statements/detail.html", context)


@require_GET
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A version of the statement, its signatures, who signs next, and the other versions."""
    return _page(request, access.get_statement_for(request.actor, pk))


@require_POST
def sign_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the version for the actor's party; a refusal is shown on the statement's page."""
    actor = request.actor
    statement = access.get_statement_for(actor, pk)
    if access.party_of(actor, statement.enrolment) is None:
        raise PermissionDenied
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            signature = statements.sign(actor=actor, statement=statement)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            label = statements.PARTY_NAMES[signature.party]
            done = " It is now fully signed." if statement.fully_signed_at else ""
            messages.success(request, f"You signed version {statement.version} for {label}.{done}")
            return redirect("apprenticeships:statement", pk=statement.pk)
    return _page(request, statement, form)


@require_GET
def statement_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a standalone HTML file to keep."""
    statement = access.get_statement_for(request.actor, pk)
    html = statement_files.statement_html(statement, statements.signed_parties(statement))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    name = statement_files.file_name(statement, "html")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a PDF with its signatures and their times."""
    statement = access.get_statement_for(request.actor, pk)
    pdf = statement_files.statement_pdf(statement, statements.signed_parties(statement))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = statement_files.file_name(statement, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
