"""Accreditations pages: a programme's accredited trainers and accrediting one, the cascade of
who trained whom with the learners each branch reached, a person's own accreditations, and
withdrawing one. Who sees and does what is in `materials/access.py` (accreditations section)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.learning.models import Programme
from joinedup.partnership.actor import Actor
from joinedup.partnership.views.manage import posted

from .. import access, accreditation_queries, services
from ..accreditation_forms import AccreditForm, WithdrawAccreditationForm
from ..cascade import CascadeError
from ..forms import show_refusal

# Evidence offered from the library: materials linked to the programme that the actor reads.
MATERIALS_OFFERED = 50


def _evidence_choices(actor: Actor, programme: Programme) -> list[tuple[int, str]]:
    materials = (
        access.visible_materials(actor)
        .filter(programmes=programme)
        .select_related("owner")
        .order_by("title", "pk")[:MATERIALS_OFFERED]
    )
    return [(material.pk, f"{material.title} ({material.owner.name})") for material in materials]


@require_GET
def programme_accreditations(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's accredited trainers, newest first, with expiry and who trained them."""
    actor = request.actor
    programme = access.get_programme_trainers_for(actor, pk)
    today = timezone.localdate()
    rows = [
        (accreditation, accreditation.is_current(today))
        for accreditation in accreditation_queries.programme_accreditations(programme)
    ]
    context = {
        "programme": programme,
        "rows": rows,
        "may_accredit": access.may_accredit(actor, programme),
        "may_withdraw": {a.pk for a, _ in rows if access.may_withdraw_accreditation(actor, a)},
    }
    return render(request, "materials/accreditations/programme.html", context)


@require_http_methods(["GET", "POST"])
def accredit(request: HttpRequest, pk: int) -> HttpResponse:
    """Accredit someone to deliver the programme: the next generation under the actor's own
    accreditation, or the first generation by the host's L&D lead or programme leader."""
    actor = request.actor
    programme = access.get_accreditable_programme(actor, pk)
    form = AccreditForm(posted(request), actor=actor, materials=_evidence_choices(actor, programme))
    if request.method == "POST" and form.is_valid():
        material_id = form.cleaned_data["evidence_material"]
        evidence = access.visible_materials(actor).filter(pk=material_id).first()
        try:
            given = services.accredit(
                actor=actor,
                person=form.cleaned_data["person"],
                programme=programme,
                accredited_on=form.cleaned_data["accredited_on"],
                expires_on=form.cleaned_data["expires_on"],
                evidence_material=evidence,
                evidence_url=form.cleaned_data["evidence_url"],
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request, f"{given.person.full_name} is accredited to deliver {programme.title}."
            )
            return redirect("materials:programme-accreditations", pk=programme.pk)
    context = {
        "form": form,
        "programme": programme,
        "first_generation": access.own_accreditation_of(actor, programme) is None,
    }
    return render(request, "materials/accreditations/accredit.html", context)


@require_GET
def cascade(request: HttpRequest, pk: int) -> HttpResponse:
    """Who trained whom, and the learners each trainer and each branch reached."""
    programme = access.get_programme_trainers_for(request.actor, pk)
    try:
        found = accreditation_queries.cascade_of(programme)
    except CascadeError as error:
        found, problem = None, str(error)
    else:
        problem = ""
    context = {"programme": programme, "cascade": found, "problem": problem}
    return render(request, "materials/accreditations/cascade.html", context)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own accreditations with their expiry and the learners reached."""
    actor = request.actor
    today = timezone.localdate()
    own = list(accreditation_queries.accreditations_of(actor.person.pk)) if actor.person else []
    reached: dict[int, tuple[int, int]] = {}
    for programme in {accreditation.programme for accreditation in own}:
        try:
            found = accreditation_queries.cascade_of(programme)
        except CascadeError:
            continue
        for node, _ in found.rows():
            reached[node.id] = (node.learners, node.branch_learners)
    rows = [(a, a.is_current(today), reached.get(a.pk)) for a in own]
    return render(request, "materials/accreditations/mine.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an accreditation, with the reason (the host's L&D lead, or its accreditor)."""
    actor = request.actor
    accreditation = access.get_withdrawable_accreditation(actor, pk)
    form = WithdrawAccreditationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_accreditation(
                actor=actor, accreditation=accreditation, reason=form.cleaned_data["reason"]
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request, f"{accreditation.person.full_name}'s accreditation is withdrawn."
            )
            return redirect("materials:programme-accreditations", pk=accreditation.programme_id)
    context = {"form": form, "accreditation": accreditation}
    return render(request, "materials/accreditations/withdraw.html", context)
