"""Rotation schemes: schemes, cohorts and their rounds; posts offered by hosts; participants'
and hosts' rankings; the partnership lead's matching, publishing and placing by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, rotations
from ..models import RoundStatus
from ..rotation_forms import (
    CohortForm,
    ConfirmForm,
    ParticipantForm,
    PlaceForm,
    PostForm,
    RankingForm,
    SchemeForm,
)

LIST_LIMIT = 200


def _form_page(request: HttpRequest, form, *, title: str, button: str, back: str, **extra):
    context = {"form": form, "title": title, "button": button, "back": back, **extra}
    return render(request, "talent/rotations/form.html", context)


@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    """The schemes of the acting organisation's partnerships."""
    schemes = access.visible_schemes(request.actor).select_related("partnership")
    context = {
        "schemes": list(schemes[:LIST_LIMIT]),
        "limit": LIST_LIMIT,
        "may_create": access.may_create_schemes(request.actor),
    }
    return render(request, "talent/rotations/list.html", context)


@require_http_methods(["GET", "POST"])
def scheme_new(request: HttpRequest) -> HttpResponse:
    """The partnership lead creates a scheme."""
    if not access.may_create_schemes(request.actor):
        raise PermissionDenied
    form = SchemeForm(posted(request), initial={"rounds": 3, "placement_months": 8})
    if request.method == "POST" and form.is_valid():
        try:
            scheme = rotations.create_scheme(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{scheme.name} is created. Now start a cohort.")
            return redirect("talent:rotation-scheme", pk=scheme.pk)
    return _form_page(
        request,
        form,
        title="Create a rotation scheme",
        button="Create scheme",
        back="talent:rotation-schemes",
    )


@require_GET
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A scheme with its cohorts."""
    scheme = access.get_scheme_for(request.actor, pk)
    context = {
        "scheme": scheme,
        "cohorts": list(scheme.cohorts.all()),
        "leads": access.may_lead_scheme(request.actor, scheme),
    }
    return render(request, "talent/rotations/scheme.html", context)


@require_http_methods(["GET", "POST"])
def cohort_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheme's lead starts a cohort; its rounds are dated from its start."""
    scheme = access.get_led_scheme(request.actor, pk)
    form = CohortForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            cohort = rotations.create_cohort(
                actor=request.actor, scheme=scheme, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{cohort.name} is started with {scheme.rounds} rounds.")
            return redirect("talent:rotation-cohort", pk=cohort.pk)
    return _form_page(
        request,
        form,
        title=f"Start a cohort of {scheme.name}",
        button="Start cohort",
        back="talent:rotation-scheme",
        back_pk=scheme.pk,
    )


@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cohort's rounds and, for its lead, its participants."""
    cohort = access.get_cohort_for(request.actor, pk)
    leads = access.may_lead_scheme(request.actor, cohort.scheme)
    context = {
        "cohort": cohort,
        "rounds": list(cohort.rotation_rounds.all()),
        "leads": leads,
        "participants": list(
            cohort.participants.select_related("person", "home_organisation")[:LIST_LIMIT]
        )
        if leads
        else [],
        "me": access.participant_in(request.actor, cohort),
    }
    return render(request, "talent/rotations/cohort.html", context)


@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheme's lead adds someone working at a member organisation to a cohort."""
    cohort = access.get_led_cohort(request.actor, pk)
    form = ParticipantForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            participant = rotations.add_participant(
                actor=request.actor, cohort=cohort, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{participant.person} is added to {cohort.name}.")
            return redirect("talent:rotation-cohort", pk=cohort.pk)
    return _form_page(
        request,
        form,
        title=f"Add a participant to {cohort.name}",
        button="Add participant",
        back="talent:rotation-cohort",
        back_pk=cohort.pk,
    )


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's posts; the lead's actions and result; a participant's or host's own part."""
    rotation_round = access.get_round_for(request.actor, pk)
    cohort = rotation_round.cohort
    leads = access.may_lead_scheme(request.actor, cohort.scheme)
    hosts = access.may_host(request.actor)
    me = access.participant_in(request.actor, cohort)
    posts = list(rotations.round_posts(rotation_round))
    placements = list(
        access.visible_placements(request.actor, rotation_round).select_related(
            "participant__person", "participant__home_organisation", "post__host"
        )
    )
    my_placement = next((p for p in placements if me and p.participant_id == me.pk), None)
    context = {
        "round": rotation_round,
        "cohort": cohort,
        "posts": posts,
        "leads": leads,
        "hosts": hosts,
        "hosted": [post for post in posts if post.host_id == request.actor.organisation_id],
        "me": me,
        "my_placement": my_placement,
        "placements": placements,
        "unplaced": list(rotations.unplaced(rotation_round)) if leads else [],
        "collecting": rotation_round.status == RoundStatus.PREFERENCES,
        "published": rotation_round.status == RoundStatus.PUBLISHED,
    }
    return render(request, "talent/rotations/round.html", context)


@require_http_methods(["GET", "POST"])
def post_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An L&D lead or admin of a member organisation offers a post in a round."""
    rotation_round = access.get_round_to_host(request.actor, pk)
    form = PostForm(posted(request), initial={"capacity": 1})
    if request.method == "POST" and form.is_valid():
        try:
            post = rotations.add_post(
                actor=request.actor, rotation_round=rotation_round, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{post.title} is offered in round {rotation_round.number}.")
            return redirect("talent:rotation-round", pk=rotation_round.pk)
    return _form_page(
        request,
        form,
        title=f"Offer a post in round {rotation_round.number} of {rotation_round.cohort}",
        button="Offer post",
        back="talent:rotation-round",
        back_pk=rotation_round.pk,
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant ranks the round's posts open to them (while it collects preferences), and
    sees their placement once published."""
    rotation_round, participant = access.get_participation(request.actor, pk)
    collecting = rotation_round.status == RoundStatus.PREFERENCES
    eligible = rotations.eligible_posts(participant, rotation_round) if collecting else []
    current = {
        post.pk: rank
        for rank, post in enumerate(rotations.preferences_of(participant, rotation_round), start=1)
    }
    form = RankingForm(
        posted(request) if collecting else None,
        choices=[(post.pk, f"{post.title}, {post.host.name}") for post in eligible],
        noun="post",
        initial={f"rank_{pk}": rank for pk, rank in current.items()},
    )
    if request.method == "POST" and not collecting:
        form.add_error(None, "This round is no longer collecting preferences")
    elif request.method == "POST" and form.is_valid():
        try:
            rotations.set_preferences(
                actor=request.actor,
                participant=participant,
                rotation_round=rotation_round,
                post_ids=form.cleaned_data["ranked"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Your ranking is saved.")
            return redirect("talent:rotation-round", pk=rotation_round.pk)
    placement = (
        access.visible_placements(request.actor, rotation_round)
        .filter(participant=participant)
        .select_related("post__host")
        .first()
    )
    context = {
        "round": rotation_round,
        "form": form,
        "rows": [(post, form[f"rank_{post.pk}"]) for post in eligible],
        "collecting": collecting,
        "ranked": rotations.preferences_of(participant, rotation_round),
        "placement": placement,
        "published": rotation_round.status == RoundStatus.PUBLISHED,
    }
    return render(request, "talent/rotations/preferences.html", context)


@require_http_methods(["GET", "POST"])
def post_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The post's host ranks eligible participants (those who asked for it first), and sees who
    is placed in it once the round is published."""
    post = access.get_hosted_post(request.actor, pk)
    rotation_round = post.round
    collecting = rotation_round.status == RoundStatus.PREFERENCES
    candidates = rotations.candidates_for(post) if collecting else []
    current = {p.pk: rank for rank, p in enumerate(rotations.host_ranking(post), start=1)}
    form = RankingForm(
        posted(request) if collecting else None,
        choices=[(p.pk, str(p.person)) for p, _ in candidates],
        noun="participant",
        initial={f"rank_{pk}": rank for pk, rank in current.items()},
    )
    if request.method == "POST" and not collecting:
        form.add_error(None, "This round is no longer collecting preferences")
    elif request.method == "POST" and form.is_valid():
        try:
            rotations.set_host_ranking(
                actor=request.actor, post=post, participant_ids=form.cleaned_data["ranked"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Your ranking for {post.title} is saved.")
            return redirect("talent:rotation-round", pk=rotation_round.pk)
    placed = (
        access.visible_placements(request.actor, rotation_round)
        .filter(post=post)
        .select_related("participant__person", "participant__home_organisation")
    )
    context = {
        "post": post,
        "round": rotation_round,
        "form": form,
        "rows": [(p, asked, form[f"rank_{p.pk}"]) for p, asked in candidates],
        "collecting": collecting,
        "placed": list(placed),
        "published": rotation_round.status == RoundStatus.PUBLISHED,
    }
    return render(request, "talent/rotations/post_ranking.html", context)


@require_http_methods(["GET", "POST"])
def run_matching(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead runs (or runs again) a round's stable matching."""
    rotation_round = access.get_led_round(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            summary = rotations.run_matching(actor=request.actor, rotation_round=rotation_round)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"Matched {summary['matched']}; {summary['unmatched']} without a post. "
                "Review the result, then publish it.",
            )
            return redirect("talent:rotation-round", pk=rotation_round.pk)
    context = {"form": form, "round": rotation_round, "action": "match"}
    return render(request, "talent/rotations/confirm.html", context)


@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead publishes a matched round; participants and hosts are told."""
    rotation_round = access.get_led_round(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            rotations.publish_round(actor=request.actor, rotation_round=rotation_round)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The result is published; participants and hosts are told.")
            return redirect("talent:rotation-round", pk=rotation_round.pk)
    context = {"form": form, "round": rotation_round, "action": "publish"}
    return render(request, "talent/rotations/confirm.html", context)


@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead places an unmatched participant by hand into a post with a free place."""
    rotation_round = access.get_led_round(request.actor, pk)
    free = rotations.free_places(rotation_round)
    form = PlaceForm(
        posted(request),
        participants=[(p.pk, str(p.person)) for p in rotations.unplaced(rotation_round)],
        posts=[
            (post.pk, f"{post.title}, {post.host.name} ({free[post.pk]} free)")
            for post in rotations.round_posts(rotation_round)
            if free[post.pk] > 0
        ],
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = rotations.place_by_hand(
                actor=request.actor,
                rotation_round=rotation_round,
                participant_id=form.cleaned_data["participant"],
                post_id=form.cleaned_data["post"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"{placement.participant.person} is placed in {placement.post.title}."
            )
            return redirect("talent:rotation-round", pk=rotation_round.pk)
    return _form_page(
        request,
        form,
        title=f"Place a participant by hand in round {rotation_round.number}",
        button="Place participant",
        back="talent:rotation-round",
        back_pk=rotation_round.pk,
    )
