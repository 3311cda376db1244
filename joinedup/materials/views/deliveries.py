"""Delivery requests: asking for a partner's accredited trainer, the lists, a request with its
approval timeline, and approving, declining or withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.learning import access as learning_access
from joinedup.learning.models import Programme
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person
from joinedup.partnership.views.manage import posted

from .. import access, services
from ..delivery_forms import DeclineDeliveryForm, DeliveryRequestForm
from ..forms import show_refusal
from ..models import DeliveryRequest
from ..services.deliveries import days_of, lending_employment, line_manager_of

LISTED = 100
MAX_ID = 2**31 - 1


def _id(value: object) -> int | None:
    """A positive id from the query string or a form, or None for anything else."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _chosen(actor: Actor, data) -> tuple[Person | None, Programme | None]:
    """The pooled trainer and the visible programme the request is for, if both are usable."""
    trainer_id, programme_id = _id(data.get("trainer")), _id(data.get("programme"))
    trainer = access.pooled_trainer_for(actor, trainer_id) if trainer_id else None
    programme = None
    if programme_id:
        programme = (
            learning_access.visible_programmes(actor)
            .filter(pk=programme_id)
            .select_related("host")
            .first()
        )
    return trainer, programme


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Ask for a partner's accredited trainer (linked from the trainer pool search)."""
    actor = request.actor
    if not access.may_request_delivery(actor):
        raise PermissionDenied
    trainer, programme = _chosen(actor, request.POST if request.method == "POST" else request.GET)
    initial = {"trainer": trainer and trainer.pk, "programme": programme and programme.pk}
    form = DeliveryRequestForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        if trainer is None or programme is None:
            form.add_error(None, "Choose a trainer and a programme from the trainer pool first")
        else:
            data = form.cleaned_data
            try:
                made = services.request_delivery(
                    actor=actor,
                    trainer=trainer,
                    programme=programme,
                    dates=data["dates"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    places=data["places"],
                    venue=data["venue"],
                    day_rate=data["day_rate"],
                    message=data["message"],
                )
            except services.MaterialRefused as refusal:
                show_refusal(form, refusal)
            else:
                messages.success(request, "Your request has gone to the trainer to approve.")
                return redirect("materials:delivery-request", pk=made.pk)
    context = {
        "form": form,
        "trainer": trainer,
        "programme": programme,
        "lender": lending_employment(trainer) if trainer else None,
    }
    return render(request, "materials/deliveries/request_form.html", context)


def _listed(requests) -> list[DeliveryRequest]:
    return list(
        requests.select_related(
            "requesting_organisation", "lending_organisation", "trainer", "programme"
        )
        .prefetch_related("days")
        .order_by("-requested_at", "-id")[:LISTED]
    )


@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Requests waiting for me, made by my organisation, and asking for my organisation's staff."""
    actor = request.actor
    visible = access.visible_delivery_requests(actor)
    organisation_id = actor.organisation_id
    context = {
        "waiting": _listed(access.delivery_requests_waiting_for(actor)),
        "made": _listed(visible.filter(requesting_organisation_id=organisation_id)),
        "received": _listed(visible.filter(lending_organisation_id=organisation_id)),
        "may_request": access.may_request_delivery(actor),
        "limit": LISTED,
    }
    return render(request, "materials/deliveries/list.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request, its days, its approval timeline, and the buttons of whoever's turn it is."""
    actor = request.actor
    found = access.get_delivery_request_for(actor, pk)
    context = {
        "delivery": found,
        "days": days_of(found),
        "manager": line_manager_of(found.trainer, found.lending_organisation),
        "may_approve": access.may_approve_delivery(actor, found),
        "may_decline": access.may_decline_delivery(actor, found),
        "may_withdraw": access.may_withdraw_delivery(actor, found),
    }
    return render(request, "materials/deliveries/detail.html", context)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the request at the actor's step; the last approval sets up the run."""
    found = access.get_approvable_delivery(request.actor, pk)
    try:
        services.approve_delivery(actor=request.actor, request=found)
    except services.MaterialRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Approved. The request is now {found.get_status_display()}.")
    return redirect("materials:delivery-request", pk=found.pk)


@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline the request, with the reason the requesting organisation reads."""
    found = access.get_declinable_delivery(request.actor, pk)
    form = DeclineDeliveryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_delivery(
                actor=request.actor, request=found, reason=form.cleaned_data["reason"]
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "The request is declined.")
            return redirect("materials:delivery-request", pk=found.pk)
    return render(request, "materials/deliveries/decline.html", {"form": form, "delivery": found})


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the request before approval is complete."""
    found = access.get_withdrawable_delivery(request.actor, pk)
    try:
        services.withdraw_delivery(actor=request.actor, request=found)
    except services.MaterialRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The request is withdrawn.")
    return redirect("materials:delivery-request", pk=found.pk)
