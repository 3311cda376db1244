"""Spaces and membership: the spaces list, a space's thread list, joining and leaving, members,
requests to join, moderators, editing and archiving; and a run's discussion space."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, FilteredRelation, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.learning import access as learning_access
from joinedup.lib.keyset import KeysetPage, keyset_page
from joinedup.partnership.forms import ConfirmForm
from joinedup.partnership.models import Person
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, spaces
from ..models import MemberStatus, Space, SpaceKind, SpaceMember
from ..space_forms import ModeratorForm, SpaceForm, SpaceSearchForm

LIST_SIZE = 25
THREAD_PAGE_SIZE = 25
MEMBER_PAGE_SIZE = 50
REQUEST_LIMIT = 100
MODERATOR_CHOICES_LIMIT = 1_000
SPACE_ORDER = ("title", "id")
THREAD_ORDER = ("-last_post_at", "-id")
MEMBER_ORDER = ("person__family_name", "person__given_name", "id")


def _section_links(request: HttpRequest, page: KeysetPage, prefix: str) -> dict[str, str]:
    """Previous and next links for one of several lists on a page (cursors named by prefix)."""
    own = (f"{prefix}_after", f"{prefix}_before")
    kept = {key: value for key, value in request.GET.items() if key not in own}
    links = {}
    if page.previous_cursor:
        links["previous"] = "?" + urlencode({**kept, own[1]: page.previous_cursor})
    if page.next_cursor:
        links["next"] = "?" + urlencode({**kept, own[0]: page.next_cursor})
    return links


def _section(request: HttpRequest, found, prefix: str) -> tuple[KeysetPage, dict[str, str]]:
    page = keyset_page(
        found.select_related("owner_organisation"),
        SPACE_ORDER,
        after=request.GET.get(f"{prefix}_after"),
        before=request.GET.get(f"{prefix}_before"),
        size=LIST_SIZE,
    )
    return page, _section_links(request, page, prefix)


@require_GET
def space_list(request: HttpRequest) -> HttpResponse:
    """The person's spaces, their requests to join, and the communities they may join, each
    searched by title."""
    actor = request.actor
    form = SpaceSearchForm(request.GET)
    text = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    by_title = Q(title__icontains=text) if text else Q()
    mine, mine_links = _section(request, access.member_spaces(actor).filter(by_title), "mine")
    join, join_links = _section(
        request, access.joinable_communities(actor).filter(by_title), "join"
    )
    asked = (
        access.requested_spaces(actor)
        .filter(by_title)
        .select_related("owner_organisation")
        .order_by(*SPACE_ORDER)[:LIST_SIZE]
    )
    context = {
        "form": form,
        "text": text,
        "mine": mine,
        "mine_links": mine_links,
        "asked": list(asked),
        "join": join,
        "join_links": join_links,
        "may_start_community": access.may_start_community(actor),
    }
    return render(request, "network/spaces/list.html", context)


@require_http_methods(["GET", "POST"])
def space_new(request: HttpRequest) -> HttpResponse:
    """Start a community: the starter owns and moderates it."""
    if not access.may_start_community(request.actor):
        raise PermissionDenied
    form = SpaceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            space = spaces.start_community(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Your community is ready. Invite colleagues to join it.")
            return redirect("network:space", pk=space.pk)
    context = {"form": form, "title": "Start a community", "button": "Start the community"}
    return render(request, "network/spaces/form.html", context)


def _threads(request: HttpRequest, space: Space) -> KeysetPage:
    """A page of the space's threads, newest activity first, each with the reader's read mark."""
    mine = FilteredRelation("reads", condition=Q(reads__person_id=request.actor.person_id))
    threads = (
        access.space_threads(request.actor, space)
        .select_related("author", "author_organisation")
        .annotate(my_read=mine, read_at=F("my_read__read_at"))
    )
    return keyset_page(
        threads,
        THREAD_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=THREAD_PAGE_SIZE,
    )


def _mark_unread(threads: list, membership: SpaceMember | None) -> None:
    """Unread: activity after the reader's read mark, or (with none) after they joined."""
    joined = membership.joined_at if membership and membership.is_active() else None
    for thread in threads:
        if thread.read_at is not None:
            thread.unread = thread.last_post_at > thread.read_at
        else:
            thread.unread = joined is not None and thread.last_post_at > joined


