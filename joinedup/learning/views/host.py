"""The host's pages: its programmes and runs, a run's bookings, releasing early, the release log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.actor import Actor
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, hosting, services, similar
from ..forms import ConfirmForm
from ..host_forms import FIELD_FOR, CancelRunForm, ProgrammeForm, RunForm, run_initial
from ..models import DeliveryMode, Programme

# Blank session rows offered beyond a run's own (there is no script to add rows).
SPARE_SESSION_ROWS = 2
NEW_RUN_SESSION_ROWS = 4


def host_links(actor: Actor) -> dict[str, bool]:
    """Which host pages the side navigation of the learning pages offers the actor."""
    return {
        "manages_programmes": access.may_manage_programmes(actor),
        "sees_release_log": access.may_see_release_log(actor),
    }


@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """The acting organisation's programmes and their runs, for its L&D leads and leaders."""
    if not access.may_manage_programmes(request.actor):
        raise PermissionDenied
    page = hosting.programmes_page(
        request.actor, after=request.GET.get("after"), before=request.GET.get("before")
    )
    context = {"programmes": page.items, "links": page_links(request, page)}
    return render(request, "learning/host/manage.html", context)


def _programme_values(programme: Programme) -> dict:
    values = {field: getattr(programme, field) for field in services.PROGRAMME_FIELDS}
    values["topics"] = ", ".join(programme.topics.values_list("name", flat=True))
    return values


@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    """Add a programme the acting organisation hosts."""
    if not access.may_manage_programmes(request.actor):
        raise PermissionDenied
    form = ProgrammeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error, field_for=FIELD_FOR)
        else:
            messages.success(request, f"{programme.title} is added. Now add its first run.")
            return redirect("learning:run-new", pk=programme.pk)
    context = {"form": form, "title": "Add a programme", "button": "Add programme"}
    return render(request, "learning/host/programme_form.html", context)


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a programme's details."""
    programme = access.get_managed_programme(request.actor, pk)
    form = ProgrammeForm(posted(request), initial=_programme_values(programme))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_programme(
                actor=request.actor, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error, field_for=FIELD_FOR)
        else:
            done = "saved" if changed else "unchanged"
            messages.success(request, f"{programme.title} is {done}.")
            return redirect("learning:manage")
    context = {
        "form": form,
        "programme": programme,
        "title": f"Change {programme.title}",
        "button": "Save changes",
    }
    return render(request, "learning/host/programme_form.html", context)


@require_http_methods(["GET", "POST"])
def run_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a run of a programme: its sessions or completion deadline, places and charging."""
    programme = access.get_managed_programme(request.actor, pk)
    self_paced = programme.delivery_mode == DeliveryMode.SELF_PACED
    rows = 0 if self_paced else NEW_RUN_SESSION_ROWS
    initial = {"partner_price": programme.partner_price, "offer_window_hours": 48}
    form = RunForm(posted(request), session_rows=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.add_run(
                actor=request.actor, programme=programme, **form.service_arguments()
            )
        except ValidationError as error:
            show_refusal(form, error, field_for=FIELD_FOR)
        else:
            messages.success(request, f"Run {run.pk} is added.")
            return redirect("learning:run-manage", pk=run.pk)
    context = {
        "form": form,
        "programme": programme,
        "self_paced": self_paced,
        "title": f"Add a run of {programme.title}",
        "button": "Add run",
        # Just added (no runs yet): what is already like it, to join or reuse instead.
        "similar": None
        if programme.runs.exists()
        else similar.similar_for_programme(programme, request.actor),
    }
    return render(request, "learning/host/run_form.html", context)


@require_GET
def run_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's view of a run: who holds, waits for and reserves its places."""
    found = access.get_hosted_run(request.actor, pk)
    context = {"page": hosting.run_management(found)}
    return render(request, "learning/host/run_manage.html", context)


@require_http_methods(["GET", "POST"])
def run_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a run; everyone booked hears of changes that matter to them."""
    found = access.get_hosted_run(request.actor, pk)
    self_paced = found.programme.delivery_mode == DeliveryMode.SELF_PACED
    existing = found.sessions.count()
    rows = existing + (0 if self_paced and not existing else SPARE_SESSION_ROWS)
    form = RunForm(posted(request), session_rows=rows, initial=run_initial(found))
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if arguments["partner_price"] is None:
            arguments["partner_price"] = found.programme.partner_price
        try:
            changed = services.update_run(actor=request.actor, run=found, **arguments)
        except ValidationError as error:
            show_refusal(form, error, field_for=FIELD_FOR)
        else:
            messages.success(request, "The run is saved." if changed else "Nothing changed.")
            return redirect("learning:run-manage", pk=found.pk)
    context = {
        "form": form,
        "programme": found.programme,
        "run": found,
        "self_paced": self_paced and not existing,
        "title": f"Change run {found.pk} of {found.programme.title}",
        "button": "Save changes",
    }
    return render(request, "learning/host/run_form.html", context)


@require_http_methods(["GET", "POST"])
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a run with a reason; every booking on it is cancelled and its place freed."""
    found = access.get_hosted_run(request.actor, pk)
    form = CancelRunForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.cancel_run(
                actor=request.actor, run=found, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(form, error, field_for=FIELD_FOR)
        else:
            messages.success(
                request, f"The run is cancelled, with {len(cancelled)} bookings on it."
            )
            return redirect("learning:run-manage", pk=found.pk)
    return render(request, "learning/host/run_cancel.html", {"form": form, "run": found})


@require_http_methods(["GET", "POST"])
def run_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Release the run's unfilled places to partners now, before its cut-off."""
    found = access.get_hosted_run(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        # release_unfilled_places gives nothing for a cancelled or released run, without saying why.
        if found.is_cancelled():
            form.add_error(None, "This run has been cancelled.")
        elif found.is_released():
            form.add_error(None, "This run's places are already released.")
        else:
            given = services.release_unfilled_places(actor=request.actor, run=found)
            messages.success(
                request, f"The run's places are released: {len(given)} given to people waiting."
            )
            return redirect("learning:run-manage", pk=found.pk)
    context = {"form": form, "page": hosting.run_management(found)}
    return render(request, "learning/host/run_release.html", context)


@require_GET
def release_log(request: HttpRequest) -> HttpResponse:
    """Releases of the host's runs (or, for a partnership lead, of every member's), newest first."""
    if not access.may_see_release_log(request.actor):
        raise PermissionDenied
    page, rows = hosting.release_log_page(
        request.actor, after=request.GET.get("after"), before=request.GET.get("before")
    )
    context = {"rows": rows, "links": page_links(request, page)}
    return render(request, "learning/host/release_log.html", context)
