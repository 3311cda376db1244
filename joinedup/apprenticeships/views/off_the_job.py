"""Off-the-job pages: an enrolment's log with its totals and on-track status, logging, editing and
deleting an entry (the apprentice), checking one (the practice tutor or a programme leader), and
the entries awaiting a check. Everything is fetched through `access`; every change goes through
`off_the_job`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.keyset import keyset_page
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, off_the_job
from ..models import CheckState, Enrolment
from ..off_the_job_forms import CheckForm, EntryForm

LOG_ORDER = ("-on", "-id")
QUEUE_ORDER = ("on", "id")
PAGE_SIZE = 50


def _log_link(enrolment: Enrolment | int) -> HttpResponse:
    pk = enrolment if isinstance(enrolment, int) else enrolment.pk
    return redirect("apprenticeships:off_the_job_log", pk=pk)


@require_GET
def log(request: HttpRequest, pk: int) -> HttpResponse:
    """The enrolment's entries, newest first, with required, planned, logged and verified hours
    and whether the apprentice is on track (whoever sees the enrolment)."""
    actor = request.actor
    enrolment = access.get_enrolment_for(actor, pk)
    found = enrolment.off_the_job.select_related("checked_by").prefetch_related("ksbs")
    page = keyset_page(
        found,
        LOG_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    hours = off_the_job.totals(enrolment)
    context = {
        "enrolment": enrolment,
        "page": page,
        "links": page_links(request, page),
        "totals": hours,
        "status": off_the_job.on_track_for(enrolment, hours),
        "may_log": access.may_log_off_the_job(actor, enrolment),
        "may_check": access.may_check_off_the_job(actor, enrolment),
        "editable": off_the_job.EDITABLE,
        "checkable": off_the_job.CHECKABLE,
    }
    return render(request, "apprenticeships/off_the_job/log.html", context)


def _entry_fields(form: EntryForm) -> dict:
    data = form.cleaned_data
    return {
        "on": data["on"],
        "hours": data["hours"],
        "activity": data["activity"],
        "ksb_ids": data["ksbs"],
        "reflection": data["reflection"],
    }


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice logs off-the-job time."""
    actor = request.actor
    enrolment = access.get_loggable_enrolment(actor, pk)
    form = EntryForm(posted(request), enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            off_the_job.log_entry(actor=actor, enrolment=enrolment, **_entry_fields(form))
        except ValidationError as error:
            show_refusal(form, error, field_for={"ksb_ids": "ksbs"})
        else:
            messages.success(request, "Off-the-job time logged: your tutor will check it")
            return _log_link(enrolment)
    context = {"form": form, "enrolment": enrolment, "title": "Log off-the-job time"}
    return render(request, "apprenticeships/off_the_job/form.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice changes an entry awaiting the tutor or queried."""
    actor = request.actor
    entry = access.get_own_off_the_job_entry(actor, pk)
    enrolment = entry.enrolment
    initial = {
        "on": entry.on,
        "hours": entry.hours,
        "activity": entry.activity,
        "ksbs": list(entry.ksbs.values_list("pk", flat=True)),
        "reflection": entry.reflection,
    }
    form = EntryForm(posted(request), enrolment=enrolment, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            off_the_job.edit_entry(actor=actor, entry=entry, **_entry_fields(form))
        except ValidationError as error:
            show_refusal(form, error, field_for={"ksb_ids": "ksbs"})
        else:
            messages.success(request, "Entry changed: your tutor will check it")
            return _log_link(enrolment)
    context = {
        "form": form,
        "enrolment": enrolment,
        "entry": entry,
        "title": "Change off-the-job time",
        "locked": entry.state not in off_the_job.EDITABLE,
    }
    return render(request, "apprenticeships/off_the_job/form.html", context)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice deletes an entry awaiting the tutor or queried (asked to confirm first)."""
    actor = request.actor
    entry = access.get_own_off_the_job_entry(actor, pk)
    error = None
    if request.method == "POST":
        try:
            off_the_job.delete_entry(actor=actor, entry=entry)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, "Entry deleted")
            return _log_link(entry.enrolment_id)
    context = {
        "entry": entry,
        "enrolment": entry.enrolment,
        "error": error,
        "locked": entry.state not in off_the_job.EDITABLE,
    }
    return render(request, "apprenticeships/off_the_job/delete.html", context)


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """The practice tutor or a programme leader of the provider verifies or queries an entry."""
    actor = request.actor
    entry = access.get_checkable_off_the_job_entry(actor, pk)
    form = CheckForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            off_the_job.check_entry(
                actor=actor, entry=entry, decision=data["decision"], note=data["note"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            done = "verified" if entry.state == CheckState.ACCEPTED else "queried"
            messages.success(request, f"Entry {done}")
            if request.POST.get("next") == "queue":
                return redirect("apprenticeships:off_the_job_to_check")
            return _log_link(entry.enrolment_id)
    context = {
        "form": form,
        "entry": entry,
        "enrolment": entry.enrolment,
        "ksbs": entry.ksbs.all(),
        "locked": entry.state not in off_the_job.CHECKABLE,
        "from_queue": request.GET.get("from") == "queue" or request.POST.get("next") == "queue",
    }
    return render(request, "apprenticeships/off_the_job/check.html", context)


@require_GET
def to_check(request: HttpRequest) -> HttpResponse:
    """Entries awaiting a check across the actor's tutees (and, for a programme leader, the
    acting provider's enrolments), oldest first."""
    found = access.off_the_job_to_check(request.actor).select_related(
        "enrolment__apprentice", "enrolment__employer"
    )
    page = keyset_page(
        found,
        QUEUE_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    context = {"page": page, "links": page_links(request, page)}
    return render(request, "apprenticeships/off_the_job/to_check.html", context)