@require_GET
def space_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A space: for its readers the thread list; for others who see it (a community they are not
    in) its description and a Join button."""
    actor = request.actor
    space = access.get_space_for(actor, pk)
    membership = access.membership_of(actor, space)
    context = {
        "space": space,
        "membership": membership,
        "may_manage": access.may_manage_space(actor, space),
        "may_join": access.may_join(actor, space),
        "may_leave": membership is not None
        and not space.membership_is_kept_elsewhere()
        and space.owner_id != actor.person_id,
    }
    if not access.may_read_space(actor, space):
        return render(request, "network/spaces/outside.html", context)
    page = _threads(request, space)
    _mark_unread(page.items, membership)
    is_member = membership is not None and membership.is_active()
    context |= {
        "page": page,
        "links": page_links(request, page),
        "is_member": is_member,
        "thread_new_url": reverse("network:thread-new", args=[space.pk])
        if access.may_post_in(actor, space)
        else None,
        "subscription_url": reverse("network:space-subscription", args=[space.pk])
        if is_member
        else None,
        "requests": space.members.filter(status=MemberStatus.REQUESTED).count()
        if context["may_manage"]
        else 0,
    }
    return render(request, "network/spaces/space.html", context)


@require_POST
def space_join(request: HttpRequest, pk: int) -> HttpResponse:
    """Join a community, or ask to join one that needs approval."""
    space = access.get_space_for(request.actor, pk)
    try:
        member = spaces.join(actor=request.actor, space=space)
    except ValidationError:
        # Already in (or asked): the space page says which.
        return redirect("network:space", pk=space.pk)
    if member.status == MemberStatus.REQUESTED:
        messages.success(request, "You have asked to join. The owner will decide.")
    else:
        messages.success(request, f"You have joined {space.title}.")
    return redirect("network:space", pk=space.pk)


@require_http_methods(["GET", "POST"])
def space_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave a community, or withdraw a request to join it."""
    membership = access.get_membership(request.actor, pk)
    space = membership.space
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            spaces.leave(actor=request.actor, space=space)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"You have left {space.title}.")
            return redirect("network:spaces")
    context = {"form": form, "space": space, "membership": membership}
    return render(request, "network/spaces/leave.html", context)


@require_GET
def space_members(request: HttpRequest, pk: int) -> HttpResponse:
    """A space's members with their organisations, for its readers only."""
    space = access.get_readable_space(request.actor, pk)
    page = keyset_page(
        access.members_of(request.actor, space).select_related("person", "organisation"),
        MEMBER_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=MEMBER_PAGE_SIZE,
    )
    context = {"space": space, "page": page, "links": page_links(request, page)}
    return render(request, "network/spaces/members.html", context)


@require_GET
def space_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """Requests to join a space, oldest first, to approve or refuse (owner or lead)."""
    return _requests_page(request, access.get_managed_space(request.actor, pk), ConfirmForm())


def _requests_page(request: HttpRequest, space: Space, form: ConfirmForm) -> HttpResponse:
    asking = (
        space.members.filter(status=MemberStatus.REQUESTED)
        .select_related("person", "organisation")
        .order_by("joined_at", "id")[:REQUEST_LIMIT]
    )
    context = {"space": space, "requests": list(asking), "limit": REQUEST_LIMIT, "form": form}
    return render(request, "network/spaces/requests.html", context)


