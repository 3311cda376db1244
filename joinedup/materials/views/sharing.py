"""Sharing a material: adapting it, recording that it was used, publishing it openly and
withdrawing it from the public pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from joinedup.learning import access as learning_access
from joinedup.partnership.actor import Actor
from joinedup.partnership.views.manage import posted

from .. import access, pages, services
from ..forms import AdaptForm, ConfirmForm, PublishForm, ReuseForm, show_refusal
from .materials import programme_choices

# Runs offered for "we used this": the acting organisation's most recent ones.
RUNS_OFFERED = 50


def _adapt_initial(material, actor: Actor) -> dict:
    return {
        "title": f"{material.title} (adapted)",
        "summary": material.summary,
        "kind": material.kind,
        "licence": material.licence,
        "topics": ", ".join(material.topics.values_list("name", flat=True)),
        "authors": actor.person.email if actor.person else "",
    }


@require_http_methods(["GET", "POST"])
def adapt(request: HttpRequest, pk: int) -> HttpResponse:
    """Adapt the material's current version into a new material of the acting organisation,
    under a licence its source allows, crediting the original."""
    actor = request.actor
    source = access.get_adaptable_material(actor, pk)
    form = AdaptForm(
        posted(request),
        request.FILES or None,
        initial=_adapt_initial(source, actor),
        organisation=actor.organisation,
        programmes=programme_choices(actor),
        source_licence=source.licence,
        same_organisation=source.owner_id == actor.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            adapted = services.adapt_material(
                actor=actor,
                source_version=source.current_version,
                owner=actor.organisation,
                change_note=form.cleaned_data["change_note"],
                **form.details(actor.person),
                **form.file_or_link(),
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request, f"{adapted.title} is added, crediting {source.title} by {source.owner}."
            )
            return redirect("materials:material", pk=adapted.pk)
    context = {"form": form, "material": source, "licence": pages.licence_of(source)}
    return render(request, "materials/adapt.html", context)


def _run_choices(actor: Actor) -> list[tuple[int, str]]:
    runs = (
        learning_access.visible_runs(actor)
        .filter(programme__host=actor.organisation)
        .select_related("programme")
        .order_by("-cut_off_at", "-pk")[:RUNS_OFFERED]
    )
    return [(run.pk, f"{run.programme.title} (run {run.pk})") for run in runs]


@require_http_methods(["GET", "POST"])
def record_reuse(request: HttpRequest, pk: int) -> HttpResponse:
    """'We used this': the acting organisation records a use of the material and its savings."""
    actor = request.actor
    found = access.get_reusable_material(actor, pk)
    runs = _run_choices(actor)
    form = ReuseForm(posted(request), initial={"used_on": timezone.localdate()}, runs=runs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = learning_access.visible_runs(actor).filter(pk=data["run"]).first()
        try:
            services.record_reuse(
                actor=actor,
                material=found,
                organisation=actor.organisation,
                used_on=data["used_on"],
                run=run,
                context=data["context"],
                learners_reached=data["learners_reached"],
                hours_saved=data["hours_saved"],
                cost_saved=data["cost_saved"],
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Your use of {found.title} is recorded. Thank you.")
            return redirect("materials:material", pk=found.pk)
    return render(request, "materials/reuse_form.html", {"form": form, "material": found})


@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's L&D lead publishes an openly licensed material for anyone to read."""
    found = access.get_publishable_material(request.actor, pk)
    form = PublishForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_openly(
                actor=request.actor,
                material=found,
                licence_confirmed=form.cleaned_data["licence_confirmed"],
                content_confirmed=form.cleaned_data["content_confirmed"],
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{found.title} is published openly: anyone can read it.")
            return redirect("materials:material", pk=found.pk)
    context = {"form": form, "material": found, "licence": pages.licence_of(found)}
    return render(request, "materials/publish.html", context)


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's L&D lead takes the material off the public pages; it stays inside."""
    found = access.get_publishable_material(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_open_publication(actor=request.actor, material=found)
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{found.title} is no longer on the public pages.")
            return redirect("materials:material", pk=found.pk)
    return render(request, "materials/withdraw.html", {"form": form, "material": found})
