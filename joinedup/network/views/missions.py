"""The missions vocabulary, for the partnership lead: the list, adding a mission, changing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, missions
from ..initiative_forms import MissionForm


def _curated(request: HttpRequest) -> list:
    partnerships = list(access.curated_partnerships(request.actor).order_by("name", "pk"))
    if not partnerships:
        raise PermissionDenied
    return partnerships


@require_GET
def mission_list(request: HttpRequest) -> HttpResponse:
    """The missions of the partnerships the person leads, current and retired."""
    partnerships = _curated(request)
    found = (
        access.visible_missions(request.actor)
        .filter(partnership__in=partnerships)
        .select_related("partnership")
        .order_by("partnership__name", "retired", "name", "pk")
    )
    context = {"missions": list(found), "several": len(partnerships) > 1}
    return render(request, "network/missions/list.html", context)


@require_http_methods(["GET", "POST"])
def mission_new(request: HttpRequest) -> HttpResponse:
    """Add a mission to a partnership's vocabulary."""
    partnerships = _curated(request)
    form = MissionForm(posted(request), partnerships=partnerships, retired=False)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("partnership", partnerships[0].pk)
        partnership = next(p for p in partnerships if p.pk == chosen)
        try:
            mission = missions.add_mission(
                actor=request.actor,
                partnership=partnership,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{mission.name} is added to the missions.")
            return redirect("network:missions")
    context = {"form": form, "title": "Add a mission", "button": "Add mission"}
    return render(request, "network/missions/form.html", context)


@require_http_methods(["GET", "POST"])
def mission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename, describe or retire a mission (or bring a retired one back)."""
    mission = access.get_curated_mission(request.actor, pk)
    initial = {"name": mission.name, "description": mission.description, "retired": mission.retired}
    form = MissionForm(posted(request), initial=initial, partnerships=[], retired=True)
    if request.method == "POST" and form.is_valid():
        try:
            changed = missions.change_mission(
                actor=request.actor, mission=mission, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Mission saved." if changed else "Nothing was changed.")
            return redirect("network:missions")
    context = {
        "form": form,
        "title": f"Change {mission.name}",
        "button": "Save",
        "mission": mission,
    }
    return render(request, "network/missions/form.html", context)