@require_POST
def request_approve(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Let someone who asked to join in."""
    member = access.get_join_request(request.actor, pk, member_pk)
    form = ConfirmForm(request.POST)
    try:
        spaces.approve_request(actor=request.actor, space=member.space, member=member)
    except ValidationError as error:
        show_refusal(form, error)
        return _requests_page(request, member.space, form)
    messages.success(request, f"{member.person.full_name} has joined.")
    return redirect("network:space-requests", pk=member.space.pk)


@require_POST
def request_refuse(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Turn down a request to join."""
    member = access.get_join_request(request.actor, pk, member_pk)
    form = ConfirmForm(request.POST)
    try:
        spaces.refuse_request(actor=request.actor, space=member.space, member=member)
    except ValidationError as error:
        show_refusal(form, error)
        return _requests_page(request, member.space, form)
    messages.success(request, f"You refused {member.person.full_name}'s request.")
    return redirect("network:space-requests", pk=member.space.pk)


@require_http_methods(["GET", "POST"])
def space_moderators(request: HttpRequest, pk: int) -> HttpResponse:
    """The space's moderators; name a member moderator, or stop one moderating."""
    space = access.get_managed_space(request.actor, pk)
    active = (
        space.members.filter(status=MemberStatus.ACTIVE)
        .select_related("person", "organisation")
        .order_by(*MEMBER_ORDER)[:MODERATOR_CHOICES_LIMIT]
    )
    members = list(active)
    choices = [
        (member.person_id, f"{member.person.full_name} ({member.organisation.name})")
        for member in members
    ]
    form = ModeratorForm(posted(request), members=choices)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.get(pk=form.cleaned_data["person"])
        removing = form.cleaned_data["action"] == "remove"
        try:
            if removing:
                spaces.remove_moderator(actor=request.actor, space=space, person=person)
            else:
                spaces.name_moderator(actor=request.actor, space=space, person=person)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{person.full_name} no longer moderates this space."
                if removing
                else f"{person.full_name} is now a moderator.",
            )
            return redirect("network:space-moderators", pk=space.pk)
    context = {
        "space": space,
        "form": form,
        "moderators": [member for member in members if member.is_moderator],
        "limit": MODERATOR_CHOICES_LIMIT,
    }
    return render(request, "network/spaces/moderators.html", context)


@require_http_methods(["GET", "POST"])
def space_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a space's title, description and (communities) join approval."""
    space = access.get_managed_space(request.actor, pk)
    community = space.kind == SpaceKind.COMMUNITY
    initial = {
        "title": space.title,
        "description": space.description,
        "join_approval": space.join_approval,
    }
    form = SpaceForm(posted(request), initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            spaces.edit_space(actor=request.actor, space=space, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("network:space", pk=space.pk)
    context = {"form": form, "space": space, "title": "Change the space", "button": "Save"}
    return render(request, "network/spaces/form.html", context)


@require_http_methods(["GET", "POST"])
def space_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a space: it stays readable, and nobody joins or writes in it any more."""
    space = access.get_managed_space(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            spaces.archive_space(actor=request.actor, space=space)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{space.title} is archived.")
            return redirect("network:space", pk=space.pk)
    return render(request, "network/spaces/archive.html", {"form": form, "space": space})


# --- A run's space -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def run_space(request: HttpRequest, run_pk: int) -> HttpResponse:
    """A run's discussion space: a link to it for those in it, and for its host a button that
    opens it."""
    actor = request.actor
    run = learning_access.get_run_for(actor, run_pk)
    may_open = learning_access.may_host(actor, run)
    form = ConfirmForm(posted(request))
    if request.method == "POST":
        if not may_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                space = spaces.open_run_space(actor=actor, run=run)
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, "The run's discussion space is open.")
                return redirect("network:space", pk=space.pk)
    space = access.run_space_for(actor, run)
    context = {
        "run": run,
        "space": space,
        "opened": space is not None or access.run_has_space(run),
        "may_open": may_open,
        "form": form,
    }
    return render(request, "network/spaces/run_space.html", context)
