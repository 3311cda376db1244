"""Opportunities: the search, an opportunity with its apply form, recommended for you, and the
host's pages (their opportunities, new, change, close, people who might fit)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.keyset import keyset_page
from joinedup.partnership.access import partner_organisations
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, applications, opportunities, recommendations
from ..models import LIVE_APPLICATION, Opportunity, OpportunityStatus
from ..opportunity_forms import ApplyForm, OpportunityForm, SearchForm

PAGE_SIZE = 25
SEARCH_ORDER = ("closes_on", "id")
LIST_LIMIT = 200


def _organisations(request: HttpRequest) -> list:
    return list(partner_organisations(request.actor).order_by("name", "pk"))


@require_GET
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """Open opportunities across the partnership, searched and filtered, closing soonest first."""
    form = SearchForm(request.GET, organisations=_organisations(request))
    form.is_valid()
    filters = form.cleaned_data
    found = recommendations.search_opportunities(
        request.actor,
        kind=filters.get("kind", ""),
        host=filters.get("host"),
        sector=filters.get("sector", ""),
        text=filters.get("q", ""),
        remote=True if filters.get("remote") else None,
    )
    page = keyset_page(
        found,
        SEARCH_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "page": page,
        "links": page_links(request, page),
        "may_host": access.may_host(request.actor),
    }
    return render(request, "talent/opportunities/list.html", context)


def _skills(opportunity: Opportunity) -> dict[str, list[str]]:
    lists = opportunities.current_lists(opportunity)
    return {"essential": lists["essential_skills"], "desirable": lists["desirable_skills"]}


@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An opportunity with what it asks for, and the apply form for who may apply."""
    opportunity = access.get_opportunity_for(request.actor, pk)
    mine = (
        access.my_applications(request.actor)
        .filter(opportunity=opportunity, status__in=LIVE_APPLICATION)
        .first()
    )
    refusal = applications.refusal_to_apply(request.actor, opportunity) if mine is None else None
    context = {
        "opportunity": opportunity,
        "skills": _skills(opportunity),
        "audience": applications.audience_text(opportunity),
        "may_manage": access.may_manage_opportunity(request.actor, opportunity),
        "mine": mine,
        "refusal": refusal,
        "form": ApplyForm() if mine is None and refusal is None else None,
    }
    return render(request, "talent/opportunities/detail.html", context)


@require_http_methods(["GET", "POST"])
def opportunity_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply with a statement (the detail page shows the same form)."""
    opportunity = access.get_opportunity_for(request.actor, pk)
    form = ApplyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.apply(
                actor=request.actor,
                opportunity=opportunity,
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Your application for {opportunity.title} is sent.")
            return redirect("talent:application", pk=application.pk)
    refusal = applications.refusal_to_apply(request.actor, opportunity)
    context = {"opportunity": opportunity, "form": form, "refusal": refusal}
    return render(request, "talent/opportunities/apply.html", context)


@require_GET
def recommended(request: HttpRequest) -> HttpResponse:
    """Open opportunities the person may apply for, best fit first, each with its reasons."""
    context = {"found": recommendations.recommended_for(request.actor)}
    return render(request, "talent/opportunities/recommended.html", context)


# --- The host's pages -------------------------------------------------------------------------


@require_GET
def hosted(request: HttpRequest) -> HttpResponse:
    """The acting organisation's opportunities, for its L&D leads and admins."""
    if not access.may_host(request.actor):
        raise PermissionDenied
    found = access.hosted_opportunities(request.actor).order_by("-created_at", "-id")
    context = {"opportunities": list(found[:LIST_LIMIT]), "limit": LIST_LIMIT}
    return render(request, "talent/opportunities/hosted.html", context)


def _values(opportunity: Opportunity) -> dict:
    values = {field: getattr(opportunity, field) for field in opportunities.FIELDS}
    lists = opportunities.current_lists(opportunity)
    values["essential_skills"] = ", ".join(lists["essential_skills"])
    values["desirable_skills"] = ", ".join(lists["desirable_skills"])
    values["audience_organisations"] = lists["audience_organisations"]
    values["audience_sectors"] = lists["audience_sectors"]
    return values


@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest) -> HttpResponse:
    """Offer an opportunity across the partnership (open at once)."""
    if not access.may_host(request.actor):
        raise PermissionDenied
    form = OpportunityForm(posted(request), organisations=_organisations(request))
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = opportunities.create_opportunity(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{opportunity.title} is open for applications.")
            return redirect("talent:opportunity", pk=opportunity.pk)
    context = {"form": form, "title": "Offer an opportunity", "button": "Open for applications"}
    return render(request, "talent/opportunities/form.html", context)


@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an open or closed opportunity."""
    opportunity = access.get_managed_opportunity(request.actor, pk)
    form = OpportunityForm(
        posted(request), initial=_values(opportunity), organisations=_organisations(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = opportunities.update_opportunity(
                actor=request.actor, opportunity=opportunity, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Opportunity saved." if changed else "Nothing was changed.")
            return redirect("talent:opportunity", pk=opportunity.pk)
    context = {
        "form": form,
        "title": f"Change {opportunity.title}",
        "button": "Save",
        "opportunity": opportunity,
    }
    return render(request, "talent/opportunities/form.html", context)


CLOSING_ACTIONS = {
    "close": (opportunities.close_opportunity, "is closed to applications"),
    "reopen": (opportunities.reopen_opportunity, "is open for applications again"),
    "withdraw": (opportunities.withdraw_opportunity, "is withdrawn"),
}


@require_http_methods(["GET", "POST"])
def opportunity_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an opportunity to applications, open it again, or withdraw it."""
    opportunity = access.get_managed_opportunity(request.actor, pk)
    error = None
    if request.method == "POST":
        action = CLOSING_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            error = "Choose whether to close, reopen or withdraw the opportunity"
        else:
            service, done = action
            try:
                service(actor=request.actor, opportunity=opportunity)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                messages.success(request, f"{opportunity.title} {done}.")
                return redirect("talent:opportunity", pk=opportunity.pk)
    context = {
        "opportunity": opportunity,
        "error": error,
        "may_close": opportunity.status == OpportunityStatus.OPEN,
        "may_reopen": opportunity.status == OpportunityStatus.CLOSED,
        "may_withdraw": opportunity.status
        in (OpportunityStatus.OPEN, OpportunityStatus.CLOSED, OpportunityStatus.DRAFT),
    }
    return render(request, "talent/opportunities/close.html", context)


@require_GET
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's people who might fit: the best discoverable profiles, with reasons."""
    opportunity = access.get_managed_opportunity(request.actor, pk)
    context = {
        "opportunity": opportunity,
        "fits": recommendations.people_who_might_fit(request.actor, opportunity),
        "top": recommendations.TOP,
    }
    return render(request, "talent/opportunities/candidates.html", context)
