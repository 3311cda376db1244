"""Programmes and cohorts: the partnership's programmes, a programme's modules, assignments, staff
and cohorts, a cohort's dates; and the programme leaders' forms that set them up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.partnership.access import acting_partnerships
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, programmes
from ..models import Assignment, CohortDeadline, CohortModule, Module, Programme
from ..programme_forms import (
    AssignmentForm,
    CohortForm,
    ConfirmForm,
    ModuleForm,
    ProgrammeForm,
    StaffForm,
)

FORM = "apprenticeships/programmes/form.html"
CONFIRM = "apprenticeships/programmes/confirm.html"


# --- Reading -------------------------------------------------------------------------------------


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    """The partnership's programmes: provider, standard, level and the next cohort to start."""
    actor = request.actor
    found = programmes.with_next_cohort(access.visible_programmes(actor)).order_by("title", "pk")
    context = {
        "programmes": list(found),
        "may_run_programmes": access.may_run_programmes(actor),
    }
    return render(request, "apprenticeships/programmes/list.html", context)


def _modules(programme: Programme) -> list[Module]:
    modules = list(
        programme.modules.order_by("order").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.order_by("pk"))
        )
    )
    for module in modules:
        module.weighting_sum = sum(a.weighting for a in module.assignments.all())
        module.weighting_warning = programmes.weighting_warning(module, module.weighting_sum)
    return modules


@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's modules in order with their assignments and weightings, its staff and its
    cohorts."""
    actor = request.actor
    programme = access.get_programme_for(actor, pk)
    context = {
        "programme": programme,
        "modules": _modules(programme),
        "staff": programmes.staff_of(programme),
        "cohorts": list(programme.cohorts.order_by("starts_on", "pk")),
        "may_manage": access.may_manage_programme(actor, programme),
    }
    return render(request, "apprenticeships/programmes/detail.html", context)


@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cohort's module dates and deadlines; for the provider's programme leaders the number of
    apprentices from each employer; the apprentices the viewer may see by name."""
    actor = request.actor
    cohort = access.get_cohort_for(actor, pk)
    module_dates = list(
        CohortModule.objects.filter(cohort=cohort)
        .select_related("module")
        .order_by("starts_on", "module__order")
    )
    deadlines = list(
        CohortDeadline.objects.filter(cohort=cohort)
        .select_related("assignment__module")
        .order_by("due_on", "assignment__module__order", "pk")
    )
    counts = access.cohort_counts_by_employer(actor, cohort)
    seen = list(
        access.visible_enrolments(actor)
        .filter(cohort=cohort)
        .select_related("apprentice", "employer")
        .order_by("apprentice__family_name", "apprentice__given_name", "pk")
    )
    may_manage = access.may_manage_programme(actor, cohort.programme)
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "module_dates": module_dates,
        "missing_dates": cohort.programme.modules.exclude(
            pk__in=[row.module_id for row in module_dates]
        ).exists(),
        "deadlines": deadlines,
        "counts": counts,
        "total": sum(row["count"] for row in counts),
        "seen": seen,
        "may_manage": may_manage,
        "may_enrol": access.may_enrol_on(actor, cohort),
    }
    return render(request, "apprenticeships/programmes/cohort.html", context)


# --- Programmes ----------------------------------------------------------------------------------


def _render_form(request: HttpRequest, form, *, title: str, button: str, **extra) -> HttpResponse:
    return render(request, FORM, {"form": form, "title": title, "button": button, **extra})


