"""Mentoring across organisations: sign-ups, pairs and their meetings, and the mentoring lead's
matching (run, review, publish or discard)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, mentoring_services
from ..mentoring_forms import ConfirmForm, EndForm, MeetingForm, MenteeForm, MentorForm
from ..models import MatchingRunStatus, MentoringRole, PairStatus

LIST_LIMIT = 100
REVIEW_LIMIT = 500
PAIR_RELATIONS = (
    "mentor__person",
    "mentor__organisation",
    "mentee__person",
    "mentee__organisation",
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Sign up to mentor or be mentored; the person's sign-ups and pairs; the lead's link."""
    actor = request.actor
    signups = access.visible_mentoring_signups(actor).filter(person_id=actor.person_id)
    pairs = (
        access.visible_mentoring_pairs(actor)
        .exclude(status=PairStatus.PROPOSED)
        .filter(Q(mentor__person_id=actor.person_id) | Q(mentee__person_id=actor.person_id))
        .select_related(*PAIR_RELATIONS)
        .order_by("status", "-id")
    )
    active_roles = {signup.role for signup in signups if signup.active}
    context = {
        "partnership": access.mentoring_partnership(actor),
        "signups": list(signups.select_related("organisation")[:LIST_LIMIT]),
        "pairs": list(pairs[:LIST_LIMIT]),
        "may_offer": MentoringRole.MENTOR not in active_roles,
        "may_ask": MentoringRole.MENTEE not in active_roles,
        "leads": access.may_lead_mentoring(actor),
        "me": actor.person_id,
    }
    return render(request, "talent/mentoring/home.html", context)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest, role: str) -> HttpResponse:
    """Offer to mentor (role "mentor") or ask for a mentor (role "mentee")."""
    if access.mentoring_partnership(request.actor) is None:
        raise PermissionDenied
    form_class = MentorForm if role == MentoringRole.MENTOR else MenteeForm
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            mentoring_services.sign_up(actor=request.actor, role=role, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                "You have offered to mentor."
                if role == MentoringRole.MENTOR
                else "You have asked for a mentor.",
            )
            return redirect("talent:mentoring")
    title = "Offer to mentor" if role == MentoringRole.MENTOR else "Ask for a mentor"
    context = {"form": form, "title": title, "button": "Sign up"}
    return render(request, "talent/mentoring/form.html", context)


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a sign-up: it is not matched again; pairs already made go on."""
    signup = access.get_own_mentoring_signup(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            mentoring_services.withdraw(actor=request.actor, signup=signup)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Your sign-up is withdrawn.")
            return redirect("talent:mentoring")
    return render(request, "talent/mentoring/withdraw.html", {"form": form, "signup": signup})


@require_GET
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A pair: who, why they were paired, and the meetings they logged."""
    pair = access.get_mentoring_pair_for(request.actor, pk)
    member = access.is_pair_member(request.actor, pair)
    context = {
        "pair": pair,
        "meetings": list(pair.meetings.select_related("logged_by")[:LIST_LIMIT]),
        "may_change": member and pair.status == PairStatus.ACTIVE,
    }
    return render(request, "talent/mentoring/pair.html", context)


@require_http_methods(["GET", "POST"])
def pair_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a meeting of an active pair (either member)."""
    pair = access.get_member_pair(request.actor, pk)
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            mentoring_services.log_meeting(actor=request.actor, pair=pair, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Meeting logged.")
            return redirect("talent:mentoring-pair", pk=pair.pk)
    context = {"form": form, "title": "Log a meeting", "button": "Log meeting", "pair": pair}
    return render(request, "talent/mentoring/form.html", context)


@require_http_methods(["GET", "POST"])
def pair_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End an active pairing, saying why (either member)."""
    pair = access.get_member_pair(request.actor, pk)
    form = EndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            mentoring_services.end_pairing(
                actor=request.actor, pair=pair, reason=form.cleaned_data["end_reason"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The pairing has ended.")
            return redirect("talent:mentoring-pair", pk=pair.pk)
    context = {"form": form, "title": "End the pairing", "button": "End pairing", "pair": pair}
    return render(request, "talent/mentoring/form.html", context)


# --- The mentoring lead --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def lead(request: HttpRequest) -> HttpResponse:
    """The mentoring lead's page: sign-up counts, running a matching, and past matchings."""
    partnership = access.mentoring_led_partnerships(request.actor).order_by("name", "pk").first()
    if partnership is None:
        raise PermissionDenied
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            matching = mentoring_services.run_matching(actor=request.actor, partnership=partnership)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The matching is ready for your review.")
            return redirect("talent:mentoring-matching", pk=matching.pk)
    context = {
        "form": form,
        "partnership": partnership,
        "counts": mentoring_services.matching_counts(partnership),
        "matchings": list(
            access.visible_mentoring_matchings(request.actor).filter(partnership=partnership)[
                :LIST_LIMIT
            ]
        ),
    }
    return render(request, "talent/mentoring/lead.html", context)


def _matching_page(request: HttpRequest, matching, form: ConfirmForm) -> HttpResponse:
    pairs = matching.pairs.select_related(*PAIR_RELATIONS).order_by("-fit", "pk")
    context = {
        "matching": matching,
        "pairs": list(pairs[:REVIEW_LIMIT]),
        "pair_count": pairs.count(),
        "limit": REVIEW_LIMIT,
        "is_draft": matching.status == MatchingRunStatus.DRAFT,
        "form": form,
    }
    if context["is_draft"]:
        unmatched = mentoring_services.waiting_mentees(matching.partnership).exclude(
            pk__in=matching.pairs.values("mentee_id")
        )
        context["unmatched"] = list(
            unmatched.select_related("person", "organisation").order_by("pk")[:REVIEW_LIMIT]
        )
    return render(request, "talent/mentoring/matching.html", context)


@require_GET
def matching_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A matching's pairs with their fit and reasons; a draft's unmatched mentees; publish or
    discard a draft."""
    matching = access.get_mentoring_matching_for(request.actor, pk)
    return _matching_page(request, matching, ConfirmForm())


@require_POST
def matching_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft matching: its pairs become active and both people are told."""
    matching = access.get_mentoring_matching_for(request.actor, pk)
    form = ConfirmForm(request.POST)
    try:
        mentoring_services.publish_matching(actor=request.actor, matching=matching)
    except ValidationError as error:
        show_refusal(form, error)
        matching.refresh_from_db()
        return _matching_page(request, matching, form)
    messages.success(request, "The matching is published and everyone paired is told.")
    return redirect("talent:mentoring-matching", pk=matching.pk)


@require_POST
def matching_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard a draft matching: none of its pairs is made."""
    matching = access.get_mentoring_matching_for(request.actor, pk)
    form = ConfirmForm(request.POST)
    try:
        mentoring_services.discard_matching(actor=request.actor, matching=matching)
    except ValidationError as error:
        show_refusal(form, error)
        return _matching_page(request, matching, form)
    messages.success(request, "The matching is discarded.")
    return redirect("talent:mentoring-lead")
