"""The working-day calendar pages: the bank holidays (anyone signed in reads them; partnership
leads add one or remove one they added, and see the warning when the list runs out), and the
acting organisation's closure days (its programme leaders list, add and remove them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, calendar_days
from ..calendar_forms import BankHolidayForm, ClosureDayForm


@require_GET
def bank_holidays(request: HttpRequest) -> HttpResponse:
    """Every stored bank holiday: GOV.UK's and those added here, with who added them."""
    actor = request.actor
    may_manage = access.may_manage_bank_holidays(actor)
    holidays = access.visible_bank_holidays(actor).select_related("added_by").order_by("on")
    context = {
        "holidays": holidays,
        "may_manage": may_manage,
        "warning": calendar_days.calendar_warning_for(actor, calendar_days.today()),
    }
    return render(request, "apprenticeships/calendar/bank_holidays.html", context)


@require_http_methods(["GET", "POST"])
def bank_holiday_new(request: HttpRequest) -> HttpResponse:
    """Add a bank holiday that GOV.UK's list lacks (partnership leads)."""
    if not access.may_manage_bank_holidays(request.actor):
        raise PermissionDenied
    form = BankHolidayForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            holiday = calendar_days.add_bank_holiday(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{holiday.title} on {_day(holiday.on)} is added.")
            return redirect("apprenticeships:bank_holidays")
    return render(request, "apprenticeships/calendar/bank_holiday_form.html", {"form": form})


@require_POST
def bank_holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a bank holiday added here (GOV.UK's own stay)."""
    holiday = access.get_removable_bank_holiday(request.actor, pk)
    try:
        calendar_days.remove_bank_holiday(actor=request.actor, holiday=holiday)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{holiday.title} on {_day(holiday.on)} is removed.")
    return redirect("apprenticeships:bank_holidays")


def _day(day) -> str:
    return calendar_days.day_text(day)


@require_GET
def closure_days(request: HttpRequest) -> HttpResponse:
    """The acting organisation's closure days, for its programme leaders."""
    actor = request.actor
    if not access.may_manage_closure_days(actor):
        raise PermissionDenied
    today = calendar_days.today()
    closures = access.visible_closure_days(actor).filter(provider=actor.organisation)
    closures = closures.select_related("added_by").order_by("on")
    context = {"closures": closures, "today": today, "organisation": actor.organisation}
    return render(request, "apprenticeships/calendar/closure_days.html", context)


@require_http_methods(["GET", "POST"])
def closure_day_new(request: HttpRequest) -> HttpResponse:
    """Add a closure day of the acting organisation (its programme leaders)."""
    if not access.may_manage_closure_days(request.actor):
        raise PermissionDenied
    form = ClosureDayForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            closure = calendar_days.add_closure_day(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"You are closed on {_day(closure.on)}.")
            return redirect("apprenticeships:closure_days")
    return render(request, "apprenticeships/calendar/closure_day_form.html", {"form": form})


@require_POST
def closure_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a closure day that has not passed."""
    closure = access.get_managed_closure_day(request.actor, pk)
    try:
        calendar_days.remove_closure_day(actor=request.actor, closure=closure)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You are no longer closed on {_day(closure.on)}.")
    return redirect("apprenticeships:closure_days")
