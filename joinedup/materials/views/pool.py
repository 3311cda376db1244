"""The trainer pool: a trainer's own offer and availability, and searching the pool.

Only the trainer changes their offer (`access.own_offer`); searching needs `access.may_search_pool`
and reads through `pool_queries`, which starts from `access.pool_offers`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.partnership.access import partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.views.manage import page_links, posted

from .. import access, pool_queries, services
from ..forms import show_refusal
from ..pool_forms import AvailabilityForm, OfferForm, PoolSearchForm

SEARCH_FIELDS = ("programme", "organisation", "available_from", "available_to")


def _partner_choices(actor: Actor) -> list[tuple[int, str]]:
    partners = partner_organisations(actor).exclude(pk=actor.organisation_id).order_by("name")
    return list(partners.values_list("pk", "name"))


def _offer_page(
    request: HttpRequest,
    *,
    offer_form: OfferForm | None = None,
    availability_form: AvailabilityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    offer = access.own_offer(actor)
    if offer_form is None:
        initial = {}
        if offer is not None:
            initial = {
                "days_per_month": offer.days_per_month,
                "partners": list(offer.partners.values_list("pk", flat=True)),
                "note": offer.note,
            }
        offer_form = OfferForm(initial=initial, partners=_partner_choices(actor))
    accreditations = (
        access.current_accreditations()
        .filter(person=actor.person)
        .select_related("programme")
        .order_by("programme__title", "pk")
    )
    context = {
        "offer": offer,
        "in_pool": offer is not None and offer.is_active,
        "accreditations": list(accreditations),
        "ranges": list(offer.availability.all()) if offer is not None else [],
        "offer_form": offer_form,
        "availability_form": availability_form or AvailabilityForm(prefix="dates"),
        "forms": [form for form in (offer_form, availability_form) if form is not None],
    }
    return render(request, "materials/pool/offer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest) -> HttpResponse:
    """The actor's own offer to the trainer pool: join, or change days, partners and note."""
    actor = request.actor
    if not access.may_offer_self(actor):
        raise PermissionDenied
    if request.method == "GET":
        return _offer_page(request)
    form = OfferForm(posted(request), partners=_partner_choices(actor))
    if form.is_valid():
        try:
            services.join_pool(actor=actor, **form.cleaned_data)
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Your trainer offer is saved.")
            return redirect("materials:pool-offer")
    return _offer_page(request, offer_form=form)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Leave the trainer pool: partners no longer find the actor."""
    actor = request.actor
    if not access.may_offer_self(actor):
        raise PermissionDenied
    try:
        services.leave_pool(actor=actor)
    except services.MaterialRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "You have left the trainer pool.")
    return redirect("materials:pool-offer")


@require_POST
def availability_add(request: HttpRequest) -> HttpResponse:
    """Add a range of dates the actor can deliver on."""
    actor = request.actor
    if not access.may_offer_self(actor):
        raise PermissionDenied
    form = AvailabilityForm(request.POST, prefix="dates")
    if form.is_valid():
        try:
            services.add_availability(actor=actor, **form.cleaned_data)
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "The dates are added.")
            return redirect("materials:pool-offer")
    return _offer_page(request, availability_form=form)


@require_POST
def availability_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the actor's availability ranges."""
    actor = request.actor
    found = access.get_own_availability(actor, pk)
    try:
        services.remove_availability(actor=actor, availability=found)
    except services.MaterialRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The dates are removed.")
    return redirect("materials:pool-offer")


def _request_url() -> str | None:
    """The delivery request form's address, when that page exists."""
    try:
        return reverse("materials:delivery-request-create")
    except NoReverseMatch:
        return None


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the trainer pool by programme, lending organisation and dates."""
    actor = request.actor
    if not access.may_search_pool(actor):
        raise PermissionDenied
    programmes = list(pool_queries.programme_choices(actor).values_list("pk", "title"))
    lenders = list(pool_queries.lender_choices(actor).values_list("pk", "name"))
    filtered = any(
        key.rsplit("_", 1)[0] in SEARCH_FIELDS or key in SEARCH_FIELDS for key in request.GET
    )
    form = PoolSearchForm(
        request.GET if filtered else None, programmes=programmes, organisations=lenders
    )
    page = None
    filters = pool_queries.PoolFilters()
    if not filtered or form.is_valid():
        if filtered:
            data = form.cleaned_data
            filters = pool_queries.PoolFilters(
                programme_id=data["programme"],
                organisation_id=data["organisation"],
                available_from=data["available_from"],
                available_to=data["available_to"],
            )
        page = pool_queries.search_pool(
            actor, filters, after=request.GET.get("after"), before=request.GET.get("before")
        )
    request_url = _request_url() if access.may_request_delivery(actor) else None
    rows = []
    for found in page.items if page else []:
        lent_here = found.organisation_id == actor.organisation_id
        rows.append(
            {
                "offer": found,
                "accreditations": pool_queries.accredited_programmes(found),
                "request_url": None if lent_here else request_url,
            }
        )
    context = {
        "form": form,
        "forms": [form],
        "filtered": filtered,
        "rows": rows,
        "searched": page is not None,
        "links": page_links(request, page) if page else {},
    }
    return render(request, "materials/pool/search.html", context)
