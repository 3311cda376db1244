"""Partnership lead pages: member organisations, partnership roles and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, services
from ..forms import AddOrganisationForm, ConfirmForm, GrantPartnershipRoleForm
from ..models import PartnershipRole
from .manage import audit_page, base_url, posted, show_refusal


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The partnership's member organisations, with when they joined and left."""
    partnership = access.get_led_partnership(request.actor)
    memberships = partnership.memberships.select_related("organisation").order_by(
        "organisation__name", "joined_on", "id"
    )
    return render(
        request,
        "partnership/partnership_admin/overview.html",
        {"partnership": partnership, "memberships": memberships},
    )


@require_http_methods(["GET", "POST"])
def add_organisation(request: HttpRequest) -> HttpResponse:
    """Add a member organisation and its first admin."""
    partnership = access.get_led_partnership(request.actor)
    form = AddOrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.add_organisation(
                actor=request.actor,
                partnership=partnership,
                base_url=base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{organisation.name} has joined {partnership.name}. We have emailed its first "
                "admin.",
            )
            return redirect("partnership:partnership-manage")
    return render(
        request,
        "partnership/partnership_admin/add_organisation.html",
        {"partnership": partnership, "form": form},
    )


@require_http_methods(["GET", "POST"])
def end_membership(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then end an organisation's membership: its data stays with it, sharing stops."""
    membership = access.get_led_membership(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(actor=request.actor, membership=membership)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{membership.organisation.name} is no longer a member of "
                f"{membership.partnership.name}.",
            )
            return redirect("partnership:partnership-manage")
    return render(
        request,
        "partnership/partnership_admin/end_membership.html",
        {"membership": membership, "form": form},
    )


@require_GET
def roles(request: HttpRequest) -> HttpResponse:
    """Everyone holding a partnership role."""
    partnership = access.get_led_partnership(request.actor)
    grants = partnership.role_grants.select_related("person").order_by(
        "role", "person__family_name", "person__given_name", "id"
    )
    return render(
        request,
        "partnership/partnership_admin/roles.html",
        {"partnership": partnership, "grants": grants},
    )


@require_http_methods(["GET", "POST"])
def grant_role(request: HttpRequest) -> HttpResponse:
    """Give a partnership role to someone working at a member organisation."""
    partnership = access.get_led_partnership(request.actor)
    form = GrantPartnershipRoleForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        person, role = form.cleaned_data["email"], form.cleaned_data["role"]
        try:
            services.grant_partnership_role(
                actor=request.actor, partnership=partnership, person=person, role=role
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            label = PartnershipRole(role).label
            messages.success(request, f"{person.full_name} is now {label.lower()}.")
            return redirect("partnership:partnership-roles")
    return render(
        request,
        "partnership/partnership_admin/grant_role.html",
        {"partnership": partnership, "form": form},
    )


@require_http_methods(["GET", "POST"])
def remove_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then remove a partnership role; the partnership keeps at least one lead."""
    grant = access.get_led_partnership_role_grant(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_partnership_role(actor=request.actor, grant=grant)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{grant.person.full_name} is no longer {grant.get_role_display().lower()}.",
            )
            if not access.can_lead(request.actor, grant.partnership):
                return redirect("partnership:home")
            return redirect("partnership:partnership-roles")
    return render(
        request,
        "partnership/partnership_admin/remove_role.html",
        {"grant": grant, "form": form},
    )


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Everything in the partnership's audit log, newest first."""
    partnership = access.get_led_partnership(request.actor)
    events = access.audit_events_for(request.actor)
    context = {"partnership": partnership, **audit_page(request, events)}
    return render(request, "partnership/partnership_admin/audit.html", context)
