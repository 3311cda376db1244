"""The directory pages: organisations, people, a person, and my profile."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import access, queries, services
from ..forms import NotificationPreferenceForm, OrganisationFilterForm, PeopleFilterForm
from .manage import page_links


def _valid_filters(form) -> dict:
    """The filters that passed validation; a bad one is reported on the page and left out."""
    form.is_valid()
    return form.cleaned_data


@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    """Every organisation of the actor's partnerships, searched by name and filtered."""
    form = OrganisationFilterForm(request.GET)
    filters = _valid_filters(form)
    page = queries.organisations_directory(
        request.actor,
        query=filters.get("q", ""),
        sector=filters.get("sector", ""),
        kind=filters.get("kind", ""),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    context = {"form": form, "organisations": page.items, "links": page_links(request, page)}
    return render(request, "partnership/directory/organisations.html", context)


@require_GET
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation: its details, memberships and links to its staff."""
    found = access.get_organisation_for(request.actor, pk)
    context = {"page": queries.organisation_page(request.actor, found)}
    return render(request, "partnership/directory/organisation.html", context)


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """The people directory the actor may read, searched, filtered, one keyset page at a time."""
    form = PeopleFilterForm(
        request.GET, organisations=queries.directory_organisation_choices(request.actor)
    )
    filters = _valid_filters(form)
    page = queries.people_directory(
        request.actor,
        query=filters.get("q", ""),
        job_title=filters.get("job_title", ""),
        organisation_id=filters.get("organisation"),
        sector=filters.get("sector", ""),
        band=filters.get("band", ""),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    filtered = any(
        filters.get(name) for name in ("q", "job_title", "organisation", "sector", "band")
    )
    context = {
        "form": form,
        "employments": page.items,
        "links": page_links(request, page),
        "filtered": filtered or bool(form.errors),
    }
    return render(request, "partnership/directory/people.html", context)


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: current jobs, history where the actor may see it, and roles."""
    found = access.get_person_for(request.actor, pk)
    context = {"page": queries.person_page(request.actor, found)}
    return render(request, "partnership/directory/person.html", context)


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record and notification preference."""
    profile = queries.profile_page(request.actor)
    form = NotificationPreferenceForm(
        initial={"email_optional": "yes" if profile.email_optional else "no"}
    )
    return render(request, "partnership/directory/profile.html", {"profile": profile, "form": form})


@require_POST
def profile_notifications(request: HttpRequest) -> HttpResponse:
    """Change whether the signed-in person gets reminder and digest e-mails."""
    form = NotificationPreferenceForm(request.POST)
    if not form.is_valid():
        profile = queries.profile_page(request.actor)
        return render(
            request, "partnership/directory/profile.html", {"profile": profile, "form": form}
        )
    services.set_notification_preference(
        actor=request.actor, email_optional=form.cleaned_data["email_optional"]
    )
    messages.success(request, "Your notification preference has been saved.")
    return redirect("partnership:profile")