@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    """A programme leader sets up a programme their organisation provides."""
    actor = request.actor
    if not access.may_run_programmes(actor):
        raise PermissionDenied
    partnerships = list(acting_partnerships(actor))
    form = ProgrammeForm(posted(request), partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("partnership", None)
        partnership = next((p for p in partnerships if p.pk == chosen), None)
        try:
            programme = programmes.create_programme(actor=actor, partnership=partnership, **data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{programme.title} is set up. Add its modules next.")
            return redirect("apprenticeships:programme", pk=programme.pk)
    return _render_form(request, form, title="Set up a programme", button="Set up programme")


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a programme's standard, title and summary."""
    programme = access.get_managed_programme(request.actor, pk)
    initial = {
        "standard": programme.standard.reference_code,
        "title": programme.title,
        "summary": programme.summary,
    }
    form = ProgrammeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = programmes.change_programme(
                actor=request.actor, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Programme saved." if changed else "Nothing was changed.")
            return redirect("apprenticeships:programme", pk=programme.pk)
    return _render_form(
        request, form, title=f"Change {programme.title}", button="Save", programme=programme
    )


# --- Modules and assignments ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def module_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a module at the end of the programme."""
    programme = access.get_managed_programme(request.actor, pk)
    form = ModuleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            module = programmes.add_module(
                actor=request.actor, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Module {module.order}, {module.title}, is added.")
            return redirect("apprenticeships:programme", pk=programme.pk)
    return _render_form(
        request, form, title="Add a module", button="Add module", programme=programme
    )


@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a module's title, weeks online, days on campus and term."""
    module = access.get_managed_module(request.actor, pk)
    initial = {
        "title": module.title,
        "online_weeks": module.online_weeks,
        "campus_days": module.campus_days,
        "term": module.term,
    }
    form = ModuleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = programmes.change_module(
                actor=request.actor, module=module, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Module saved." if changed else "Nothing was changed.")
            return redirect("apprenticeships:programme", pk=module.programme_id)
    return _render_form(
        request,
        form,
        title=f"Change module {module.order}",
        button="Save",
        programme=module.programme,
    )


@require_POST
def module_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a module one place up or down the programme's order."""
    module = access.get_managed_module(request.actor, pk)
    up = request.POST.get("direction") != "down"
    if programmes.move_module(actor=request.actor, module=module, up=up):
        messages.success(request, f"{module.title} moved {'up' if up else 'down'}.")
    return redirect("apprenticeships:programme", pk=module.programme_id)


@require_http_methods(["GET", "POST"])
def module_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a module with its assignments (refused once apprentices are enrolled)."""
    module = access.get_managed_module(request.actor, pk)
    form = ConfirmForm(posted(request))
    refusal = programmes.module_removal_refusal(module)
    if request.method == "POST" and form.is_valid():
        try:
            programmes.remove_module(actor=request.actor, module=module)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{module.title} is removed.")
            return redirect("apprenticeships:programme", pk=module.programme_id)
    context = {
        "form": form,
        "title": f"Remove module {module.order}, {module.title}",
        "text": "Its assignments, and its dates and deadlines in every cohort, are removed too.",
        "refusal": refusal,
        "button": "Remove module",
        "programme": module.programme,
    }
    return render(request, CONFIRM, context)


@require_http_methods(["GET", "POST"])
def assignment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an assignment to a module."""
    module = access.get_managed_module(request.actor, pk)
    form = AssignmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            assignment = programmes.add_assignment(
                actor=request.actor, module=module, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            _saved(request, f"{assignment.title} is added.", module)
            return redirect("apprenticeships:programme", pk=module.programme_id)
    return _render_form(
        request,
        form,
        title=f"Add an assignment to {module.title}",
        button="Add assignment",
        programme=module.programme,
    )


def _saved(request: HttpRequest, text: str, module: Module) -> None:
    """Say what was saved, and warn when the module's weightings no longer add up to 100."""
    messages.success(request, text)
    warning = programmes.weighting_warning(module)
    if warning:
        messages.warning(request, warning)


@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an assignment's title, brief and weighting."""
    assignment = access.get_managed_assignment(request.actor, pk)
    module = assignment.module
    initial = {
        "title": assignment.title,
        "brief": assignment.brief,
        "weighting": assignment.weighting,
    }
    form = AssignmentForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = programmes.change_assignment(
                actor=request.actor, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            _saved(request, "Assignment saved." if changed else "Nothing was changed.", module)
            return redirect("apprenticeships:programme", pk=module.programme_id)
    return _render_form(
        request,
        form,
        title=f"Change {assignment.title}",
        button="Save",
        programme=module.programme,
    )


@require_http_methods(["GET", "POST"])
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an assignment (refused once apprentices are enrolled)."""
    assignment = access.get_managed_assignment(request.actor, pk)
    module = assignment.module
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            programmes.remove_assignment(actor=request.actor, assignment=assignment)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            _saved(request, f"{assignment.title} is removed.", module)
            return redirect("apprenticeships:programme", pk=module.programme_id)
    context = {
        "form": form,
        "title": f"Remove {assignment.title}",
        "text": "Its deadline in every cohort is removed too.",
        "button": "Remove assignment",
        "programme": module.programme,
    }
    return render(request, CONFIRM, context)


# --- Staff ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def programme_staff(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's leaders and tutors, and naming another from the provider's staff."""
    programme = access.get_managed_programme(request.actor, pk)
    form = StaffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            named = programmes.name_staff(
                actor=request.actor, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{named.person.full_name} is named {named.get_role_display().lower()}.",
            )
            return redirect("apprenticeships:programme_staff", pk=programme.pk)
    context = {"form": form, "programme": programme, "staff": programmes.staff_of(programme)}
    return render(request, "apprenticeships/programmes/staff.html", context)


@require_POST
def staff_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """No longer name a leader or tutor on the programme."""
    staff = access.get_managed_staff(request.actor, pk)
    programmes.remove_staff(actor=request.actor, staff=staff)
    messages.success(
        request,
        f"{staff.person.full_name} is no longer a {staff.get_role_display().lower()} here.",
    )
    return redirect("apprenticeships:programme_staff", pk=staff.programme_id)


# --- Cohorts -------------------------------------------------------------------------------------


def _cohort_form(request: HttpRequest, programme: Programme, initial: dict | None) -> CohortForm:
    modules = list(programme.modules.order_by("order"))
    assignments = list(
        Assignment.objects.filter(module__programme=programme)
        .select_related("module")
        .order_by("module__order", "pk")
    )
    return CohortForm(posted(request), initial=initial, modules=modules, assignments=assignments)


def _render_cohort_form(request, form, *, title, button, programme, cohort=None) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "button": button,
        "programme": programme,
        "cohort": cohort,
        "head": [form[name] for name in ("name", "starts_on", "ends_on")],
        "module_fields": [
            (module, form[f"module_{module.pk}"], form[f"campus_{module.pk}"])
            for module in form.modules
        ],
        "deadline_fields": [form[f"deadline_{a.pk}"] for a in form.assignments],
    }
    return render(request, "apprenticeships/programmes/cohort_form.html", context)


@require_http_methods(["GET", "POST"])
def cohort_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new intake of the programme with its module dates and deadlines."""
    programme = access.get_managed_programme(request.actor, pk)
    form = _cohort_form(request, programme, None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = programmes.create_cohort(
                actor=request.actor, programme=programme, **form.dates()
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"The {cohort.name} cohort is set up.")
            return redirect("apprenticeships:cohort", pk=cohort.pk)
    return _render_cohort_form(
        request, form, title="Set up a cohort", button="Set up cohort", programme=programme
    )


@require_http_methods(["GET", "POST"])
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a cohort's name, dates, module dates and deadlines."""
    cohort = access.get_managed_cohort(request.actor, pk)
    initial = {"name": cohort.name, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on}
    for row in cohort.module_dates.all():
        initial[f"module_{row.module_id}"] = row.starts_on
        initial[f"campus_{row.module_id}"] = row.campus_from
    for row in cohort.deadlines.all():
        initial[f"deadline_{row.assignment_id}"] = row.due_on
    form = _cohort_form(request, cohort.programme, initial)
    if request.method == "POST" and form.is_valid():
        try:
            programmes.change_cohort(actor=request.actor, cohort=cohort, **form.dates())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Cohort saved.")
            return redirect("apprenticeships:cohort", pk=cohort.pk)
    return _render_cohort_form(
        request,
        form,
        title=f"Change the {cohort.name} cohort",
        button="Save",
        programme=cohort.programme,
        cohort=cohort,
    )


@require_http_methods(["GET", "POST"])
def cohort_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a cohort (refused when apprentices are enrolled on it)."""
    cohort = access.get_managed_cohort(request.actor, pk)
    form = ConfirmForm(posted(request))
    refusal = programmes.cohort_removal_refusal(cohort)
    if request.method == "POST" and form.is_valid():
        try:
            programmes.remove_cohort(actor=request.actor, cohort=cohort)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"The {cohort.name} cohort is removed.")
            return redirect("apprenticeships:programme", pk=cohort.programme_id)
    context = {
        "form": form,
        "title": f"Remove the {cohort.name} cohort",
        "text": "Its module dates and deadlines are removed too.",
        "refusal": refusal,
        "button": "Remove cohort",
        "programme": cohort.programme,
    }
    return render(request, CONFIRM, context)
