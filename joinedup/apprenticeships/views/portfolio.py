"""Portfolio pages: an enrolment's evidence list (filtered by KSB and state), adding and editing an
item (the apprentice), one item with its file and the tutor's decision, and the KSB coverage grid.
Everything is fetched through `access`; every change goes through `portfolio`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.lib.keyset import keyset_page
from joinedup.lib.uploads import attachment_response
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, portfolio
from ..models import CheckState, Enrolment, Evidence, EvidenceKind, Ksb
from ..portfolio_forms import CheckForm, EvidenceForm

ORDER = ("-created_at", "-id")
PAGE_SIZE = 25
TEMPLATES = "apprenticeships/portfolio"


def _ksbs(enrolment: Enrolment) -> list[Ksb]:
    """The standard's KSBs in the grid's order (knowledge, skills, behaviours)."""
    return [row.ksb for row in portfolio.coverage(enrolment)]


def _chosen_int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 18 else None


@require_GET
def evidence_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The enrolment's evidence, newest first, filtered by KSB and state, with the coverage
    summary; for everyone who sees the enrolment."""
    actor = request.actor
    enrolment = access.get_enrolment_for(actor, pk)
    rows = portfolio.coverage(enrolment)
    found = Evidence.objects.filter(enrolment=enrolment)
    ksb = _chosen_int(request, "ksb")
    if ksb is not None:
        found = found.filter(ksbs__id=ksb)
    state = request.GET.get("state", "")
    if state in CheckState.values:
        found = found.filter(state=state)
    else:
        state = ""
    page = keyset_page(
        found.prefetch_related("ksbs"),
        ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    for found_item in page.items:
        found_item.state_label = portfolio.STATE_LABELS[found_item.state]
    context = {
        "enrolment": enrolment,
        "page": page,
        "links": page_links(request, page),
        "summary": portfolio.summarise(rows),
        "ksbs": [(row.ksb.pk, row.ksb.code) for row in rows],
        "ksb": ksb,
        "states": list(portfolio.STATE_LABELS.items()),
        "state": state,
        "may_add": access.may_add_evidence(actor, enrolment) and portfolio.is_open(enrolment),
        "open": portfolio.is_open(enrolment),
    }
    return render(request, f"{TEMPLATES}/list.html", context)


@require_GET
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """The KSB coverage grid: each KSB with its counts, gaps first."""
    enrolment = access.get_enrolment_for(request.actor, pk)
    rows = portfolio.coverage(enrolment)
    summary = portfolio.summarise(rows)
    context = {
        "enrolment": enrolment,
        "summary": summary,
        "gaps": summary.gaps,
        "covered": [row for row in rows if row.covered],
    }
    return render(request, f"{TEMPLATES}/coverage.html", context)


def _form_page(request, enrolment, form, *, evidence=None) -> HttpResponse:
    context = {
        "enrolment": enrolment,
        "form": form,
        "evidence": evidence,
        "open": portfolio.is_open(enrolment),
    }
    return render(request, f"{TEMPLATES}/form.html", context)


@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice adds an item to their portfolio."""
    actor = request.actor
    enrolment = access.get_portfolio_enrolment(actor, pk)
    files = request.FILES if request.method == "POST" else None
    form = EvidenceForm(posted(request), files, ksbs=_ksbs(enrolment))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = portfolio.add_evidence(
                actor=actor,
                enrolment=enrolment,
                title=data["title"],
                kind=data["kind"],
                ksbs=data["ksbs"],
                **form.content(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Evidence added: your practice tutor will check it")
            return redirect("apprenticeships:evidence", pk=made.pk)
    return _form_page(request, enrolment, form)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice changes or replaces an item awaiting sign-off or queried."""
    actor = request.actor
    evidence = access.get_own_evidence(actor, pk)
    enrolment = evidence.enrolment
    initial = {
        "title": evidence.title,
        "kind": evidence.kind,
        "text": evidence.text,
        "url": evidence.url,
        "ksbs": list(evidence.ksbs.values_list("pk", flat=True)),
    }
    files = request.FILES if request.method == "POST" else None
    replacing = evidence.file_name if evidence.kind == EvidenceKind.FILE else ""
    form = EvidenceForm(
        posted(request), files, ksbs=_ksbs(enrolment), replacing=replacing, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            portfolio.edit_evidence(
                actor=actor,
                evidence=evidence,
                title=data["title"],
                kind=data["kind"],
                ksbs=data["ksbs"],
                **form.content(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Evidence changed: it is back with your practice tutor")
            return redirect("apprenticeships:evidence", pk=evidence.pk)
    return _form_page(request, enrolment, form, evidence=evidence)


def _item_page(request: HttpRequest, evidence: Evidence, form: CheckForm | None) -> HttpResponse:
    actor = request.actor
    enrolment = evidence.enrolment
    is_open = portfolio.is_open(enrolment)
    may_check = access.may_check_evidence(actor, enrolment) and is_open
    checkable = evidence.state in portfolio.CHANGEABLE
    if form is None and may_check and checkable:
        form = CheckForm()
    context = {
        "evidence": evidence,
        "enrolment": enrolment,
        "ksbs": evidence.ksbs.order_by("kind", "number", "code"),
        "state_label": portfolio.STATE_LABELS[evidence.state],
        "may_edit": access.may_add_evidence(actor, enrolment) and is_open and checkable,
        "form": form if may_check and checkable else None,
    }
    return render(request, f"{TEMPLATES}/item.html", context)


@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: its content or file, KSBs, state and the tutor's note; the tutor's decision form
    for those who may give it."""
    return _item_page(request, access.get_evidence_for(request.actor, pk), None)


@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """The practice tutor or a programme leader of the provider signs the item off or asks for
    more."""
    actor = request.actor
    evidence = access.get_checkable_evidence(actor, pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            portfolio.check_evidence(
                actor=actor, evidence=evidence, decision=data["decision"], note=data["note"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("apprenticeships:evidence", pk=evidence.pk)
            show_refusal(form, error)
        else:
            done = "Signed off" if data["decision"] == portfolio.SIGN_OFF else "More asked for"
            messages.success(request, f"{done}: {evidence.title}")
            return redirect("apprenticeships:evidence", pk=evidence.pk)
    return _item_page(request, evidence, form)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's file, for everyone who sees the item (after that check)."""
    evidence = access.get_evidence_for(request.actor, pk)
    if evidence.kind != EvidenceKind.FILE or not evidence.storage_name:
        raise Http404("This evidence has no file")
    try:
        return attachment_response(
            evidence.storage_name, file_name=evidence.file_name, content_type=evidence.content_type
        )
    except (FileNotFoundError, ValueError):
        raise Http404("This file is missing") from None
